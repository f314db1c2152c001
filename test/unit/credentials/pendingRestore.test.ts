import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import {
  clearPendingRestore,
  completePendingRestores,
  isHeldByLiveRun,
  listPendingRestores,
  pendingFolder,
  recordPendingRestore,
  restoreLeftovers,
  type PendingRestore,
} from '../../../src/credentials/pendingRestore.js';
import { SECRET_SETTING_PAGE } from '../../../src/credentials/secretSetting.js';
import { refuseWrites, settingOrg, useTemporaryHome } from './settingOrg.js';

const ACME = '00D000000000001AAA';
const GLOBEX = '00D000000000002AAA';
/** A process id no run has (above Linux's default pid_max). */
const DEAD_PID = 999_999;

const record = (overrides: Partial<PendingRestore> = {}): PendingRestore => ({
  orgId: ACME,
  setting: 'ExternalClientAppSettings.enableClientSecretInRestApiAccess',
  value: false,
  openedAt: new Date().toISOString(),
  pid: DEAD_PID,
  host: hostname(),
  ...overrides,
});

/** Writes a record as an earlier run would have left it. */
async function leave(left: PendingRestore): Promise<void> {
  await mkdir(pendingFolder(), { recursive: true });
  await writeFile(join(pendingFolder(), `${left.orgId}.${left.pid}.json`), JSON.stringify(left));
}

describe('pending restores of the secret setting', () => {
  const home = useTemporaryHome();
  afterEach(async () => rm(pendingFolder(), { recursive: true, force: true }));

  it("records under the home folder's .sf, private to the user, and lists and clears the record", async () => {
    expect(pendingFolder()).to.equal(join(home(), '.sf', 'plugin-ren', 'pending'));
    expect(await listPendingRestores()).to.deep.equal([]);
    await recordPendingRestore({ orgId: ACME, username: 'admin@acme.example', value: false });
    await recordPendingRestore({ orgId: GLOBEX, value: true });

    const file = join(pendingFolder(), `${ACME}.${process.pid}.json`);
    expect((await stat(file)).mode & 0o777).to.equal(0o600);
    expect((await stat(pendingFolder())).mode & 0o777).to.equal(0o700);
    expect((await readdir(pendingFolder())).sort()).to.deep.equal(
      [`${ACME}.${process.pid}.json`, `${GLOBEX}.${process.pid}.json`].sort(),
    );
    const [acme] = await listPendingRestores(ACME);
    expect(acme).to.deep.include({
      orgId: ACME,
      username: 'admin@acme.example',
      value: false,
      pid: process.pid,
      host: hostname(),
      setting: 'ExternalClientAppSettings.enableClientSecretInRestApiAccess',
    });
    expect(Date.now() - Date.parse(acme.openedAt)).to.be.within(0, 60_000);
    expect(await listPendingRestores()).to.have.length(2);

    await clearPendingRestore(ACME);
    expect((await listPendingRestores()).map((r) => r.orgId)).to.deep.equal([GLOBEX]);
    await clearPendingRestore(ACME);
  });

  it('skips a record that is not JSON, and one whose org id does not match its name', async () => {
    await leave(record());
    await writeFile(join(pendingFolder(), `${ACME}.1.json`), 'not json');
    await writeFile(join(pendingFolder(), `${ACME}.2.json`), JSON.stringify(record({ orgId: GLOBEX, pid: 2 })));
    expect((await listPendingRestores(ACME)).map((r) => r.pid)).to.deep.equal([DEAD_PID]);
  });

  it('knows whether the run that wrote a record may still be going on', () => {
    const old = new Date(Date.now() - 16 * 60_000).toISOString();
    expect(isHeldByLiveRun(record({ pid: process.pid }))).to.equal(true);
    expect(isHeldByLiveRun(record({ pid: process.ppid }))).to.equal(true);
    expect(isHeldByLiveRun(record({ pid: DEAD_PID }))).to.equal(false);
    expect(isHeldByLiveRun(record({ pid: DEAD_PID, host: 'another-host' }))).to.equal(true);
    expect(isHeldByLiveRun(record({ pid: DEAD_PID, host: 'another-host', openedAt: old }))).to.equal(false);
    expect(isHeldByLiveRun(record({ pid: process.pid, host: 'another-host', openedAt: old }))).to.equal(false);
  });

  it('completes what a dead run left: puts the value back, reads it back, removes the record', async () => {
    await leave(record());
    const org = settingOrg(true);
    const done = await completePendingRestores(org.conn, ACME);
    expect(done).to.have.length(1);
    expect(done[0]).to.deep.include({ ok: true });
    expect(done[0].record.pid).to.equal(DEAD_PID);
    expect(org.log).to.deep.equal(['read:true', 'write:false', 'read:false']);
    expect(await listPendingRestores()).to.deep.equal([]);
  });

  it('removes a record whose value the org already holds, without writing', async () => {
    await leave(record());
    const org = settingOrg(false);
    expect((await completePendingRestores(org.conn, ACME)).map((d) => d.ok)).to.deep.equal([true]);
    expect(org.writes).to.deep.equal([]);
    expect(await listPendingRestores()).to.deep.equal([]);
  });

  it('keeps a record it could not complete, and leaves those of live runs and other orgs alone', async () => {
    await leave(record());
    await leave(record({ pid: process.pid }));
    await leave(record({ orgId: GLOBEX }));
    const org = settingOrg(true, refuseWrites);
    const done = await completePendingRestores(org.conn, ACME);
    expect(done).to.have.length(1);
    expect(done[0]).to.deep.include({ ok: false, error: 'INSUFFICIENT_ACCESS: no' });
    expect(org.value).to.equal(true);
    expect((await listPendingRestores()).map((r) => `${r.orgId}.${r.pid}`)).to.have.members([
      `${ACME}.${DEAD_PID}`,
      `${ACME}.${process.pid}`,
      `${GLOBEX}.${DEAD_PID}`,
    ]);
  });

  it('keeps a record when the org does not hold the value after the write', async () => {
    await leave(record());
    const org = settingOrg(true, () => 'ignore');
    const done = await completePendingRestores(org.conn, ACME);
    expect(done.map((d) => d.error)).to.deep.equal(['the org still shows true']);
    expect(await listPendingRestores(ACME)).to.have.length(1);
  });

  it('tells the user, one warning per record, what was put back and what could not be', async () => {
    const openedAt = '2024-05-01T10:00:00.000Z';
    await leave(record({ openedAt }));
    await leave(record({ openedAt, pid: DEAD_PID - 1 }));
    const warnings = await restoreLeftovers(settingOrg(true).conn, ACME);
    expect(warnings).to.have.length(2);
    for (const warning of warnings) expect(warning).to.include(openedAt).and.include('now back to off');

    await leave(record({ openedAt }));
    const failed = await restoreLeftovers(settingOrg(true, refuseWrites).conn, ACME);
    expect(failed).to.have.length(1);
    expect(failed[0]).to.include('putting it back failed: INSUFFICIENT_ACCESS: no').and.include(SECRET_SETTING_PAGE);
    expect(await restoreLeftovers(settingOrg(true).conn, GLOBEX)).to.deep.equal([]);
  });
});
