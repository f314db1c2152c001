/*
 * End to end: when a run cannot put the secret setting back itself (SIGKILL inside the window, or a second signal
 * while it restores), the pending-restore record it wrote before opening the setting is what brings the org back.
 * Read-only commands report it (`sf ren app status` as a failing check, `sf doctor` as a failing diagnostic), and the
 * next command that changes the org completes it (`sf ren app create`, `sf ren onboard`, `sf ren connect`), saying
 * so. Two emulator orgs holding Ren's app, one sf HOME; the tests run in order and share the orgs' state.
 */
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type { RenAppCreateResult } from '../../src/commands/ren/app/create.js';
import type { RenAppStatusResult } from '../../src/commands/ren/app/status.js';
import type { RenConnectResult } from '../../src/commands/ren/connect.js';
import type { RenOnboardResult } from '../../src/commands/ren/onboard.js';
import { REN_SECRET, jsonOf, readHandoff, renOrgSeed, spawnSf, waitFor } from './renOrg.js';
import {
  type OrgUnderTest,
  leaksUnder,
  pendingRecords,
  secretReadStarted,
  secretSettingOf,
  slowSecretReads,
  startWindowSession,
  type WindowSession,
} from './windowSession.js';

type Diagnosis = {
  diagnosticResults: Array<{ testName: string; status: string }>;
  suggestions: string[];
  pluginSpecificData?: Record<string, Array<{ pendingRestores?: Array<{ orgId: string; value: boolean }> }>>;
};

const PENDING_TEST = '[@rensystems/plugin-ren] No org setting left open by an interrupted run';
const SECRET_CHECK = 'Org: consumer secrets via REST API (for sf ren connect)';
const RESTORED_EARLIER =
  /An earlier run that was interrupted left the org setting .* on \(since .*\); it is now back to off \(read back from the org\)/;

describe('pending restores: recovery after SIGKILL and after a second signal (end to end)', function () {
  this.timeout(300_000);
  let ws: WindowSession;
  let org1: OrgUnderTest;
  let org2: OrgUnderTest;
  let killedPid: number | undefined;

  before(async () => {
    ws = await startWindowSession(['org2'], renOrgSeed());
    [org1, org2] = ws.orgs;
    mkdirSync(join(ws.session.home, 'handoff'));
  });
  after(async () => {
    await ws?.session.close();
  });

  const out = (name: string): string => join(ws.session.home, 'handoff', name);
  const orgIdOf = (org: OrgUnderTest): string => org.emulator.org.organization.Id;
  const recordedOrgs = (): string[] => pendingRecords(ws.session).map((r) => r.orgId);

  it('SIGKILL while both windows are open: both settings stay on, and a 0600 record per org says what to put back', async () => {
    slowSecretReads(ws.orgs);
    const from = ws.orgs.map((o) => o.emulator.requests.length);
    const sf = spawnSf(ws.session, [
      'ren',
      'onboard',
      '-o',
      org1.alias,
      '-o',
      org2.alias,
      '--profile',
      'Sales',
      '--output-dir',
      out('killed'),
      '--allow-secret-access',
    ]);
    killedPid = sf.child.pid;
    await waitFor(
      () => ws.orgs.every((o, i) => secretSettingOf(o.emulator) === true && secretReadStarted(o.emulator, from[i])),
      'both windows open',
    );
    sf.child.kill('SIGKILL');
    expect((await sf.done).signal).to.equal('SIGKILL');
    for (const { emulator } of ws.orgs) emulator.faults.clear();

    expect(secretSettingOf(org1.emulator)).to.equal(true);
    expect(secretSettingOf(org2.emulator)).to.equal(true);
    const records = pendingRecords(ws.session);
    expect(records.map((r) => r.orgId).sort()).to.deep.equal([orgIdOf(org1), orgIdOf(org2)].sort());
    for (const record of records) {
      expect(record).to.deep.include({ value: false, pid: killedPid });
      expect(statSync(record.file).mode & 0o777).to.equal(0o600);
      expect(record.text).not.to.include(REN_SECRET);
    }
    // Nothing was handed off: no file, and no temporary copy holding the secret.
    expect(readdirSync(out('killed'))).to.deep.equal([]);
  });

  it('sf ren app status: the setting check fails, naming the interrupted run and the fix; it changes nothing', async () => {
    const run = await ws.session.sf(['ren', 'app', 'status', '--target-org', org1.alias, '--json']);
    const body = jsonOf<RenAppStatusResult>(run);
    expect(run.code).to.equal(1);
    const check = body.result?.checks.find((c) => c.name === SECRET_CHECK);
    expect(check, JSON.stringify(body)).to.deep.include({ status: 'fail' });
    expect(check?.actual).to.match(
      /^on since .*: a run that opened it for a read was interrupted before it put it back$/,
    );
    expect(check?.fix).to.include(`sf ren app create --target-org ${org1.alias}`);
    expect(secretSettingOf(org1.emulator)).to.equal(true);
    expect(recordedOrgs()).to.have.length(2);
  });

  it('sf doctor --plugin @rensystems/plugin-ren: the pending-restore diagnostic fails, with a suggestion per org', async () => {
    const dir = join(ws.session.home, 'doctor');
    mkdirSync(dir);
    const run = await ws.session.sf(['doctor', '--plugin', '@rensystems/plugin-ren', '--output-dir', dir, '--json']);
    const diagnosis = jsonOf<Diagnosis>(run).result;
    expect(diagnosis, run.stdout + run.stderr).not.to.equal(undefined);
    expect(diagnosis?.diagnosticResults).to.deep.include({ testName: PENDING_TEST, status: 'fail' });
    for (const { emulator } of ws.orgs) {
      const username = emulator.org.sessionUser.Username;
      expect(diagnosis?.suggestions.some((s) => s.startsWith(`A run against ${username} was interrupted`))).to.equal(
        true,
      );
    }
    const data = diagnosis?.pluginSpecificData?.['@rensystems/plugin-ren']?.[0]?.pendingRestores ?? [];
    expect(data.map((r) => r.orgId).sort()).to.deep.equal([orgIdOf(org1), orgIdOf(org2)].sort());
    // The doctor only reads.
    expect([secretSettingOf(org1.emulator), secretSettingOf(org2.emulator)]).to.deep.equal([true, true]);
  });

  it("sf ren app create completes that org's restore first and says so; the other org's record stays", async () => {
    const run = await ws.session.sf([
      'ren',
      'app',
      'create',
      '--target-org',
      org1.alias,
      '--profile',
      'Sales',
      '--json',
    ]);
    const body = jsonOf<RenAppCreateResult>(run);
    expect(run.code, run.stdout + run.stderr).to.equal(0);
    expect(body.warnings?.join('\n')).to.match(RESTORED_EARLIER);
    expect(secretSettingOf(org1.emulator)).to.equal(false);
    expect(recordedOrgs()).to.deep.equal([orgIdOf(org2)]);
    expect(secretSettingOf(org2.emulator)).to.equal(true);
  });

  it('sf ren onboard completes the other org first, then opens and closes its own window the normal way', async () => {
    const run = await ws.session.sf([
      'ren',
      'onboard',
      '-o',
      org2.alias,
      '--profile',
      'Sales',
      '--output-dir',
      out('recovered'),
      '--allow-secret-access',
      '--json',
    ]);
    const body = jsonOf<RenOnboardResult>(run);
    expect(run.code, run.stdout + run.stderr).to.equal(0);
    const [outcome] = body.result?.orgs ?? [];
    expect(outcome.warnings.join('\n')).to.match(RESTORED_EARLIER);
    expect(outcome.handoff.status).to.equal('done');
    expect(readHandoff(out(`recovered/${org2.alias}.json`)).consumerSecret).to.equal(REN_SECRET);
    expect(secretSettingOf(org2.emulator)).to.equal(false);
    expect(pendingRecords(ws.session)).to.deep.equal([]);
  });

  it('a second SIGINT while the restore is held ends the run at once, saying the setting may still be on; the next sf ren connect completes it', async () => {
    const file = out('second-signal.json');
    slowSecretReads([org1]);
    const from = org1.emulator.requests.length;
    const sf = spawnSf(ws.session, [
      'ren',
      'connect',
      '--target-org',
      org1.alias,
      '--output-file',
      file,
      '--allow-secret-access',
    ]);
    await waitFor(() => secretSettingOf(org1.emulator) === true && secretReadStarted(org1.emulator, from), 'the read');
    // The restore's write never gets an answer (the opening write is done by now).
    org1.emulator.faults.add({ match: { soapMethod: 'updateMetadata' }, fault: 'hang', times: 1 });
    const writes = (): number =>
      org1.emulator.requests.slice(from).filter((r) => r.soapMethod === 'updateMetadata').length;
    sf.child.kill('SIGINT');
    await waitFor(() => writes() === 2, 'the restore write');
    sf.child.kill('SIGINT');
    const exit = await sf.done;
    const { stderr } = sf.output();
    expect(exit.code, stderr).to.equal(130);
    expect(stderr).to.include('SIGINT: putting back what this command changed in 1 org');
    expect(stderr).to.match(
      new RegExp(`^${org1.alias}: THE ORG SETTING .* MAY STILL BE ON \\(not finished in time\\)\\.`, 'm'),
    );
    expect(stderr).to.include(join(ws.session.home, '.sf', 'plugin-ren', 'pending'));
    expect(secretSettingOf(org1.emulator)).to.equal(true);
    expect(recordedOrgs()).to.deep.equal([orgIdOf(org1)]);
    expect(existsSync(file)).to.equal(false);

    org1.emulator.faults.clear();
    const next = await ws.session.sf([
      'ren',
      'connect',
      '--target-org',
      org1.alias,
      '--output-file',
      file,
      '--allow-secret-access',
      '--json',
    ]);
    const body = jsonOf<RenConnectResult>(next);
    expect(next.code, next.stdout + next.stderr).to.equal(0);
    expect(body.warnings?.join('\n')).to.match(RESTORED_EARLIER);
    expect(readHandoff(file).consumerSecret).to.equal(REN_SECRET);
    expect(secretSettingOf(org1.emulator)).to.equal(false);
    expect(pendingRecords(ws.session)).to.deep.equal([]);
  });

  it('afterwards sf doctor passes the pending-restore diagnostic', async () => {
    const dir = join(ws.session.home, 'doctor-after');
    mkdirSync(dir);
    const run = await ws.session.sf(['doctor', '--plugin', '@rensystems/plugin-ren', '--output-dir', dir, '--json']);
    expect(jsonOf<Diagnosis>(run).result?.diagnosticResults).to.deep.include({
      testName: PENDING_TEST,
      status: 'pass',
    });
    expect([secretSettingOf(org1.emulator), secretSettingOf(org2.emulator)]).to.deep.equal([false, false]);
  });

  it('leak scan: no consumer secret in any file of the HOME (TMPDIR included) but the 0600 hand-off files', () => {
    expect(pendingRecords(ws.session)).to.deep.equal([]);
    expect(leaksUnder(ws.session.home, [REN_SECRET], [join(ws.session.home, 'handoff')])).to.deep.equal([]);
  });
});
