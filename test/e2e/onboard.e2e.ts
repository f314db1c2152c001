/*
 * End to end: `sf ren onboard` through the real sf, for one org and for several (each its own emulator,
 * logged into the same sf). One sf HOME for the file.
 */
import { readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { DEFAULT_PROFILES } from '../emulator/org/seed.js';
import { startSfSession, type SfSession } from './harness.js';
import { startRenReceiver } from './renReceiver.js';
import { filesUnder } from './renOrg.js';

type Outcome = {
  org: string;
  ok: boolean;
  app?: { apiName: string; status: string; changes: Array<{ type: string; field: string }>; dryRun: boolean };
  handoff: { status: string; to: string[] };
  ready?: { ok: boolean; failed: Array<{ name: string; fix?: string }> };
  error?: { step: string; name: string; message: string; actions?: string[] };
};
type OnboardJson = { status: number; name?: string; message?: string; result?: { ok: boolean; orgs: Outcome[] } };

describe('sf ren onboard (end to end, real sf + emulators)', function () {
  this.timeout(300_000);
  let session: SfSession;
  const onboard = async (...args: string[]) => {
    const run = await session.sf(['ren', 'onboard', '--json', ...args]);
    return { ...run, body: run.json as OnboardJson };
  };
  const out = (name: string) => join(session.home, 'handoff', name);

  before(async () => {
    session = await startSfSession({ linkPlugin: true });
    await session.addOrg('client2');
    // This org's admin lacks the External Client App permissions.
    await session.addOrg('client3', {
      profiles: [
        ...DEFAULT_PROFILES,
        {
          Name: 'Plain Admin',
          permissions: {
            PermissionsApiEnabled: true,
            PermissionsCustomizeApplication: true,
            PermissionsModifyMetadata: true,
            PermissionsViewSetup: true,
          },
        },
      ],
      users: [{ Username: 'admin@client3.example.com', LastName: 'Admin', profile: 'Plain Admin' }],
    });
    const mkdir = await session.sf(['plugins']); // the HOME exists; make the hand-off folder
    expect(mkdir.code).to.equal(0);
    await import('node:fs/promises').then((fs) => fs.mkdir(join(session.home, 'handoff')));
  });
  after(async () => {
    await session?.close();
  });

  it('takes one org from nothing to a green status and a completed hand-off', async () => {
    const { code, body, stderr } = await onboard(
      '-o',
      session.alias,
      '--profile',
      'Sales',
      '--output-dir',
      out(''),
      '--allow-secret-access',
    );
    expect(code, JSON.stringify(body) + stderr).to.equal(0);
    const [org] = body.result!.orgs;
    expect(org).to.deep.include({ org: session.alias, ok: true });
    expect(org.app).to.deep.include({ apiName: 'ren', status: 'created' });
    expect(org.handoff.status).to.equal('done');
    expect(org.ready).to.deep.include({ ok: true, failed: [] });
    const file = out(`${session.alias}.json`);
    expect((await stat(file)).mode & 0o777).to.equal(0o600);
    const handed = JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
    expect(handed.loginUrl).to.equal(session.emulator.url);
    expect(handed.consumerSecret).to.be.a('string').and.not.equal('');
    // The secret is in the file only, never in the output.
    expect(JSON.stringify(body)).not.to.include(handed.consumerSecret);
    expect(
      session.emulator.org.getComponent('ExtlClntAppOauthConfigurablePolicies', 'ren_oauthPlcy')?.record
        .commaSeparatedProfile,
    ).to.equal('Sales');
  });

  it('changes nothing on a re-run', async () => {
    const deploys = session.emulator.org.deploys.size;
    const { code, body } = await onboard(
      '-o',
      session.alias,
      '--profile',
      'Sales',
      '--output-dir',
      out(''),
      '--allow-secret-access',
    );
    expect(code).to.equal(0);
    expect(body.result!.orgs[0].app?.status).to.equal('unchanged');
    expect(body.result!.orgs[0].handoff.status).to.equal('already-done');
    expect(session.emulator.org.deploys.size).to.equal(deploys);
  });

  it('shows what it would do with --dry-run and changes nothing', async () => {
    const client2 = session.others.get('client2')!;
    const { code, body } = await onboard('-o', 'client2', '--dry-run', '--output-dir', out(''));
    expect(code, JSON.stringify(body)).to.equal(0);
    const [org] = body.result!.orgs;
    expect(org.app).to.deep.include({ status: 'created', dryRun: true });
    expect(org.handoff).to.deep.equal({ status: 'planned', to: [out('client2.json')] });
    expect(client2.org.getComponent('ExternalClientApplication', 'ren')).to.equal(undefined);
    expect([...client2.org.deploys.values()].every((d) => d.options.checkOnly)).to.equal(true);
  });

  it('runs three orgs at once: one fails, the other two finish, and the table and exit code say which', async () => {
    const run = await session.sf([
      'ren',
      'onboard',
      '-o',
      session.alias,
      '-o',
      'client2',
      '-o',
      'client3',
      '--output-dir',
      out(''),
      '--allow-secret-access',
      '--profile',
      'System Administrator',
      '--force',
    ]);
    expect(run.code).to.not.equal(0);
    expect(run.stdout, run.stdout).to.match(/client3.*RenPermissionError/);
    expect(run.stdout).to.include('1 of 3 orgs did not finish');
    const { body } = await onboard(
      '-o',
      session.alias,
      '-o',
      'client2',
      '-o',
      'client3',
      '--output-dir',
      out(''),
      '--allow-secret-access',
      '--profile',
      'System Administrator',
    );
    expect(body.status).to.equal(1);
    const byOrg = Object.fromEntries(body.result!.orgs.map((o) => [o.org, o]));
    expect(byOrg[session.alias].ok).to.equal(true);
    expect(byOrg.client2.ok).to.equal(true);
    expect(byOrg.client2.handoff.status).to.be.oneOf(['done', 'already-done']);
    expect(byOrg.client3).to.deep.include({ ok: false });
    expect(byOrg.client3.error).to.deep.include({ step: 'create', name: 'RenPermissionError' });
    expect(byOrg.client3.error?.message).to.include('Create, edit, and delete External Client Apps');
    expect(session.others.get('client3')!.org.getComponent('ExternalClientApplication', 'ren')).to.equal(undefined);
    // One file per org, never mixed.
    const second = JSON.parse(await readFile(out('client2.json'), 'utf8')) as { loginUrl: string };
    expect(second.loginUrl).to.equal(session.others.get('client2')!.url);
  });

  it('reads the orgs and their own profiles from an orgs file', async () => {
    const { writeFile } = await import('node:fs/promises');
    const file = join(session.home, 'orgs.json');
    await writeFile(file, JSON.stringify({ orgs: [{ targetOrg: 'client2', profiles: ['System Administrator'] }] }));
    const { code, body } = await onboard('--orgs-file', file, '--skip-handoff');
    expect(code, JSON.stringify(body)).to.equal(0);
    expect(body.result!.orgs.map((o) => o.org)).to.deep.equal(['client2']);
    const policy = [
      ...(session.others.get('client2')!.org.metadata.get('ExtlClntAppOauthConfigurablePolicies')?.values() ?? []),
    ][0];
    expect(policy?.record.commaSeparatedProfile).to.include('System Administrator');
    const bad = await writeFile(file, JSON.stringify({ orgs: [{ org: 'client2' }] })).then(() =>
      onboard('--orgs-file', file, '--skip-handoff'),
    );
    expect(bad.code).to.not.equal(0);
    expect(bad.body.name).to.equal('RenOrgsFileError');
    expect(bad.body.message).to.include('orgs[0].org: is not a known key');
  });

  it("leak scan: with sf's log file, trace logging and DEBUG=*, the secret and the token are only in the hand-off files", async () => {
    const { mkdir } = await import('node:fs/promises');
    const dir = join(session.home, 'handoff-leak');
    await mkdir(dir);
    const ren = await startRenReceiver();
    const token = 'ren-onboard-leak-token-93b1';
    try {
      const trace = { SF_LOG_LEVEL: 'trace', SF_DISABLE_LOG_FILE: undefined, REN_API_TOKEN: token };
      const args = [
        'ren',
        'onboard',
        '-o',
        session.alias,
        '-o',
        'client2',
        '--output-dir',
        dir,
        '--ren-url',
        ren.url,
        '--allow-secret-access',
        '--profile',
        'System Administrator',
        '--force',
      ];
      const runs = [
        await session.sf(args, { env: { ...trace, DEBUG: '*' } }),
        await session.sf([...args, '--json'], { env: trace }),
      ];
      for (const run of runs) expect(run.code, run.stderr.slice(-1500)).to.equal(0);
      const secrets = [session.alias, 'client2'].map(
        (org) =>
          (JSON.parse(readFileSync(join(dir, `${org}.json`), 'utf8')) as { consumerSecret: string }).consumerSecret,
      );
      expect(ren.received.map((r) => r.headers.authorization)).to.deep.equal(Array(4).fill(`Bearer ${token}`));
      // The logging really was on.
      expect(runs[0].stdout + runs[0].stderr).to.match(/TRACE|oclif:sf:ren:onboard/);
      for (const [index, run] of runs.entries()) {
        for (const secret of [...secrets, token]) {
          expect(run.stdout.includes(secret), `run ${index} stdout`).to.equal(false);
          expect(run.stderr.includes(secret), `run ${index} stderr`).to.equal(false);
        }
      }
      const handoffFiles = [session.alias, 'client2'].map((org) => join(dir, `${org}.json`));
      const leaks = filesUnder(session.home)
        .filter((f) => !handoffFiles.includes(f.path) && !f.path.startsWith(join(session.home, 'handoff')))
        .filter((f) => [...secrets, token].some((secret) => f.text.includes(secret)))
        .map((f) => f.path);
      expect(leaks).to.deep.equal([]);
    } finally {
      await ren.close();
    }
  });
});
