import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { useEmulatorOrg } from '../emulatorOrg.js';
import { useOfflineOrg } from '../offlineOrg.js';
import { useTerminal } from '../terminal.js';
import { readHandoff } from '../../../e2e/renOrg.js';
import { onboardRows } from '../../../../src/onboard/report.js';
import RenOnboard from '../../../../src/commands/ren/onboard.js';

const NOBODY = 'nobody@nowhere.example.com';
const freshDir = (): string => mkdtempSync(join(tmpdir(), 'ren-onboard-'));

describe('sf ren onboard (unit)', () => {
  const terminal = useTerminal();
  const savedToken = process.env.REN_API_TOKEN;
  afterEach(() => {
    if (savedToken === undefined) delete process.env.REN_API_TOKEN;
    else process.env.REN_API_TOKEN = savedToken;
  });

  describe('before any org is contacted', () => {
    const offline = useOfflineOrg();

    it('needs a hand-off mode, or --skip-handoff', async () => {
      const error = await offline.runExpectingError(RenOnboard, []);
      expect(error.name).to.equal('RenNoHandoffError');
      expect(error.message).to.include('--skip-handoff');
      expect(offline.ours()).to.deep.equal([]);
    });

    it('refuses a bad app value for every org at once', async () => {
      const error = await offline.runExpectingError(RenOnboard, [
        '--skip-handoff',
        '--callback-url',
        'http://x.com/cb',
      ]);
      expect(error.name).to.equal('RenInvalidDefinitionError');
      expect(error.message).to.include('--callback-url: "http://x.com/cb" must use https');
      expect(offline.ours()).to.deep.equal([]);
    });

    it('refuses an orgs file it cannot use', async () => {
      const file = join(freshDir(), 'orgs.json');
      writeFileSync(file, JSON.stringify({ orgs: [{ targetOrg: 'a', profile: 'Sales' }] }));
      const error = await offline.runExpectingError(RenOnboard, ['--skip-handoff', '--orgs-file', file]);
      expect(error.name).to.equal('RenOrgsFileError');
      expect(error.message).to.include('orgs[0].profile: is not a known key');
      expect(offline.ours()).to.deep.equal([]);
    });

    it('refuses one --output-file for two orgs', async () => {
      const file = join(freshDir(), 'ren.json');
      const error = await offline.runExpectingError(RenOnboard, ['-o', NOBODY, '--output-file', file]);
      expect(error.name).to.equal('RenOutputFileOneOrgError');
      expect(existsSync(file)).to.equal(false);
      expect(offline.ours()).to.deep.equal([]);
    });

    it('refuses --skip-handoff together with a hand-off target, through oclif', async () => {
      const error = await offline.runExpectingError(RenOnboard, ['--skip-handoff', '--output-dir', freshDir()]);
      expect(error.message).to.match(/cannot also be provided when using/);
      expect(offline.ours()).to.deep.equal([]);
    });

    it('asks for the Ren token at a terminal, and refuses an empty one', async () => {
      delete process.env.REN_API_TOKEN;
      terminal(true);
      offline.prompter.secret.resolves('  ');
      const error = await offline.runExpectingError(RenOnboard, ['--ren-url', 'https://ren.example.com/in']);
      expect(offline.prompter.secret.firstCall.args[0].message).to.equal('Ren API token (input is hidden)');
      expect(error.name).to.equal('RenTokenMissingError');
      expect(offline.ours()).to.deep.equal([]);
    });

    it('with no org named and no default org: RenNoOrgsError', async () => {
      let error: Error | undefined;
      await RenOnboard.run(['--skip-handoff']).catch((e: Error) => (error = e));
      expect(error?.name).to.equal('RenNoOrgsError');
      expect(offline.ours()).to.deep.equal([]);
    });
  });

  describe('against an org', () => {
    const org = useEmulatorOrg(() => ({}));

    it('takes one org from nothing to a green status and a hand-off file: the typed result', async () => {
      const dir = freshDir();
      const result = await RenOnboard.run(
        org.argv('--profile', 'Sales', '--output-dir', dir, '--allow-secret-access', '--json'),
      );
      const file = join(dir, `${org.testOrg.username}.json`);
      expect(result.ok).to.equal(true);
      expect(result.orgs).to.have.length(1);
      const [outcome] = result.orgs;
      expect(outcome).to.deep.include({
        org: org.testOrg.username,
        username: org.testOrg.username,
        orgId: org.emulator.org.organization.Id,
        ok: true,
        readyForRen: true,
        handoff: { status: 'done', to: [file] },
      });
      expect(outcome.app).to.deep.include({ apiName: 'ren', status: 'created', dryRun: false });
      expect(outcome.ready).to.deep.include({ ok: true, failed: [] });
      expect(outcome.error).to.equal(undefined);
      expect(statSync(file).mode & 0o777).to.equal(0o600);
      expect(readHandoff(file).consumerKey).to.equal(org.emulator.org.consumerForApp('ren')?.key);
      expect(process.exitCode).to.equal(undefined);
    });

    it('shows a row per org and the verdict', async () => {
      const file = join(freshDir(), 'ren.json');
      const result = await RenOnboard.run(
        org.argv('--profile', 'Sales', '--output-file', file, '--allow-secret-access'),
      );
      const rows = org.ux.table.firstCall.args[0].data as Array<Record<string, string>>;
      expect(rows).to.deep.equal(onboardRows(result.orgs, false));
      expect(rows[0]).to.deep.include({
        Org: org.testOrg.username,
        App: 'ren created',
        Credentials: `done: ${file}`,
        Problem: '',
      });
      expect(rows[0].Ready).to.match(/^yes/);
      expect(org.ux.logSuccess.args.flat()).to.deep.equal(['The org is connected to Ren and meets the guide.']);
      // It ends with the next step: the page to hand over.
      expect(org.ux.log.args.flat().at(-1)).to.equal(
        `Next: one page that says, org by org, what is ready, to hand over: sf ren report --target-org ${org.testOrg.username} --output-file readiness.html`,
      );
    });

    it('an org whose session expired does not stop the others: its row names the error, and the exit code is 1', async () => {
      const result = await RenOnboard.run(
        org.argv('-o', org.expiredOrg.username, '--profile', 'Sales', '--skip-handoff'),
      );
      expect(result.ok).to.equal(false);
      expect(result.orgs.map((o) => [o.org, o.ok])).to.deep.equal([
        [org.testOrg.username, true],
        [org.expiredOrg.username, false],
      ]);
      expect(result.orgs[0].handoff.status).to.equal('skipped');
      expect(result.orgs[1].error).to.deep.include({ step: 'create', name: 'RenSessionExpiredError' });
      expect(result.orgs[1].app).to.equal(undefined);
      expect(process.exitCode).to.equal(1);
      // Several orgs: a line per org and step on stderr, then the table and the count.
      const progress = org.ux.logToStderr.args.map((args) => String(args[0]));
      expect(progress).to.include(`${org.testOrg.username}: Creating or updating the app`);
      expect(progress).to.include(`${org.testOrg.username}: done, ready`);
      expect(org.ux.table.firstCall.args[0].data).to.deep.equal(onboardRows(result.orgs, false));
      expect(org.logged().at(-1)).to.equal(
        '1 of 2 orgs did not finish; each row above names the error and its fix. Re-run the command: it redoes ' +
          'only what is not done.',
      );
    });

    it('--dry-run with an orgs file: a check-only deploy, the hand-off planned, nothing written', async () => {
      const dir = freshDir();
      const orgsFile = join(dir, 'orgs.json');
      writeFileSync(orgsFile, JSON.stringify({ orgs: [{ targetOrg: org.testOrg.username, profiles: ['Sales'] }] }));
      const out = join(dir, 'out');
      const result = await RenOnboard.run(['--orgs-file', orgsFile, '--output-dir', out, '--dry-run', '--json']);
      const [outcome] = result.orgs;
      expect(outcome).to.deep.include({
        ok: true,
        handoff: { status: 'planned', to: [join(out, `${org.testOrg.username}.json`)] },
      });
      expect(outcome.app).to.deep.include({ status: 'created', dryRun: true });
      expect(org.writes().map((r) => r.soapMethod)).to.deep.equal(['deploy']);
      expect([...org.emulator.org.deploys.values()][0].options.checkOnly).to.equal(true);
      expect(existsSync(out)).to.equal(false);
    });

    it('--dry-run shows each org its change in human output, not only in --json', async () => {
      const out = join(freshDir(), 'out');
      const result = await RenOnboard.run(org.argv('--profile', 'Sales', '--output-dir', out, '--dry-run'));
      const target = org.testOrg.username;
      expect(org.logged()).to.include(`\n${target}: app ren would be created (dry run, nothing was deployed):`);
      const changes = org.ux.table.secondCall.args[0].data as Array<Record<string, string>>;
      expect(changes).to.deep.equal([
        {
          Component: 'ExtlClntAppOauthConfigurablePolicies ren_oauthPlcy',
          Field: 'commaSeparatedProfile',
          Before: '—',
          After: 'Sales',
        },
      ]);
      expect(result.orgs[0].app?.changes.length).to.be.greaterThan(changes.length);
      expect(
        org.logged().some((line) => /^Not listed: \d+ settings that are as Ren's guide has them/.test(line)),
      ).to.equal(true);
    });
  });
});
