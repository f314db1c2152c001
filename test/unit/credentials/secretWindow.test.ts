import { rm } from 'node:fs/promises';
import { expect } from 'chai';
import sinon from 'sinon';
import type { SfError } from '@salesforce/core';
import { secretReadError } from '../../../src/credentials/consumer.js';
import { listPendingRestores, pendingFolder, type PendingRestore } from '../../../src/credentials/pendingRestore.js';
import { readSecretAccess, SECRET_SETTING_PAGE, writeSecretAccess } from '../../../src/credentials/secretSetting.js';
import { withSecretAccess } from '../../../src/credentials/secretWindow.js';
import { refuseWrites, refuseWritesOf, settingOrg, useTemporaryHome } from './settingOrg.js';

const ORG = { orgId: '00D000000000001AAA', username: 'admin@acme.example', target: 'acme' };
const allowed = { allow: true, before: false, org: ORG } as const;

const failure = async (work: Promise<unknown>): Promise<SfError> =>
  work.then(
    () => expect.fail('should have failed'),
    (error: SfError) => error,
  );

/** The error the read throws when the org refuses the secret because of the setting (as consumer.ts maps it). */
const refusedForSetting = (): Error =>
  secretReadError(Object.assign(new Error('not enabled'), { errorCode: 'FUNCTIONALITY_NOT_ENABLED' }), [])!;

describe('the org setting for reading secrets', () => {
  it('reads the setting, or undefined when the org does not say', async () => {
    expect(await readSecretAccess(settingOrg(true).conn)).to.equal(true);
    expect(await readSecretAccess(settingOrg(false).conn)).to.equal(false);
    expect(await readSecretAccess(settingOrg(undefined).conn)).to.equal(undefined);
  });

  it('writes the setting, and fails with what the org said when it does not save it', async () => {
    const org = settingOrg(false);
    await writeSecretAccess(org.conn, true);
    expect(org.value).to.equal(true);
    const refused = await writeSecretAccess(settingOrg(false, refuseWrites).conn, true).catch((e: Error) => e);
    expect(refused).to.be.instanceOf(Error);
    expect((refused as Error).message).to.equal('INSUFFICIENT_ACCESS: no');
  });
});

describe('the secret-access window', () => {
  useTemporaryHome();
  afterEach(async () => rm(pendingFolder(), { recursive: true, force: true }));

  it('opens the setting for the read only, puts back the value read and reads it back', async () => {
    const org = settingOrg(false);
    const seen = await withSecretAccess(org.conn, allowed, async (window) => {
      expect(org.value).to.equal(true);
      return window;
    });
    expect(seen).to.deep.equal({ before: false, opened: true });
    expect(org.log).to.deep.equal(['write:true', 'read:true', 'write:false', 'read:false']);
    expect(org.value).to.equal(false);
  });

  it('never touches a setting that is on, or one it was not allowed to open', async () => {
    for (const [before, allow] of [
      [true, true],
      [true, false],
      [false, false],
    ] as const) {
      const org = settingOrg(before);
      const seen = await withSecretAccess(org.conn, { allow, before, org: ORG }, async (window) => window);
      expect(seen).to.deep.equal({ before, opened: false });
      expect(org.log).to.deep.equal([]);
      expect(await listPendingRestores()).to.deep.equal([]);
    }
  });

  it('an unknown value and a read refused for the setting: RenSecretAccessUnknownError, nothing written', async () => {
    const org = settingOrg(undefined);
    const error = await failure(
      withSecretAccess(org.conn, { ...allowed, before: undefined }, async () => {
        throw refusedForSetting();
      }),
    );
    expect(error.name).to.equal('RenSecretAccessUnknownError');
    expect(org.log).to.deep.equal([]);
    expect(await listPendingRestores()).to.deep.equal([]);
  });

  it('an unknown value: a read that works is returned, another error passes through unchanged', async () => {
    const org = settingOrg(undefined);
    expect(await withSecretAccess(org.conn, { ...allowed, before: undefined }, async () => 'read')).to.equal('read');
    const other = new Error('something else');
    const error = await withSecretAccess(org.conn, { ...allowed, before: undefined }, async () => {
      throw other;
    }).catch((e: unknown) => e);
    expect(error).to.equal(other);
    expect(org.log).to.deep.equal([]);
  });

  it("puts it back when the read fails, and passes the read's error on", async () => {
    const org = settingOrg(false);
    const readError = new Error('read failed');
    const error = await withSecretAccess(org.conn, allowed, async () => {
      throw readError;
    }).catch((e: unknown) => e);
    expect(error).to.equal(readError);
    expect(org.writes).to.deep.equal([true, false]);
    expect(org.value).to.equal(false);
    expect(await listPendingRestores()).to.deep.equal([]);
  });

  it('writes the pending record before the opening write, and removes it once the restore is confirmed', async () => {
    const atOpening: PendingRestore[][] = [];
    const org = settingOrg(false, async (value) => {
      if (value) atOpening.push(await listPendingRestores(ORG.orgId));
    });
    await withSecretAccess(org.conn, allowed, async () => 'read');
    expect(atOpening).to.have.length(1);
    expect(atOpening[0]).to.have.length(1);
    expect(atOpening[0][0]).to.deep.include({
      orgId: ORG.orgId,
      username: ORG.username,
      value: false,
      pid: process.pid,
      setting: 'ExternalClientAppSettings.enableClientSecretInRestApiAccess',
    });
    expect(await listPendingRestores()).to.deep.equal([]);
  });

  it('a restore that fails: RenSecretAccessRestoreError with the Setup page, and the pending record stays', async () => {
    const org = settingOrg(false, refuseWritesOf(false));
    const error = await failure(withSecretAccess(org.conn, allowed, async () => 'read'));
    expect(error.name).to.equal('RenSecretAccessRestoreError');
    expect(error.message).to.include('NOT PUT BACK').and.include('INSUFFICIENT_ACCESS: no');
    expect(error.actions?.join('\n')).to.include(SECRET_SETTING_PAGE).and.include('--target-org acme');
    expect(org.value).to.equal(true);
    const records = await listPendingRestores(ORG.orgId);
    expect(records.map((r) => r.value)).to.deep.equal([false]);
  });

  it('a restore the org does not confirm (it still shows on) fails the same way, keeping the record', async () => {
    const org = settingOrg(false, (value) => (value ? undefined : 'ignore'));
    const error = await failure(withSecretAccess(org.conn, allowed, async () => 'read'));
    expect(error.name).to.equal('RenSecretAccessRestoreError');
    expect(error.message).to.include('still shows true');
    expect(org.log.at(-1)).to.equal('read:true');
    expect(await listPendingRestores(ORG.orgId)).to.have.length(1);
  });

  it('retries a restore that fails for a passing reason', async () => {
    let failures = 1;
    const org = settingOrg(false, (value) => {
      if (!value && failures-- > 0) throw new Error('UNKNOWN_EXCEPTION: try again');
    });
    expect(await withSecretAccess(org.conn, allowed, async () => 'read')).to.equal('read');
    expect(org.log).to.deep.equal(['write:true', 'read:true', 'write:false', 'write:false', 'read:false']);
    expect(await listPendingRestores()).to.deep.equal([]);
  });

  it('when the setting cannot be turned on: RenSecretAccessOpenError, the read never runs', async () => {
    const org = settingOrg(false, refuseWritesOf(true));
    const read = sinon.fake.resolves('read');
    const error = await failure(withSecretAccess(org.conn, allowed, read));
    expect(error.name).to.equal('RenSecretAccessOpenError');
    expect(error.message).to.include('INSUFFICIENT_ACCESS');
    expect(read.called).to.equal(false);
    expect(org.value).to.equal(false);
    expect(await listPendingRestores()).to.deep.equal([]);
  });

  it('when no write is allowed at all (no permission): RenSecretAccessOpenError, not a false alarm', async () => {
    // The org never changed: the setting still holds the value read, so there is nothing to put back or to record.
    const org = settingOrg(false, refuseWrites);
    const read = sinon.fake.resolves('read');
    const error = await failure(withSecretAccess(org.conn, allowed, read));
    expect(error.name).to.equal('RenSecretAccessOpenError');
    expect(read.called).to.equal(false);
    expect(org.value).to.equal(false);
    expect(await listPendingRestores()).to.deep.equal([]);
  });
});

describe('what the refusal of the secret means', () => {
  it('names the setting or the missing permissions when the org refuses the secret', () => {
    const off = Object.assign(new Error('Access to consumer secrets through the REST API is not currently enabled'), {
      errorCode: 'FUNCTIONALITY_NOT_ENABLED',
    });
    expect(secretReadError(off, [])?.name).to.equal('RenSecretAccessOffError');
    expect(secretReadError(new Error('This feature is not enabled'), [])?.name).to.equal('RenSecretAccessOffError');
    const denied = Object.assign(new Error('no'), { errorCode: 'INSUFFICIENT_ACCESS' });
    const error = secretReadError(denied, ['"View Client Secret" (ViewClientSecret)']);
    expect(error?.name).to.equal('RenSecretPermissionError');
    expect(error?.message).to.include('View Client Secret');
    expect(secretReadError(denied, [])?.message).to.include('no');
    expect(secretReadError(new Error('something else'), [])).to.equal(undefined);
  });
});
