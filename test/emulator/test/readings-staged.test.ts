/* eslint-disable camelcase -- OAuth wire names */
/**
 * Staged credentials under each reading (real-org-evidence.md item 1, and item 9 for the rotation permission): the
 * documented shapes, one record per consumer, the 30-day overlap on the org's clock, and what the token endpoint
 * accepts during and after it.
 */
import { expect } from 'chai';
import type { Connection } from '@salesforce/core';
import type { OrgSeed, Readings } from '../index.js';
import { DAY_MS } from '../index.js';
import { deploy } from './deployHelpers.js';
import { renPackage } from './fixtures.js';
import { connect, useEmulator } from './helpers.js';
import { refreshStatus, tokenRequest } from './oauthHelpers.js';

type Json = Record<string, unknown>;
type Collection = { stagedCredentials: Json[]; url: string };

const secretsOn = { ExternalClientAppSettings: { enableClientSecretInRestApiAccess: true } };

/** A builder with what staging needs (View Client Secret, External Client App Developer) but no rotation permission. */
const builder: OrgSeed = {
  permissionSets: [
    {
      Name: 'Eca_Builder',
      permissions: {
        PermissionsApiEnabled: true,
        PermissionsModifyMetadata: true,
        PermissionsExternalClientAppDeveloper: true,
        PermissionsExternalClientAppAdmin: true,
        PermissionsViewClientSecret: true,
      },
    },
  ],
  users: [
    { Username: 'builder@example.com', LastName: 'Builder', profile: 'Standard User', permissionSets: ['Eca_Builder'] },
  ],
};

describe('emulator: staged credentials under each reading', () => {
  const env = useEmulator(undefined, { connect: false });
  let conn: Connection;
  let base: string;

  /** A fresh org with the readings and Ren's app deployed with client credentials on; `base` is its staged URL. */
  async function setup(readings: Partial<Readings> = {}, seed: OrgSeed = {}): Promise<void> {
    env.emulator.reset({ settings: secretsOn, ...seed, readings });
    conn = await connect(env.emulator, '65.0');
    const files = renPackage({
      global: { isClientCredentialsFlowEnabled: 'true' },
      oauthPolicies: {
        isClientCredentialsFlowEnabled: 'true',
        clientCredentialsFlowUser: env.emulator.org.sessionUser.Username,
      },
    });
    expect((await deploy(conn, files)).status).to.equal('Succeeded');
    const org = env.emulator.org;
    const appId = org.getComponent('ExternalClientApplication', 'ren')!.id;
    base = `/services/data/v65.0/apps/oauth/credentials/${appId}/${org.consumerForApp('ren')!.id}/staged`;
  }

  const post = <T = Collection>(body = ''): Promise<T> => conn.request<T>({ method: 'POST', url: base, body });
  const patch = (id: unknown): Promise<Json> =>
    conn.request({
      method: 'PATCH',
      url: `${base}/${String(id)}`,
      body: JSON.stringify({ command: 'rotate' }),
      headers: { 'content-type': 'application/json' },
    });
  const errorCode = (promise: Promise<unknown>): Promise<string | undefined> =>
    promise.then(
      () => 'no error',
      (e: Error & { errorCode?: string }) => e.errorCode,
    );
  const clientCredentials = async (pair: { key: string; secret: string }): Promise<number> =>
    (
      await tokenRequest(env.emulator, {
        grant_type: 'client_credentials',
        client_id: pair.key,
        client_secret: pair.secret,
      })
    ).status;

  it("stagedGetWhenNone 'empty' (default): nothing staged is the empty collection", async () => {
    await setup();
    expect(await conn.request(base)).to.deep.equal({ stagedCredentials: [], url: base });
  });

  it("stagedGetWhenNone '404': nothing staged is NOT_FOUND; a staged record is listed", async () => {
    await setup({ stagedGetWhenNone: '404' });
    expect(await errorCode(conn.request(base))).to.equal('NOT_FOUND');
    await post();
    expect((await conn.request<Collection>(base)).stagedCredentials).to.have.length(1);
  });

  it("stagedPostAnswer 'collection' (default) answers the collection, 'object' the one record", async () => {
    await setup();
    const collection = await post();
    expect(collection.url).to.equal(base);
    expect(collection.stagedCredentials[0]).to.include({ state: 'Active' });
    await setup({ stagedPostAnswer: 'object' });
    const record = await post<Json>();
    expect(record).to.include({ state: 'Active', url: `${base}/${String(record.id)}` });
    expect(record).to.not.have.property('stagedCredentials');
    expect((await conn.request<Collection>(base)).stagedCredentials[0]).to.deep.equal(record);
  });

  it('stagedEmptyPostHangs false (default): a POST without a body answers; true: it never answers, `{}` does', async () => {
    await setup();
    expect((await post()).stagedCredentials).to.have.length(1);
    await setup({ stagedEmptyPostHangs: true });
    const raw = (body: string): Promise<Response> =>
      fetch(`${env.emulator.url}${base}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${env.emulator.accessToken}` },
        body,
        signal: AbortSignal.timeout(400),
      });
    const hung = await raw('').then(
      (r) => `answered ${r.status}`,
      (e: Error) => e.name,
    );
    expect(hung).to.equal('TimeoutError');
    expect((await raw('{}')).status).to.equal(201);
  });

  it('stagedNeedsSecretSetting true (default): staging refuses while the REST secret setting is off; false: it works', async () => {
    await setup({}, { settings: {} });
    expect(await errorCode(conn.request(base))).to.equal('FUNCTIONALITY_NOT_ENABLED');
    await setup({ stagedNeedsSecretSetting: false }, { settings: {} });
    expect((await post()).stagedCredentials).to.have.length(1);
  });

  it('one staged record per consumer: a second POST fails while one exists, Active or Rotated, until it is deleted', async () => {
    await setup();
    const staged = (await post()).stagedCredentials[0];
    expect(await errorCode(post())).to.equal('INVALID_OPERATION');
    await patch(staged.id);
    expect(await errorCode(post())).to.equal('INVALID_OPERATION');
    await conn.request({ method: 'DELETE', url: `${base}/${String(staged.id)}` });
    expect((await post()).stagedCredentials).to.have.length(1);
  });

  it('the token endpoint accepts the old and the new pair during the overlap, and only the new one after DELETE', async () => {
    await setup();
    const org = env.emulator.org;
    const consumer = org.consumerForApp('ren')!;
    const old = { key: consumer.key, secret: consumer.secret };
    const refresh = org.sessions.issueRefreshToken(org.sessionUser.Id, consumer.id);
    const staged = (await post()).stagedCredentials[0];
    const fresh = { key: String(staged.key), secret: String(staged.secret) };
    const rotated = await patch(staged.id);
    expect(rotated).to.include({ state: 'Rotated', key: old.key, secret: old.secret });
    expect(consumer.key).to.equal(fresh.key);
    for (const pair of [old, fresh]) {
      expect(await refreshStatus(env.emulator, pair, refresh)).to.equal(200);
      expect(await clientCredentials(pair)).to.equal(200);
    }
    await conn.request({ method: 'DELETE', url: `${base}/${String(staged.id)}` });
    expect(await refreshStatus(env.emulator, old, refresh)).to.equal(400);
    expect(await clientCredentials(old)).to.equal(400);
    expect(await refreshStatus(env.emulator, fresh, refresh)).to.equal(200);
    expect(await clientCredentials(fresh)).to.equal(200);
  });

  it('the previous pair stays valid 30 days from the rotation on the org clock, then the record reads Expired', async () => {
    await setup();
    const org = env.emulator.org;
    const consumer = org.consumerForApp('ren')!;
    const old = { key: consumer.key, secret: consumer.secret };
    const staged = (await post()).stagedCredentials[0];
    org.clock.advance(10 * DAY_MS);
    const rotated = await patch(staged.id);
    expect(Date.parse(String(rotated.expirationDate)) - Date.parse(String(rotated.createdDate))).to.be.closeTo(
      40 * DAY_MS,
      5000,
    );
    org.clock.advance(30 * DAY_MS - 60_000);
    expect(await clientCredentials(old)).to.equal(200);
    org.clock.advance(60_000);
    expect(await clientCredentials(old)).to.equal(400);
    expect(await clientCredentials({ key: consumer.key, secret: consumer.secret })).to.equal(200);
    expect((await conn.request<Json>(`${base}/${String(staged.id)}`)).state).to.equal('Expired');
    // An expired record still holds the slot until it is deleted.
    expect(await errorCode(post())).to.equal('INVALID_OPERATION');
  });

  it('rotationPermission false (default): staging and rotating need no rotation permission; true: 403 without it', async () => {
    await setup({}, builder);
    const staged = (await post()).stagedCredentials[0];
    expect(await patch(staged.id)).to.include({ state: 'Rotated' });
    await setup({ rotationPermission: true }, builder);
    expect(await errorCode(post())).to.equal('INSUFFICIENT_ACCESS');
    env.emulator.org.setReadings({ rotationPermission: false });
    const again = (await post()).stagedCredentials[0];
    env.emulator.org.setReadings({ rotationPermission: true });
    expect(await errorCode(patch(again.id))).to.equal('INSUFFICIENT_ACCESS');
  });

  it('PermissionsClientSecretRotation is a PermissionSet field in SOQL and describe, whatever the reading', async () => {
    await setup();
    const admins = await conn.query<{ PermissionsClientSecretRotation: boolean }>(
      "SELECT PermissionsClientSecretRotation FROM PermissionSet WHERE Profile.Name = 'System Administrator'",
    );
    expect(admins.records.map((r) => r.PermissionsClientSecretRotation)).to.deep.equal([true]);
    const describe = await conn.request<{ fields: Array<{ name: string; type: string }> }>(
      '/services/data/v65.0/sobjects/PermissionSet/describe',
    );
    expect(describe.fields.find((f) => f.name === 'PermissionsClientSecretRotation')?.type).to.equal('boolean');
  });
});
