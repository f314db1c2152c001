import { expect } from 'chai';
import sinon from 'sinon';
import type { Connection } from '@salesforce/core';
import { finishRotation } from '../../../src/credentials/connect.js';
import {
  forgetPreviousPair,
  previousPairLeftWarning,
  previousPairUrl,
  rotateCredentials,
  rotatedNotHandedOffError,
  type RotationState,
} from '../../../src/credentials/rotate.js';
import { listPendingRestores } from '../../../src/credentials/pendingRestore.js';
import { refuseWritesOf, settingOrg, useTemporaryHome, type WriteRule } from './settingOrg.js';

const STAGED_URL = '/services/data/v66.0/apps/oauth/credentials/0xI000000000001/0Cx000000000001/staged';
const consumer = { id: '0Cx000000000001', stagedCredentialsUrl: STAGED_URL };
const staged: RotationState = { consumer, rotation: { method: 'staged', key: true, stagedId: '0Sc000000000001' } };
const deployed: RotationState = { consumer, rotation: { method: 'deploy', key: false, deployId: '0Af000000000001' } };
const org = { orgId: '00D000000000001AAA', target: 'acme' };

/**
 * A connection whose REST requests answer from `answer` and are recorded; the secret setting (off) is the one of
 * settingOrg, written under `rule`.
 */
function fakeConnection(
  answer: (request: { method?: string; url: string; body?: string }) => unknown = () => ({}),
  rule?: WriteRule,
) {
  const requests: Array<{ method: string; url: string; body?: string }> = [];
  const setting = settingOrg(false, rule);
  const conn = {
    getApiVersion: () => '66.0',
    request: sinon.fake(async (request: string | { method?: string; url: string; body?: string }) => {
      const r = typeof request === 'string' ? { url: request } : request;
      requests.push({ method: r.method ?? 'GET', url: r.url, body: r.body });
      const value = answer(r);
      if (value instanceof Error) throw value;
      return value;
    }),
    metadata: setting.conn.metadata,
  } as unknown as Connection;
  return { conn, requests, settingWrites: setting.writes };
}

describe('rotation', () => {
  // A secret-access window writes its pending-restore record under the home folder.
  useTemporaryHome();

  it('staged (key too, API 65+): stages a new pair, then rotates it in', async () => {
    const { conn, requests } = fakeConnection((r) => {
      if (r.method === 'POST') return { id: '0Sc000000000009', state: 'Active' };
      if (r.method === 'PATCH') return { id: '0Sc000000000009', state: 'Rotated' };
      return { stagedCredentials: [] };
    });
    const rotation = await rotateCredentials(conn, 'ren', consumer, { key: true });
    expect(rotation).to.deep.equal({ method: 'staged', key: true, stagedId: '0Sc000000000009' });
    expect(requests.map((r) => `${r.method} ${r.url}`)).to.deep.equal([
      `GET ${STAGED_URL}`,
      `POST ${STAGED_URL}`,
      `PATCH ${STAGED_URL}/0Sc000000000009`,
    ]);
    expect(JSON.parse(requests[2].body ?? '{}')).to.deep.equal({ command: 'rotate' });
  });

  it('staged: a pair an earlier run staged is rotated in rather than staging another', async () => {
    const { conn, requests } = fakeConnection((r) =>
      r.method ? {} : { stagedCredentials: [{ id: '0Sc000000000007', state: 'Active' }] },
    );
    const rotation = await rotateCredentials(conn, 'ren', consumer, { key: true });
    expect(rotation.stagedId).to.equal('0Sc000000000007');
    expect(requests.map((r) => r.method)).to.deep.equal(['GET', 'PATCH']);
  });

  it('the previous pair of a staged rotation is its staged record; a deploy rotation leaves none', async () => {
    expect(previousPairUrl(consumer, staged.rotation)).to.equal(`${STAGED_URL}/0Sc000000000001`);
    expect(previousPairUrl(consumer, deployed.rotation)).to.equal(undefined);
    const { conn, requests } = fakeConnection();
    await forgetPreviousPair(conn, consumer, staged.rotation);
    await forgetPreviousPair(conn, consumer, deployed.rotation);
    expect(requests).to.deep.equal([{ method: 'DELETE', url: `${STAGED_URL}/0Sc000000000001`, body: undefined }]);
  });

  it('after the hand-off, a staged rotation deletes the previous pair inside its own secret-access window', async () => {
    const { conn, requests, settingWrites } = fakeConnection();
    const finished = await finishRotation(conn, staged, { allowSecretAccess: true, before: false, org });
    expect(finished).to.deep.equal({ previousRevoked: true });
    expect(requests.map((r) => r.method)).to.deep.equal(['DELETE']);
    expect(settingWrites).to.deep.equal([true, false]);
    expect(await listPendingRestores(org.orgId)).to.deep.equal([]);
  });

  it('a previous pair deleted inside a window that could not be put back: revoked, and the setting named', async () => {
    const { conn, requests } = fakeConnection(() => ({}), refuseWritesOf(false));
    const finished = await finishRotation(conn, staged, { allowSecretAccess: true, before: false, org });
    expect(requests.map((r) => r.method)).to.deep.equal(['DELETE']);
    // The DELETE went through: the previous pair no longer works. What needs the user now is the setting.
    expect(finished.previousRevoked).to.equal(true);
    expect(finished.warning).to.include('NOT PUT BACK');
    expect(await listPendingRestores(org.orgId)).to.have.length(1);
  });

  it('after the hand-off, a deploy rotation has nothing left to do', async () => {
    const { conn, requests, settingWrites } = fakeConnection();
    expect(await finishRotation(conn, deployed, { allowSecretAccess: true, before: false, org })).to.deep.equal({
      previousRevoked: true,
    });
    expect(requests).to.deep.equal([]);
    expect(settingWrites).to.deep.equal([]);
  });

  it('a previous pair that cannot be deleted is a warning with the command that deletes it', async () => {
    const { conn, settingWrites } = fakeConnection(() => new Error('FUNCTIONALITY_NOT_ENABLED: not enabled'));
    const finished = await finishRotation(conn, staged, { allowSecretAccess: false, before: false, org });
    expect(finished.previousRevoked).to.equal(false);
    expect(settingWrites).to.deep.equal([]);
    expect(finished.warning)
      .to.include('previous key and secret still work')
      .and.include(`sf api request rest ${STAGED_URL}/0Sc000000000001 --method DELETE --target-org acme`);
    expect(previousPairLeftWarning(staged, 'acme', new Error('boom'))).to.include('boom');
  });

  it('a failed hand-off after a deploy rotation: the old secret is gone, hand the new one off without rotating', () => {
    const error = rotatedNotHandedOffError(
      deployed,
      new Error('Ren answered HTTP 401'),
      'acme',
      '--ren-url https://ren.example.com',
    );
    expect(error.name).to.equal('RenRotatedNotHandedOffError');
    expect(error.message).to.include('new consumer secret').and.include('HTTP 401');
    expect(error.actions).to.deep.equal([
      'The previous secret no longer works: Ren cannot connect until it gets the new one.',
      'Hand the new credentials off without rotating again: sf ren connect --target-org acme --ren-url https://ren.example.com',
    ]);
  });

  it('a failed hand-off after a staged rotation: the previous pair still works until its staged record is deleted', () => {
    const error = rotatedNotHandedOffError(staged, new Error('no answer'), 'acme', '');
    expect(error.message).to.include('new consumer key and secret');
    expect(error.actions?.[0]).to.include('still work');
    expect(error.actions?.[1]).to.equal(
      'Hand the new credentials off without rotating again: sf ren connect --target-org acme',
    );
    expect(error.actions?.[2]).to.include(
      `sf api request rest ${STAGED_URL}/0Sc000000000001 --method DELETE --target-org acme`,
    );
  });
});
