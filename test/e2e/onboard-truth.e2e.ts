/*
 * End to end: `sf ren onboard` tells the truth about each org (three emulator orgs, one sf HOME, TMPDIR inside it).
 * A hand-off file is `already-done` only when it holds the org's current pair, else the org fails naming what
 * differs (a dead key after the app was made anew, another org's file) until --force replaces it; every target is
 * resolved and checked before any org is contacted (no hand-off target, colliding file names: nothing contacted; a
 * bad alias or orgs-file entry fails alone while the others complete); the same org named twice runs once; a
 * multi-line error is kept whole under the table; Ren's token and URL are checked before anything is read; and
 * at the end no secret is in any file of the HOME but the 0600 hand-off files. The tests run in order and share
 * the orgs' state.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type { RenOnboardResult } from '../../src/commands/ren/onboard.js';
import type { OrgOutcome } from '../../src/onboard/onboardOrg.js';
import type { SfResult } from './harness.js';
import { startRenReceiver, type RenReceiver } from './renReceiver.js';
import { jsonOf, readHandoff, type SfJson } from './renOrg.js';
import {
  type OrgUnderTest,
  currentSecrets,
  leaksUnder,
  pendingRecords,
  secretReadStarted,
  secretSettingOf,
  startWindowSession,
  type WindowSession,
} from './windowSession.js';

type OnboardRun = SfResult & { body: SfJson<RenOnboardResult> };

const TOKEN = 'ren-onboard-truth-token-5c1e';
const ADMIN = 'System Administrator';

describe('sf ren onboard tells the truth (end to end, three orgs)', function () {
  this.timeout(300_000);
  let ws: WindowSession;
  let org1: OrgUnderTest;
  let org2: OrgUnderTest;
  let org3: OrgUnderTest;
  let receiver: RenReceiver;
  /** Every consumer secret an org held after a run, and every fake secret planted, for the leak scan. */
  const secrets = new Set<string>();

  before(async () => {
    ws = await startWindowSession(['org2', 'org3']);
    [org1, org2, org3] = ws.orgs;
    mkdirSync(handoffRoot());
    receiver = await startRenReceiver();
  });
  after(async () => {
    await receiver?.close();
    await ws?.session.close();
  });
  afterEach(() => currentSecrets(ws.orgs).forEach((secret) => secrets.add(secret)));

  function handoffRoot(): string {
    return join(ws.session.home, 'handoff');
  }
  const dirOf = (name: string): string => join(handoffRoot(), name);
  const orgIdOf = (org: OrgUnderTest): string => org.emulator.org.organization.Id;
  const usernameOf = (org: OrgUnderTest): string => org.emulator.org.sessionUser.Username;
  const pairOf = (org: OrgUnderTest): Record<string, string | undefined> => {
    const consumer = org.emulator.org.consumerForApp('ren');
    return {
      loginUrl: org.emulator.url,
      consumerKey: consumer?.key,
      consumerSecret: consumer?.secret,
      orgId: orgIdOf(org),
    };
  };

  const onboard = async (args: string[], env: NodeJS.ProcessEnv = {}, input?: string): Promise<OnboardRun> => {
    const run = await ws.session.sf(['ren', 'onboard', '--json', ...args], { env, input });
    return { ...run, body: jsonOf<RenOnboardResult>(run) };
  };
  const outcomes = (run: OnboardRun): Record<string, OrgOutcome> =>
    Object.fromEntries((run.body.result?.orgs ?? []).map((o) => [o.org, o]));

  /** How many requests each org has received: a run that contacts nobody leaves these as they are. */
  const requestCounts = (): number[] => ws.orgs.map((o) => o.emulator.requests.length);
  /** The org as every test leaves it: the secret setting off (as before), no restore pending. */
  const expectSettingsOff = (): void => {
    expect(ws.orgs.map((o) => secretSettingOf(o.emulator))).to.deep.equal([false, false, false]);
    expect(pendingRecords(ws.session)).to.deep.equal([]);
  };

  describe('every target is checked before any org is contacted', () => {
    it('no hand-off target: RenNoHandoffError, and no org is contacted', async () => {
      const before = requestCounts();
      const run = await onboard(['-o', org2.alias, '--allow-secret-access']);
      expect(run.code).to.equal(1);
      expect(run.body.name).to.equal('RenNoHandoffError');
      expect(run.body.message).to.include('--output-dir').and.include('--skip-handoff');
      expect(requestCounts()).to.deep.equal(before);
      expect(org2.emulator.org.getComponent('ExternalClientApplication', 'ren')).to.equal(undefined);
      expectSettingsOff();
    });

    it('two orgs whose names map to the same file (acme+eu, acme_eu): RenHandoffFileClashError before anything', async () => {
      const alias = await ws.session.sf([
        'alias',
        'set',
        `acme+eu=${usernameOf(org2)}`,
        `acme_eu=${usernameOf(org3)}`,
        '--json',
      ]);
      expect(alias.code, alias.stdout).to.equal(0);
      const dir = dirOf('clash');
      const before = requestCounts();
      const run = await onboard(['-o', 'acme+eu', '-o', 'acme_eu', '--output-dir', dir, '--allow-secret-access']);
      expect(run.code).to.equal(1);
      expect(run.body.name).to.equal('RenHandoffFileClashError');
      expect(run.body.message).to.include(`${join(dir, 'acme_eu.json')}: acme+eu and acme_eu`);
      expect(requestCounts()).to.deep.equal(before);
      expect(existsSync(dir) ? readdirSync(dir) : []).to.deep.equal([]);
      for (const org of [org2, org3])
        expect(org.emulator.org.getComponent('ExternalClientApplication', 'ren')).to.equal(undefined);
    });
  });

  describe('an existing hand-off file is done only when it holds the org’s current pair', () => {
    const args = (): string[] => [
      '-o',
      org2.alias,
      '-o',
      org3.alias,
      '--output-dir',
      dirOf('main'),
      '--allow-secret-access',
      '--profile',
      ADMIN,
    ];
    const file = (org: OrgUnderTest): string => join(dirOf('main'), `${org.alias}.json`);

    it('first run: each org gets its own 0600 file with exactly its pair', async () => {
      const run = await onboard(args());
      expect(run.code, run.stdout + run.stderr).to.equal(0);
      for (const org of [org2, org3]) {
        expect(outcomes(run)[org.alias]).to.deep.include({ ok: true, readyForRen: true });
        expect(outcomes(run)[org.alias].handoff).to.deep.equal({ status: 'done', to: [file(org)] });
        expect(readHandoff(file(org))).to.deep.equal(pairOf(org));
        expect(statSync(file(org)).mode & 0o777).to.equal(0o600);
      }
      expectSettingsOff();
    });

    it("a dead key (the app deleted and made anew) and another org's file both fail, naming what differs; the files are left alone", async () => {
      const oldPair = pairOf(org2);
      // The app is deleted (the org as it was before it); this run makes it anew, with a new key and secret.
      org2.emulator.reset();
      // org3's path holds org2's file.
      writeFileSync(file(org3), readFileSync(file(org2)), { mode: 0o600 });
      const held = [org2, org3].map((org) => readFileSync(file(org), 'utf8'));

      const run = await onboard(args());
      expect(run.code).to.equal(1);
      const byOrg = outcomes(run);
      expect(byOrg[org2.alias].app?.status).to.equal('created');
      expect(pairOf(org2).consumerKey).to.not.equal(oldPair.consumerKey);
      expect(byOrg[org2.alias]).to.deep.include({ ok: false, readyForRen: false });
      expect(byOrg[org2.alias].handoff.status).to.equal('failed');
      expect(byOrg[org2.alias].error).to.deep.include({ step: 'handoff', name: 'RenHandoffFileStaleError' });
      expect(byOrg[org2.alias].error?.message).to.include('(it differs in: consumerKey, consumerSecret)');
      expect(byOrg[org3.alias].error).to.deep.include({ step: 'handoff', name: 'RenHandoffFileStaleError' });
      expect(byOrg[org3.alias].error?.message).to.include(
        '(it differs in: orgId, loginUrl, consumerKey, consumerSecret)',
      );
      expect(byOrg[org3.alias].error?.actions?.join('\n')).to.include('--force');
      expect([org2, org3].map((org) => readFileSync(file(org), 'utf8'))).to.deep.equal(held);
      // Neither message holds a secret.
      expect(`${run.stdout}${run.stderr}`)
        .not.to.include(oldPair.consumerSecret)
        .and.not.to.include(pairOf(org2).consumerSecret);
      expectSettingsOff();
    });

    it('--force replaces both with the current pairs and sweeps the temporary copy a killed run left (not a live one)', async () => {
      const dead = spawnSync(process.execPath, ['-e', '0']).pid;
      const deadCopy = join(dirOf('main'), `.${org2.alias}.json.${dead}.0123456789ab.tmp`);
      const liveCopy = join(dirOf('main'), `.${org2.alias}.json.${process.pid}.ba9876543210.tmp`);
      const planted = 'PLANTED-SECRET-OF-A-KILLED-RUN-77f0';
      secrets.add(planted);
      writeFileSync(deadCopy, JSON.stringify({ consumerSecret: planted }), { mode: 0o600 });
      writeFileSync(liveCopy, '{}', { mode: 0o600 });

      const run = await onboard([...args(), '--force']);
      expect(run.code, run.stdout + run.stderr).to.equal(0);
      for (const org of [org2, org3]) {
        expect(outcomes(run)[org.alias].handoff.status).to.equal('done');
        expect(readHandoff(file(org))).to.deep.equal(pairOf(org));
        expect(statSync(file(org)).mode & 0o777).to.equal(0o600);
      }
      expect(existsSync(deadCopy)).to.equal(false);
      expect(existsSync(liveCopy)).to.equal(true);
      expectSettingsOff();
    });
  });

  describe('an org that cannot run fails alone; the others complete', () => {
    it('a bad -o alias fails alone (exit 1) while the others complete; the same org named by alias and username runs once', async () => {
      const dir = dirOf('mixed');
      const from = requestCounts();
      const run = await onboard([
        '-o',
        org2.alias,
        '-o',
        usernameOf(org2),
        '-o',
        'no-such-org',
        '-o',
        org3.alias,
        '--output-dir',
        dir,
        '--allow-secret-access',
        '--profile',
        ADMIN,
      ]);
      expect(run.code).to.equal(1);
      const orgs = run.body.result?.orgs ?? [];
      expect(orgs.map((o) => o.org)).to.deep.equal([`${org2.alias}, ${usernameOf(org2)}`, 'no-such-org', org3.alias]);
      expect(orgs[0]).to.deep.include({ ok: true, readyForRen: true });
      expect(orgs[1]).to.deep.include({ ok: false, readyForRen: false });
      expect(orgs[1].error?.step).to.equal('resolve');
      expect(orgs[1].error?.message).to.include('no-such-org');
      expect(orgs[2]).to.deep.include({ ok: true, readyForRen: true });
      // org2 ran once: one secret read, one file named after the first name given.
      const reads = org2.emulator.requests
        .slice(from[1])
        .filter((r) => /\/apps\/oauth\/credentials\/\w+\/\w+$/.test(r.path));
      expect(reads).to.have.length(1);
      expect(readdirSync(dir).sort()).to.deep.equal([`${org2.alias}.json`, `${org3.alias}.json`]);
      expect(readHandoff(join(dir, `${org2.alias}.json`))).to.deep.equal(pairOf(org2));
      expectSettingsOff();
    });

    it('--skip-handoff: the org is set up, its hand-off "skipped", not ready for Ren, exit 0; the secret is never read', async () => {
      const from = requestCounts();
      const run = await onboard(['-o', org3.alias, '--skip-handoff', '--profile', ADMIN]);
      expect(run.code, run.stdout + run.stderr).to.equal(0);
      const [outcome] = run.body.result?.orgs ?? [];
      expect(outcome).to.deep.include({ ok: true, readyForRen: false });
      expect(outcome.handoff).to.deep.equal({ status: 'skipped', to: [] });
      expect(outcome.ready?.ok).to.equal(true);
      expect(secretReadStarted(org3.emulator, from[2])).to.equal(false);
      expect(org3.emulator.requests.slice(from[2]).some((r) => r.soapMethod === 'updateMetadata')).to.equal(false);
      expectSettingsOff();
    });

    it('a multi-line error is kept whole in the details section under the table', async () => {
      for (const [type, fullName] of [
        ['ExternalClientApplication', 'ren'],
        ['ExtlClntAppOauthSettings', 'ren_oauth'],
      ]) {
        org1.emulator.faults.add({
          fault: 'deploy-component-failure',
          times: 1,
          component: { type, fullName, problem: `E2E refused ${fullName}` },
        });
      }
      const run = await ws.session.sf([
        'ren',
        'onboard',
        '-o',
        org1.alias,
        '-o',
        org3.alias,
        '--skip-handoff',
        '--profile',
        ADMIN,
      ]);
      expect(run.code).to.equal(1);
      const at = run.stdout.indexOf('\nDetails\n');
      expect(at, run.stdout).to.be.greaterThan(0);
      const [table, details] = [run.stdout.slice(0, at), run.stdout.slice(at)];
      expect(table).to.include('RenDeployFailedError').and.include('(see details)');
      expect(table).not.to.include('E2E refused');
      expect(details).to.match(
        /^org1: RenDeployFailedError: Salesforce rejected the deploy \w+; nothing was changed in the org\.$/m,
      );
      expect(details).to.include('\n  - ExternalClientApplication ren: E2E refused ren\n');
      expect(details).to.include('\n  - ExtlClntAppOauthSettings ren_oauth: E2E refused ren_oauth\n');
      expect(details).to.include('  → Fix the values named above');
      expect(run.stdout).to.include('1 of 2 orgs did not finish');
      expect(org1.emulator.org.getComponent('ExternalClientApplication', 'ren')).to.equal(undefined);
      expectSettingsOff();
    });
  });

  describe("Ren's token and URL are checked before any org is contacted", () => {
    const toRen = (url: string): string[] => [
      '-o',
      org2.alias,
      '--ren-url',
      url,
      '--allow-secret-access',
      '--profile',
      ADMIN,
    ];
    let before: number[];
    beforeEach(() => {
      before = requestCounts();
      receiver.received.splice(0);
    });
    const nothingContacted = (): void => {
      expect(requestCounts()).to.deep.equal(before);
      expect(receiver.received).to.deep.equal([]);
      expectSettingsOff();
    };

    it('REN_API_TOKEN holding a line break is refused as the same token on stdin is', async () => {
      const fromEnv = await onboard(toRen(receiver.url), { REN_API_TOKEN: `${TOKEN}\nX-Injected: 1` });
      const fromStdin = await onboard(toRen(receiver.url), {}, `${TOKEN}\nX-Injected: 1\n`);
      for (const [run, source] of [
        [fromEnv, 'REN_API_TOKEN'],
        [fromStdin, 'stdin'],
      ] as const) {
        expect(run.code).to.equal(1);
        expect(run.body.name).to.equal('RenTokenInvalidError');
        expect(run.body.message).to.equal(
          `Ren's API token must be ${source}: one line without spaces, at most 8 KiB; give only the token.`,
        );
        expect(`${run.stdout}${run.stderr}`).not.to.include(TOKEN);
      }
      nothingContacted();
    });

    it('NODE_TLS_REJECT_UNAUTHORIZED=0 with --ren-url is refused', async () => {
      const run = await onboard(toRen('https://ren.example.com/api/salesforce/credentials'), {
        REN_API_TOKEN: TOKEN,
        NODE_TLS_REJECT_UNAUTHORIZED: '0',
      });
      expect(run.code).to.equal(1);
      expect(run.body.name).to.equal('RenTlsVerificationOffError');
      nothingContacted();
    });

    it('http://localhost is refused; http://127.0.0.1 hands off, and only the origin and path are echoed', async () => {
      const { port, pathname } = new URL(receiver.url);
      const refused = await onboard(toRen(`http://localhost:${port}${pathname}`), { REN_API_TOKEN: TOKEN });
      expect(refused.code).to.equal(1);
      expect(refused.body.name).to.equal('RenBadUrlError');
      expect(refused.body.message).to.include('plain http is allowed only to a loopback address');
      nothingContacted();

      const signed = `${receiver.url}?signature=q-secret-8d21`;
      const run = await onboard(toRen(signed), { REN_API_TOKEN: TOKEN });
      expect(run.code, run.stdout + run.stderr).to.equal(0);
      expect(run.body.result?.orgs[0].handoff).to.deep.equal({ status: 'done', to: [receiver.url] });
      expect(receiver.received).to.have.length(1);
      expect(receiver.received[0].headers.authorization).to.equal(`Bearer ${TOKEN}`);
      expect(receiver.received[0].body).to.deep.equal(pairOf(org2));
      expect(`${run.stdout}${run.stderr}`).not.to.include('q-secret-8d21').and.not.to.include(TOKEN);
      expectSettingsOff();
    });
  });

  describe('the orgs file', () => {
    it('--orgs-file alone needs no default org; an entry with a bad value fails alone, before its org is contacted', async () => {
      const unset = await ws.session.sf(['config', 'unset', 'target-org', '--global', '--json']);
      expect(unset.code, unset.stdout).to.equal(0);
      const file = join(ws.session.home, 'orgs.json');
      writeFileSync(
        file,
        JSON.stringify({
          orgs: [
            { targetOrg: org2.alias, profiles: [ADMIN] },
            { targetOrg: org3.alias, profiles: ['Sales, Marketing'] },
          ],
        }),
      );
      const from = requestCounts();
      const run = await onboard(['--orgs-file', file, '--skip-handoff']);
      expect(run.code).to.equal(1);
      const orgs = run.body.result?.orgs ?? [];
      expect(orgs.map((o) => o.org)).to.deep.equal([org2.alias, org3.alias]);
      expect(orgs[0]).to.deep.include({ ok: true });
      expect(orgs[1]).to.deep.include({ ok: false });
      expect(orgs[1].error?.step).to.equal('resolve');
      expect(orgs[1].error?.message).to.include('names must not be empty or contain commas');
      expect(org3.emulator.requests.length).to.equal(from[2]);
      // The former default org was not added to the run.
      expect(org1.emulator.requests.length).to.equal(from[0]);
      expectSettingsOff();
    });
  });

  describe('the leak scan, after every run above', () => {
    it('no consumer secret, planted secret or token in any file of the HOME (TMPDIR included) but the 0600 hand-off files', () => {
      expect(secrets.size).to.be.greaterThan(3);
      expect(ws.tmp.startsWith(ws.session.home)).to.equal(true);
      expect(leaksUnder(ws.session.home, [...secrets, TOKEN, 'q-secret-8d21'], [handoffRoot()])).to.deep.equal([]);
    });
  });
});
