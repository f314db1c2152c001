import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { Global, type SfError } from '@salesforce/core';
import {
  type Collected,
  collectCredentials,
  type ConnectRequest,
  finishRotation,
  revokePrevious,
} from '../../../src/credentials/connect.js';
import type { Consumer } from '../../../src/credentials/consumer.js';
import { listPendingRestores } from '../../../src/credentials/pendingRestore.js';
import type { RotationState } from '../../../src/credentials/rotate.js';
import { writeRotationRecord } from '../../../src/credentials/rotationRecord.js';
import { refuseWritesOf, useTemporaryHome } from './settingOrg.js';
import { APP_ID, CONSUMER_ID, KEY, ORG, orgError, STAGED_URL, stagedOrg, type StagedOrgOptions } from './stagedOrg.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ago = (ms: number): string => new Date(Date.now() - ms).toISOString();
const consumer: Consumer = { id: CONSUMER_ID, key: KEY, name: 'ren', stagedCredentialsUrl: STAGED_URL };

const failure = async (work: Promise<unknown>): Promise<SfError> =>
  work.then(
    () => expect.fail('should have failed'),
    (error: SfError) => error,
  );

/** Requests that change the org's staged records. */
const changes = (calls: string[]): string[] => calls.filter((c) => !c.startsWith('GET '));
/** Requests that read the consumer's secret. */
const secretReads = (calls: string[]): string[] => calls.filter((c) => c.includes('part=keyandsecret'));

const recordOf = (rotatedAt: string, stagedId?: string) =>
  writeRotationRecord({ orgId: ORG.orgId, app: 'ren', method: stagedId ? 'staged' : 'deploy', rotatedAt, stagedId });

function collect(options: StagedOrgOptions, rotate?: ConnectRequest['rotate'], allowSecretAccess = true) {
  const org = stagedOrg(options);
  const rotated: RotationState[] = [];
  const request: ConnectRequest = {
    app: 'ren',
    allowSecretAccess,
    org: ORG,
    rotate,
    onRotated: (state) => rotated.push(state),
  };
  return { org, rotated, result: collectCredentials(org.conn, request) };
}

describe('connect: --rotate --if-older-than', () => {
  useTemporaryHome();
  beforeEach(async () => rm(join(Global.SF_DIR, 'plugin-ren'), { recursive: true, force: true }));

  it("younger than the org's Rotated record says: not due; nothing rotated, no secret read", async () => {
    const createdDate = ago(DAY);
    const { org, rotated, result } = collect(
      { staged: [{ id: '0Sc5', state: 'Rotated', createdDate }] },
      { key: true, ifOlderThanMs: 30 * DAY },
    );
    expect(await result).to.deep.include({ status: 'not-due', app: 'ren', since: createdDate, source: 'org' });
    expect(changes(org.calls())).to.deep.equal([]);
    expect(secretReads(org.calls())).to.deep.equal([]);
    expect(rotated).to.deep.equal([]);
  });

  it("older than the org's Rotated record says: rotates (clearing that record, ours) and reads the new pair", async () => {
    await recordOf(ago(10 * DAY), '0Sc5');
    const { org, rotated, result } = collect(
      { staged: [{ id: '0Sc5', state: 'Rotated', createdDate: ago(10 * DAY) }] },
      { key: true, ifOlderThanMs: 7 * DAY },
    );
    const collected = (await result) as Collected;
    expect(collected.status).to.equal('collected');
    expect(collected.rotation?.method).to.equal('staged');
    expect(collected.payload).to.include({ consumerKey: org.consumer.key, consumerSecret: org.consumer.secret });
    expect(collected.payload.consumerKey).to.not.equal(KEY);
    expect(changes(org.calls()).map((c) => c.split(' ')[0])).to.deep.equal(['DELETE', 'POST', 'PATCH']);
    expect(collected.warnings.join('\n')).to.include('0Sc5');
    expect(rotated).to.have.length(1);
  });

  it("younger than the plugin's record says (no Rotated record): not due", async () => {
    const rotatedAt = ago(HOUR);
    await recordOf(rotatedAt);
    const { org, result } = collect({ getWhenNone: '404' }, { key: true, ifOlderThanMs: 12 * HOUR });
    expect(await result).to.deep.include({ status: 'not-due', since: rotatedAt, source: 'record' });
    expect(changes(org.calls())).to.deep.equal([]);
    expect(secretReads(org.calls())).to.deep.equal([]);
  });

  it("older than the plugin's record says, or no age known at all: rotates", async () => {
    await recordOf(ago(100 * DAY));
    const old = collect({}, { key: true, ifOlderThanMs: 90 * DAY });
    expect(((await old.result) as Collected).rotation?.method).to.equal('staged');
    await rm(join(Global.SF_DIR, 'plugin-ren'), { recursive: true, force: true });
    const unknown = collect({}, { key: true, ifOlderThanMs: 90 * DAY });
    expect(((await unknown.result) as Collected).rotation?.method).to.equal('staged');
    expect(changes(unknown.org.calls()).map((c) => c.split(' ')[0])).to.deep.equal(['POST', 'PATCH']);
  });

  const deployNotDue = async () => {
    await recordOf(ago(HOUR));
    const run = collect(
      { apiVersion: '64.0', stagedUrl: null, secretSetting: false },
      { key: false, ifOlderThanMs: DAY },
    );
    return { ...run, outcome: await run.result };
  };

  it('below API 65 (a deploy rotation): not due, no deploy and no secret read', async () => {
    // The fake org has no deploy: a rotation attempted would have failed the run.
    const { org, outcome } = await deployNotDue();
    expect(outcome).to.deep.include({ status: 'not-due', source: 'record' });
    expect(secretReads(org.calls())).to.deep.equal([]);
  });

  // A scheduled `--rotate --if-older-than` must not toggle the setting (two audited writes) on every run.
  it('below API 65, not due: the secret setting is never opened', async () => {
    const { org, outcome } = await deployNotDue();
    expect(outcome).to.deep.include({ status: 'not-due', secretAccess: { before: false, opened: false } });
    expect(org.setting.writes).to.deep.equal([]);
  });
});

describe('connect: what rotating needs', () => {
  useTemporaryHome();
  beforeEach(async () => rm(join(Global.SF_DIR, 'plugin-ren'), { recursive: true, force: true }));

  const without = (missing: string) => (fields: string[]) => fields.filter((f) => f !== missing);

  it('"Allow consumer key and secret rotation" missing: refused before anything changes', async () => {
    const { org, result } = collect({ permissions: without('PermissionsClientSecretRotation') }, { key: true });
    const error = await failure(result);
    expect(error.name).to.equal('RenRotationPermissionError');
    expect(error.message).to.include(ORG.username).and.include('PermissionsClientSecretRotation');
    expect(changes(org.calls())).to.deep.equal([]);
    expect(org.setting.writes).to.deep.equal([]);
  });

  it('an org without that permission field is not asked; without --rotate it is never asked', async () => {
    const noField = (fields: string[]) =>
      fields.includes('PermissionsClientSecretRotation')
        ? orgError('INVALID_FIELD', "No such column 'PermissionsClientSecretRotation' on entity 'PermissionSet'")
        : fields;
    expect(((await collect({ permissions: noField }, { key: true }).result) as Collected).rotation?.method).to.equal(
      'staged',
    );
    const plain = collect({ permissions: without('PermissionsClientSecretRotation') });
    expect((await plain.result).status).to.equal('collected');
    expect(changes(plain.org.calls())).to.deep.equal([]);
  });

  it('an org that lists consumers only with the setting on is asked again inside the window', async () => {
    const base = `/services/data/v66.0/apps/oauth/credentials/${APP_ID}`;
    const settingAtStaged: boolean[] = [];
    const { org, result } = collect(
      {
        secretSetting: false,
        intercept: (sent, o) => {
          if (sent.url.startsWith(STAGED_URL)) settingAtStaged.push(o.setting.value === true);
          return sent.url === base && !o.setting.value
            ? orgError('FUNCTIONALITY_NOT_ENABLED', 'This feature is not currently enabled for this user.')
            : undefined;
        },
      },
      { key: true },
    );
    const collected = (await result) as Collected;
    expect(collected.rotation?.method).to.equal('staged');
    expect(collected.secretAccess).to.deep.equal({ before: false, opened: true });
    expect(org.calls().filter((c) => c === `GET ${base}`)).to.have.length(2);
    // Every staged call, the rotation included, happened inside the window; the setting is back off.
    expect(settingAtStaged).to.not.include(false);
    expect(settingAtStaged.length).to.be.greaterThan(3);
    expect(org.setting.writes).to.deep.equal([true, false]);
  });
});

describe('connect: after the hand-off', () => {
  useTemporaryHome();
  const until = '2025-07-01T00:00:00.000Z';
  const stagedState = (id = '0Sc5'): RotationState => ({
    consumer,
    rotation: {
      method: 'staged',
      key: true,
      stagedUrl: STAGED_URL,
      previous: { id, state: 'Rotated', expirationDate: until },
      notes: [],
    },
  });
  const deployState: RotationState = {
    consumer,
    rotation: { method: 'deploy', key: false, deployId: '0Af1', notes: [] },
  };
  const options = (revoke: boolean) => ({
    revokePrevious: revoke,
    allowSecretAccess: true,
    before: false,
    org: ORG,
    app: 'ren',
  });

  it('a deploy rotation has nothing left to do: the old secret stopped with the deploy', async () => {
    const org = stagedOrg();
    expect(await finishRotation(org.conn, deployState, options(true))).to.deep.equal({ previousRevoked: true });
    expect(org.requests).to.deep.equal([]);
  });

  it('staged, without --revoke-previous: the previous pair stays valid, and until when', async () => {
    const org = stagedOrg({ staged: [{ id: '0Sc5', state: 'Rotated' }] });
    expect(await finishRotation(org.conn, stagedState(), options(false))).to.deep.equal({
      previousRevoked: false,
      previousValidUntil: until,
    });
    expect(org.requests).to.deep.equal([]);
    expect(org.consumer.staged).to.have.length(1);
  });

  it('staged, with --revoke-previous: deleted inside its own window, read back, the setting put back', async () => {
    const org = stagedOrg({ staged: [{ id: '0Sc5', state: 'Rotated' }], secretSetting: false });
    expect(await finishRotation(org.conn, stagedState(), options(true))).to.deep.equal({ previousRevoked: true });
    expect(changes(org.calls())).to.deep.equal([`DELETE ${STAGED_URL}/0Sc5`]);
    expect(org.consumer.staged).to.deep.equal([]);
    expect(org.setting.writes).to.deep.equal([true, false]);
    expect(await listPendingRestores(ORG.orgId)).to.deep.equal([]);
  });

  it('a previous pair that cannot be revoked is a warning with the command that revokes it later', async () => {
    const org = stagedOrg({
      staged: [{ id: '0Sc5', state: 'Rotated' }],
      intercept: (sent) => (sent.method === 'DELETE' ? orgError('INSUFFICIENT_ACCESS', 'no access') : undefined),
    });
    const finished = await finishRotation(org.conn, stagedState(), options(true));
    expect(finished).to.include({ previousRevoked: false, previousValidUntil: until });
    expect(finished.warning)
      .to.include('previous key and secret could not be revoked')
      .and.include('no access')
      .and.include('sf ren connect --target-org acme --revoke-previous');
  });

  it('revoked, but the setting could not be put back: revoked, and the setting is the warning', async () => {
    const settingRefused = stagedOrg({
      staged: [{ id: '0Sc5', state: 'Rotated' }],
      secretSetting: false,
      settingRule: refuseWritesOf(false),
    });
    const finished = await finishRotation(settingRefused.conn, stagedState(), options(true));
    expect(finished.previousRevoked).to.equal(true);
    expect(finished.warning).to.include('NOT PUT BACK');
    expect(settingRefused.consumer.staged).to.deep.equal([]);
    // The pending-restore record stays for the next command to put the setting back.
    expect(await listPendingRestores(ORG.orgId)).to.have.length(1);
  });
});

describe('connect --revoke-previous on its own', () => {
  useTemporaryHome();

  it('deletes the Rotated record inside a window and says which; none is undefined', async () => {
    const org = stagedOrg({ staged: [{ id: '0Sc5', state: 'Rotated' }], secretSetting: false });
    const done = await revokePrevious(org.conn, { app: 'ren', allowSecretAccess: true, org: ORG });
    expect(done.revoked).to.include({ id: '0Sc5', state: 'Rotated' });
    expect(done.secretAccess).to.deep.equal({ before: false, opened: true });
    expect(changes(org.calls())).to.deep.equal([`DELETE ${STAGED_URL}/0Sc5`]);
    const none = stagedOrg({ staged: [{ id: '0Sc6', state: 'Active' }] });
    expect((await revokePrevious(none.conn, { app: 'ren', allowSecretAccess: false, org: ORG })).revoked).to.equal(
      undefined,
    );
    expect(changes(none.calls())).to.deep.equal([]);
  });
});
