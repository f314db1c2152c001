import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { Global, type SfError } from '@salesforce/core';
import type { Consumer } from '../../../src/credentials/consumer.js';
import {
  assertNotOwnLogin,
  currentPairSince,
  previousPair,
  revokePreviousPair,
  rotateCredentials,
  rotatedNotHandedOffError,
  rotatesByStaging,
  type RotationState,
} from '../../../src/credentials/rotate.js';
import { markHandedOff, readRotationRecord, writeRotationRecord } from '../../../src/credentials/rotationRecord.js';
import { CONSUMER_ID, KEY, ORG, STAGED_URL, stagedOrg, type StagedOrgOptions } from './stagedOrg.js';
import { useTemporaryHome } from './settingOrg.js';

const consumer: Consumer = { id: CONSUMER_ID, key: KEY, name: 'ren', stagedCredentialsUrl: STAGED_URL };
const ref = { orgId: ORG.orgId, app: 'ren', target: ORG.target };
const DAY = 86_400_000;

const failure = async (work: Promise<unknown>): Promise<SfError> =>
  work.then(
    () => expect.fail('should have failed'),
    (error: SfError) => error,
  );

/** Requests that change the org's staged records. */
const changes = (calls: string[]): string[] => calls.filter((c) => !c.startsWith('GET '));

/** A rotation record saying this plugin staged (or rotated in) `stagedId`. */
const ours = (stagedId: string, rotatedAt = '2025-01-01T00:00:00.000Z') =>
  writeRotationRecord({ orgId: ORG.orgId, app: 'ren', method: 'staged', rotatedAt, stagedId });

const rotate = (options: StagedOrgOptions = {}, key = true) => {
  const org = stagedOrg(options);
  return { org, rotation: rotateCredentials(org.conn, consumer, ref, { key }) };
};

describe('rotation: staged credentials (API 65+)', () => {
  useTemporaryHome();
  beforeEach(async () => rm(join(Global.SF_DIR, 'plugin-ren'), { recursive: true, force: true }));

  it('stages a new pair, rotates it in and keeps the previous pair as the Rotated record', async () => {
    const { org, rotation } = rotate({ getWhenNone: '404' });
    const done = await rotation;
    const id = org.consumer.staged[0].id;
    expect(done).to.deep.include({ method: 'staged', key: true, stagedUrl: STAGED_URL, notes: [] });
    expect(done.previous).to.include({ id, state: 'Rotated' });
    expect(org.calls()).to.deep.equal([
      `GET ${STAGED_URL}`,
      `POST ${STAGED_URL}`,
      `GET ${STAGED_URL}`,
      `PATCH ${STAGED_URL}/${id}`,
      `GET ${STAGED_URL}`,
    ]);
    // The previous pair is still in the org (valid until revoked), the new one is current.
    expect(org.consumer.staged[0]).to.include({ key: KEY, state: 'Rotated' });
    expect(org.consumer.key).to.not.equal(KEY);
    const record = await readRotationRecord(ORG.orgId, 'ren');
    expect(record).to.include({ method: 'staged', stagedId: id });
    expect(Date.now() - Date.parse(record?.rotatedAt ?? '')).to.be.within(0, 60_000);
  });

  it('a secret-only rotation through staging also issues a new key (staged credentials always do)', async () => {
    const { org, rotation } = rotate({}, false);
    expect((await rotation).key).to.equal(true);
    expect(org.consumer.key).to.not.equal(KEY);
  });

  it('where the org offers it: API 65.0 or later and a staged URL on the consumer', () => {
    expect(rotatesByStaging(stagedOrg().conn, consumer)).to.equal(true);
    expect(rotatesByStaging(stagedOrg({ apiVersion: '65.0' }).conn, consumer)).to.equal(true);
    expect(rotatesByStaging(stagedOrg({ apiVersion: '64.0' }).conn, consumer)).to.equal(false);
    expect(rotatesByStaging(stagedOrg().conn, { ...consumer, stagedCredentialsUrl: undefined })).to.equal(false);
  });

  it('a staged URL on another host is refused before any request (the session goes nowhere else)', async () => {
    const org = stagedOrg();
    const elsewhere = { ...consumer, stagedCredentialsUrl: `https://evil.example.com${STAGED_URL}` };
    const error = await failure(rotateCredentials(org.conn, elsewhere, ref, { key: true }));
    expect(error.name).to.equal('RenUnexpectedUrlError');
    expect(org.requests).to.deep.equal([]);
  });
});

describe('rotation: a staged record left from before', () => {
  useTemporaryHome();
  beforeEach(async () => rm(join(Global.SF_DIR, 'plugin-ren'), { recursive: true, force: true }));

  it('ours, Active (a run stopped before its rotate): finished, not staged again', async () => {
    await ours('0Sc7');
    const { org, rotation } = rotate({ staged: [{ id: '0Sc7', state: 'Active' }] });
    const done = await rotation;
    expect(changes(org.calls())).to.deep.equal([`PATCH ${STAGED_URL}/0Sc7`]);
    expect(done.previous).to.include({ id: '0Sc7', state: 'Rotated' });
    expect(done.notes.join('\n')).to.include('0Sc7').and.include('finishes it');
    expect(org.consumer.key).to.equal('0Sc7-key');
  });

  it('ours, Rotated (the pair before the current one): cleared with a note, then a new pair', async () => {
    await ours('0Sc7', '2025-01-01T00:00:00.000Z');
    const { org, rotation } = rotate({ staged: [{ id: '0Sc7', state: 'Rotated' }] });
    const done = await rotation;
    const id = org.consumer.staged[0].id;
    expect(changes(org.calls())).to.deep.equal([
      `DELETE ${STAGED_URL}/0Sc7`,
      `POST ${STAGED_URL}`,
      `PATCH ${STAGED_URL}/${id}`,
    ]);
    expect(done.notes).to.have.length(1);
    expect(done.notes[0]).to.include('0Sc7').and.include('2025-01-01T00:00:00.000Z').and.include('revoked');
  });

  it('ours, Rotated, but its successor never handed off: refused before any change (the vendor uses that pair)', async () => {
    await writeRotationRecord({
      orgId: ORG.orgId,
      app: 'ren',
      method: 'staged',
      rotatedAt: '2025-01-01T00:00:00.000Z',
      stagedId: '0Sc7',
      handedOff: false,
    });
    const { org, rotation } = rotate({ staged: [{ id: '0Sc7', state: 'Rotated' }] });
    const error = await failure(rotation);
    expect(error.name).to.equal('RenPreviousPairInUseError');
    expect(error.message).to.include('0Sc7');
    expect(error.actions?.join('\n')).to.include(`sf ren connect --target-org ${ORG.target}`);
    expect(changes(org.calls())).to.deep.equal([]);
    // A hand-off of the current pair clears the way.
    await markHandedOff(ORG.orgId, 'ren');
    expect((await readRotationRecord(ORG.orgId, 'ren'))?.handedOff).to.equal(true);
  });

  it('a staged rotation is recorded as not handed off yet', async () => {
    await rotate({ getWhenNone: '404' }).rotation;
    expect((await readRotationRecord(ORG.orgId, 'ren'))?.handedOff).to.equal(false);
  });

  it('Expired, whoever made it: deleted (it holds nothing usable), then a new pair', async () => {
    const { org, rotation } = rotate({ staged: [{ id: '0Sc9', state: 'Expired' }] });
    const done = await rotation;
    expect(changes(org.calls()).slice(0, 2)).to.deep.equal([`DELETE ${STAGED_URL}/0Sc9`, `POST ${STAGED_URL}`]);
    expect(done.notes.join('\n')).to.include('expired staged record (0Sc9)');
  });

  it("another tool's record, Active or Rotated: refused before any POST, PATCH or DELETE", async () => {
    for (const state of ['Active', 'Rotated'] as const) {
      // A record of ours that names another staged id does not make this one ours.
      // eslint-disable-next-line no-await-in-loop
      await ours('0Sc1');
      const { org, rotation } = rotate({
        staged: [{ id: '0ScFOREIGN', state, createdBy: '005OTHER', createdDate: '2025-05-05T00:00:00.000Z' }],
      });
      // eslint-disable-next-line no-await-in-loop
      const error = await failure(rotation);
      expect(error.name, state).to.equal('RenStagedLeftoverError');
      expect(error.message)
        .to.include('0ScFOREIGN')
        .and.include(state)
        .and.include('005OTHER')
        .and.include('Nothing was changed');
      expect(error.actions?.join('\n')).to.include(`sf api request rest ${STAGED_URL}/0ScFOREIGN --method DELETE`);
      expect(changes(org.calls()), state).to.deep.equal([]);
      expect(org.consumer.key).to.equal(KEY);
      // eslint-disable-next-line no-await-in-loop
      expect((await readRotationRecord(ORG.orgId, 'ren'))?.stagedId).to.equal('0Sc1');
    }
  });

  it('a run interrupted between staging and rotating is finished by the next run', async () => {
    const interrupted = stagedOrg({
      intercept: (sent) => (sent.method === 'PATCH' ? new Error('socket hang up') : undefined),
    });
    await failure(rotateCredentials(interrupted.conn, consumer, ref, { key: true }));
    const staged = interrupted.consumer.staged[0];
    expect(staged.state).to.equal('Active');
    // Remembered before the rotate, with no time yet: the pair in use is still the old one.
    expect(await readRotationRecord(ORG.orgId, 'ren')).to.include({
      stagedId: staged.id,
      rotatedAt: new Date(0).toISOString(),
    });
    const next = stagedOrg({ staged: [{ ...staged }] });
    const done = await rotateCredentials(next.conn, consumer, ref, { key: true });
    expect(changes(next.calls())).to.deep.equal([`PATCH ${STAGED_URL}/${staged.id}`]);
    expect(done.previous?.id).to.equal(staged.id);
  });
});

describe('rotation: the self-rotation guard', () => {
  useTemporaryHome();

  it('refuses the app whose consumer key the sf login itself uses, before any request', async () => {
    const org = stagedOrg({ clientId: KEY });
    expect(() => assertNotOwnLogin(org.conn, consumer, 'ren')).to.throw(/authenticates through ren itself/);
    const error = await failure(rotateCredentials(org.conn, consumer, ref, { key: false }));
    expect(error.name).to.equal('RenSelfRotationError');
    expect(error.actions?.join('\n')).to.include('Log in with another app');
    expect(org.requests).to.deep.equal([]);
  });

  it('another client id, none, or a consumer without a key is no reason to refuse', () => {
    expect(() => assertNotOwnLogin(stagedOrg({ clientId: 'PlatformCLI' }).conn, consumer, 'ren')).to.not.throw();
    expect(() => assertNotOwnLogin(stagedOrg().conn, consumer, 'ren')).to.not.throw();
    const keyless = { ...consumer, key: undefined };
    expect(() => assertNotOwnLogin(stagedOrg({ clientId: KEY }).conn, keyless, 'ren')).to.not.throw();
  });
});

describe('rotation: the previous pair and the age of the current one', () => {
  useTemporaryHome();
  beforeEach(async () => rm(join(Global.SF_DIR, 'plugin-ren'), { recursive: true, force: true }));

  it('the previous pair is the Rotated record; revoking deletes it and reads back', async () => {
    const org = stagedOrg({ staged: [{ id: '0Sc5', state: 'Rotated' }] });
    expect(await previousPair(org.conn, consumer)).to.include({ id: '0Sc5', state: 'Rotated' });
    expect(await revokePreviousPair(org.conn, consumer, ref)).to.include({ id: '0Sc5' });
    expect(changes(org.calls())).to.deep.equal([`DELETE ${STAGED_URL}/0Sc5`]);
    expect(org.consumer.staged).to.deep.equal([]);
  });

  it('no previous pair: an Active record is not one, and nothing is deleted; below API 65 nothing is asked', async () => {
    const active = stagedOrg({ staged: [{ id: '0Sc5', state: 'Active' }] });
    expect(await revokePreviousPair(active.conn, consumer, ref)).to.equal(undefined);
    expect(changes(active.calls())).to.deep.equal([]);
    const old = stagedOrg({ apiVersion: '64.0' });
    expect(await previousPair(old.conn, consumer)).to.equal(undefined);
    expect(old.requests).to.deep.equal([]);
  });

  it("the current pair's age comes from the org's Rotated record first", async () => {
    const createdDate = new Date(Date.now() - 3 * DAY).toISOString();
    await ours('0Sc5', new Date(Date.now() - DAY).toISOString());
    const org = stagedOrg({ staged: [{ id: '0Sc5', state: 'Rotated', createdDate }] });
    expect(await currentPairSince(org.conn, consumer, ref)).to.deep.equal({
      since: new Date(createdDate),
      source: 'org',
    });
  });

  it("else from the plugin's rotation record (no Rotated record, a bad date, or the org refuses the read)", async () => {
    const rotatedAt = new Date(Date.now() - DAY).toISOString();
    await writeRotationRecord({ orgId: ORG.orgId, app: 'ren', method: 'deploy', rotatedAt });
    const expected = { since: new Date(rotatedAt), source: 'record' };
    for (const options of [
      {},
      { staged: [{ id: '0Sc5', state: 'Rotated' as const, createdDate: 'not a date' }] },
      { staged: [{ id: '0Sc5', state: 'Expired' as const }] },
      { intercept: () => new Error('FUNCTIONALITY_NOT_ENABLED: not currently enabled') },
      { apiVersion: '64.0' },
    ]) {
      // eslint-disable-next-line no-await-in-loop
      expect(await currentPairSince(stagedOrg(options).conn, consumer, ref), JSON.stringify(options)).to.deep.equal(
        expected,
      );
    }
  });

  it('neither: no age (an interrupted staging has no time yet)', async () => {
    expect(await currentPairSince(stagedOrg().conn, consumer, ref)).to.equal(undefined);
    await ours('0Sc5', new Date(0).toISOString());
    expect(await currentPairSince(stagedOrg().conn, consumer, ref)).to.equal(undefined);
  });
});

describe('rotation: a hand-off that failed after it', () => {
  const staged: RotationState = {
    consumer,
    rotation: {
      method: 'staged',
      key: true,
      stagedUrl: STAGED_URL,
      previous: { id: '0Sc5', state: 'Rotated', expirationDate: '2025-07-01T00:00:00.000Z' },
      notes: [],
    },
  };
  const deployed: RotationState = { consumer, rotation: { method: 'deploy', key: false, deployId: '0Af1', notes: [] } };

  it('staged: the previous pair still works (until when), hand the new one off without rotating', () => {
    const error = rotatedNotHandedOffError(staged, new Error('Ren answered HTTP 401'), 'acme', '--ren-url https://r');
    expect(error.name).to.equal('RenRotatedNotHandedOffError');
    expect(error.message).to.include('new consumer key and secret').and.include('HTTP 401');
    expect(error.actions).to.deep.equal([
      'The previous key and secret still work (until 2025-07-01T00:00:00.000Z, or until you revoke them), so Ren keeps working with them; the new ones work too.',
      'Hand the new credentials off without rotating again: sf ren connect --target-org acme --ren-url https://r',
    ]);
  });

  it('deploy: the previous secret no longer works', () => {
    const error = rotatedNotHandedOffError(deployed, new Error('no answer'), 'acme', '');
    expect(error.message).to.include('new consumer secret');
    expect(error.actions?.[0]).to.equal(
      'The previous secret no longer works: Ren cannot connect until it gets the new one.',
    );
  });
});
