import { expect } from 'chai';
import type { Connection } from '@salesforce/core';
import type { OrgSeed } from '../index.js';
import { caseSafeSuffix, to18 } from '../index.js';
import { connect, metadataCrud, useEmulator } from './helpers.js';
import { refreshStatus } from './oauthHelpers.js';
import { renPackage, renRedeploy, zip } from './fixtures.js';

type Json = Record<string, unknown>;

describe('emulator: ids', () => {
  it('computes the case-safe suffix', () => {
    expect(caseSafeSuffix('a0D30000001n7Pi')).to.equal('EAI');
    expect(to18('a0D30000001n7Pi')).to.equal('a0D30000001n7PiEAI');
  });
});

describe('emulator: Connect REST OAuth credentials', () => {
  // Each test logs in again (setup) at the API version it needs.
  const env = useEmulator(undefined, { connect: false });
  let conn: Connection;
  let appId: string;

  async function setup(seed: OrgSeed = {}, version = '65.0'): Promise<void> {
    env.emulator.reset(seed);
    conn = await connect(env.emulator, version);
    await conn.metadata.deploy(await zip(renPackage()), { singlePackage: true }).complete(true);
    const result = await conn.query<{ Id: string }>(
      "SELECT Id FROM ExternalClientApplication WHERE DeveloperName = 'ren'",
    );
    appId = result.records[0].Id;
  }

  async function get(path: string): Promise<Json> {
    return conn.request(`/services/data/v${conn.getApiVersion()}${path}`);
  }

  async function errorOf(promise: Promise<unknown>): Promise<Error & { errorCode?: string }> {
    return promise.then(
      () => {
        throw new Error('expected an error');
      },
      (err: Error & { errorCode?: string }) => err,
    );
  }

  it('lists the app in usage and its consumer', async () => {
    await setup({ settings: { ExternalClientAppSettings: { enableClientSecretInRestApiAccess: true } } });
    const usage = await get('/apps/oauth/usage');
    expect(usage.apps).to.deep.include({
      developerName: 'ren',
      identifier: appId,
      label: 'Ren',
      type: 'ExternalClientApplication',
      userCount: 0,
      url: `/services/data/v65.0/apps/oauth/credentials/${appId}`,
    });
    const byApp = await get(`/apps/oauth/credentials/${appId}`);
    const consumers = byApp.consumers as Json[];
    expect(consumers).to.have.length(1);
    expect(consumers[0].key).to.equal(env.emulator.org.consumerForApp('ren')?.key);
    expect(consumers[0].id).to.match(/^0Cx/);
  });

  it('returns the key without part, and refuses the secret while the org setting is off', async () => {
    await setup();
    const consumerId = env.emulator.org.consumerForApp('ren')?.id ?? '';
    const keyOnly = await get(`/apps/oauth/credentials/${appId}/${consumerId}`);
    expect(keyOnly).to.include({ key: env.emulator.org.consumerForApp('ren')?.key, secret: null });
    const err = await errorOf(get(`/apps/oauth/credentials/${appId}/${consumerId}?part=keyandsecret`));
    expect(err.errorCode).to.equal('FUNCTIONALITY_NOT_ENABLED');
    expect(err.message).to.contain('not currently enabled');
  });

  it('returns key and secret when the setting is on and the user may see secrets', async () => {
    await setup({ settings: { ExternalClientAppSettings: { enableClientSecretInRestApiAccess: true } } });
    const consumer = env.emulator.org.consumerForApp('ren');
    const both = await get(`/apps/oauth/credentials/${appId}/${consumer?.id ?? ''}?part=keyandsecret`);
    expect(both).to.include({ id: consumer?.id, key: consumer?.key, secret: consumer?.secret, name: 'ren' });
    expect(both.stagedCredentialsUrl).to.equal(
      `/services/data/v65.0/apps/oauth/credentials/${appId}/${consumer?.id ?? ''}/staged`,
    );
    const secretOnly = await get(`/apps/oauth/credentials/${appId}/${consumer?.id ?? ''}?part=secret`);
    expect(secretOnly).to.include({ key: null, secret: consumer?.secret });
  });

  it('refuses the secret to a user without View Client Secret', async () => {
    await setup({
      // This user deploys the app too, and lacks View Client Secret: let global OAuth settings deploy without it.
      readings: { viewClientSecretToDeployGlobalOauth: false },
      settings: { ExternalClientAppSettings: { enableClientSecretInRestApiAccess: true } },
      profiles: [
        {
          Name: 'System Administrator',
          permissions: {
            PermissionsModifyAllData: true,
            PermissionsCustomizeApplication: true,
            PermissionsApiEnabled: true,
            PermissionsExternalClientAppDeveloper: true,
            PermissionsExternalClientAppAdmin: true,
          },
        },
        { Name: 'Sales' },
      ],
      permissionSets: [],
      users: [{ Username: 'dev@example.com', LastName: 'Dev' }],
    });
    const consumerId = env.emulator.org.consumerForApp('ren')?.id ?? '';
    const err = await errorOf(get(`/apps/oauth/credentials/${appId}/${consumerId}?part=secret`));
    expect(err.errorCode).to.equal('INSUFFICIENT_ACCESS');
  });

  it('unknown apps, consumers and parts', async () => {
    await setup({ settings: { ExternalClientAppSettings: { enableClientSecretInRestApiAccess: true } } });
    const consumerId = env.emulator.org.consumerForApp('ren')?.id ?? '';
    expect((await errorOf(get('/apps/oauth/credentials/0xI5j000000ZZZZAAA'))).errorCode).to.equal('NOT_FOUND');
    expect((await errorOf(get(`/apps/oauth/credentials/${appId}/0Cx5j000000ZZZZAAA`))).errorCode).to.equal('NOT_FOUND');
    expect((await errorOf(get(`/apps/oauth/credentials/${appId}/${consumerId}?part=everything`))).errorCode).to.equal(
      'ILLEGAL_QUERY_PARAMETER_VALUE',
    );
  });

  it('stages, rotates and revokes credentials (v65)', async () => {
    await setup({ settings: { ExternalClientAppSettings: { enableClientSecretInRestApiAccess: true } } });
    const consumer = env.emulator.org.consumerForApp('ren');
    const base = `/services/data/v65.0/apps/oauth/credentials/${appId}/${consumer?.id ?? ''}/staged`;
    const oldKey = consumer?.key;
    // POST answers the collection, as GET does (CR-STAGED).
    const posted = await conn.request<{ stagedCredentials: Json[]; url: string }>({
      method: 'POST',
      url: base,
      body: '',
    });
    expect(posted.url).to.equal(base);
    expect(posted.stagedCredentials).to.have.length(1);
    const staged = posted.stagedCredentials[0];
    expect(staged).to.include({ state: 'Active', url: `${base}/${String(staged.id)}` });
    expect(staged.key).to.match(/^3MVG9/);
    expect(Date.parse(String(staged.expirationDate)) - Date.parse(String(staged.createdDate))).to.equal(
      30 * 86_400_000,
    );
    const listed = await conn.request<Json>(base);
    expect(listed.stagedCredentials).to.deep.equal(posted.stagedCredentials);

    const rotated = await conn.request({
      method: 'PATCH',
      url: `${base}/${String(staged.id)}`,
      body: JSON.stringify({ command: 'rotate' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(rotated).to.include({ state: 'Rotated', key: oldKey });
    expect(env.emulator.org.consumerForApp('ren')?.key).to.equal(staged.key);
    const global = await metadataCrud(conn).read('ExtlClntAppGlobalOauthSettings', 'ren_glbloauth');
    expect(global.consumerKey).to.equal(staged.key);

    await conn.request({ method: 'DELETE', url: `${base}/${String(staged.id)}` });
    expect((await conn.request<Json>(base)).stagedCredentials).to.have.length(0);
  });

  it('staged credentials do not exist before v65', async () => {
    await setup({ settings: { ExternalClientAppSettings: { enableClientSecretInRestApiAccess: true } } }, '64.0');
    const consumerId = env.emulator.org.consumerForApp('ren')?.id ?? '';
    expect((await errorOf(get(`/apps/oauth/credentials/${appId}/${consumerId}/staged`))).errorCode).to.equal(
      'NOT_FOUND',
    );
    const both = await get(`/apps/oauth/credentials/${appId}/${consumerId}?part=keyandsecret`);
    expect(both).to.not.have.property('stagedCredentialsUrl');
  });
});

describe('emulator: credentials of apps with several consumers, settings and faults', () => {
  const env = useEmulator(undefined, { connect: false });
  let conn: Connection;
  let appId: string;
  const secretsOn = { settings: { ExternalClientAppSettings: { enableClientSecretInRestApiAccess: true } } };

  async function setup(seed: OrgSeed = {}, version = '65.0'): Promise<void> {
    env.emulator.reset(seed);
    conn = await connect(env.emulator, version);
    await conn.metadata.deploy(await zip(renPackage()), { singlePackage: true }).complete(true);
    appId = (await conn.query<{ Id: string }>("SELECT Id FROM ExternalClientApplication WHERE DeveloperName = 'ren'"))
      .records[0].Id;
  }

  const get = (path: string): Promise<Json> => conn.request(`/services/data/v${conn.getApiVersion()}${path}`);

  const tokenStatus = (key: string, secret: string, refreshToken: string): Promise<number> =>
    refreshStatus(env.emulator, { key, secret }, refreshToken);

  it("lists every consumer of an app and reads each one's key and secret", async () => {
    const seed: OrgSeed = {
      ...secretsOn,
      metadata: {
        ExternalClientApplication: { multi: { label: 'Multi', contactEmail: 'a@example.com' } },
        ExtlClntAppGlobalOauthSettings: {
          multi_glbloauth: { externalClientApplication: 'multi', callbackUrl: 'https://example.com/cb' },
        },
      },
      consumers: [{ app: 'multi', name: 'multi_mobile', key: '3MVG9mobile', secret: 'MOBILE_SECRET' }],
    };
    await setup(seed);
    const multiId = (
      await conn.query<{ Id: string }>("SELECT Id FROM ExternalClientApplication WHERE DeveloperName = 'multi'")
    ).records[0].Id;
    const consumers = (await get(`/apps/oauth/credentials/${multiId}`)).consumers as Json[];
    expect(consumers.map((c) => c.name)).to.deep.equal(['multi', 'multi_mobile']);
    const mobile = await get(`/apps/oauth/credentials/${multiId}/${String(consumers[1].id)}?part=keyandsecret`);
    expect(mobile).to.include({ key: '3MVG9mobile', secret: 'MOBILE_SECRET', name: 'multi_mobile' });
    // another app's consumer is not found under this app
    const renConsumer = env.emulator.org.consumerForApp('ren')!.id;
    const err = await get(`/apps/oauth/credentials/${multiId}/${renConsumer}`).catch(
      (e: Error & { errorCode?: string }) => e,
    );
    expect((err as { errorCode?: string }).errorCode).to.equal('NOT_FOUND');
  });

  it('the secret follows the org setting as metadata CRUD writes it', async () => {
    await setup();
    const consumerId = env.emulator.org.consumerForApp('ren')!.id;
    const path = `/apps/oauth/credentials/${appId}/${consumerId}?part=secret`;
    await metadataCrud(conn).update('ExternalClientAppSettings', {
      fullName: 'ExternalClientApp',
      enableClientSecretInRestApiAccess: true,
    });
    const read = await metadataCrud(conn).read('ExternalClientAppSettings', 'ExternalClientApp');
    expect(read.enableClientSecretInRestApiAccess).to.equal('true');
    expect((await get(path)).secret).to.equal(env.emulator.org.consumerForApp('ren')!.secret);
    await metadataCrud(conn).update('ExternalClientAppSettings', {
      fullName: 'ExternalClientApp',
      enableClientSecretInRestApiAccess: false,
    });
    const err = await get(path).catch((e: Error & { errorCode?: string }) => e);
    expect((err as { errorCode?: string }).errorCode).to.equal('FUNCTIONALITY_NOT_ENABLED');
  });

  it('faults match the credential paths: a failing secret read, a slow one, while the consumer list still answers', async () => {
    await setup(secretsOn);
    const consumerId = env.emulator.org.consumerForApp('ren')!.id;
    env.emulator.faults.add({ match: { path: `/credentials/${appId}/${consumerId}` }, fault: 'http-500' });
    expect(((await get(`/apps/oauth/credentials/${appId}`)).consumers as Json[]).length).to.equal(1);
    const raw = await fetch(
      `${env.emulator.url}/services/data/v65.0/apps/oauth/credentials/${appId}/${consumerId}?part=secret`,
      {
        headers: { authorization: `Bearer ${env.emulator.accessToken}` },
      },
    );
    expect(raw.status).to.equal(500);
    expect(((await raw.json()) as Json[])[0].errorCode).to.equal('UNKNOWN_EXCEPTION');
    env.emulator.faults.clear();
    env.emulator.faults.add({ match: { path: '/apps/oauth/credentials/' }, fault: 'delay', delayMs: 200, times: 1 });
    const started = Date.now();
    await get(`/apps/oauth/credentials/${appId}/${consumerId}?part=secret`);
    expect(Date.now() - started).to.be.at.least(150);
  });

  it('staged credentials are dual phase: both pairs work until the staged record is deleted', async () => {
    await setup(secretsOn);
    const org = env.emulator.org;
    const consumer = org.consumerForApp('ren')!;
    const old = { key: consumer.key, secret: consumer.secret };
    const refresh = org.sessions.issueRefreshToken(org.sessionUser.Id, consumer.id);
    const base = `/services/data/v65.0/apps/oauth/credentials/${appId}/${consumer.id}/staged`;
    const posted: { stagedCredentials: Json[] } = await conn.request({ method: 'POST', url: base, body: '{}' });
    const staged = posted.stagedCredentials[0];
    expect(await tokenStatus(String(staged.key), String(staged.secret), refresh)).to.equal(200);
    expect(await tokenStatus(old.key, old.secret, refresh)).to.equal(200);
    await conn.request({
      method: 'PATCH',
      url: `${base}/${String(staged.id)}`,
      body: JSON.stringify({ command: 'rotate' }),
      headers: { 'content-type': 'application/json' },
    });
    expect(await tokenStatus(old.key, old.secret, refresh)).to.equal(200);
    await conn.request({ method: 'DELETE', url: `${base}/${String(staged.id)}` });
    expect(await tokenStatus(old.key, old.secret, refresh)).to.equal(400);
    expect(await tokenStatus(String(staged.key), String(staged.secret), refresh)).to.equal(200);
  });

  it('a rotating deploy replaces the secret at once: the old one no longer works', async () => {
    await setup(secretsOn);
    const org = env.emulator.org;
    const consumer = org.consumerForApp('ren')!;
    const old = { key: consumer.key, secret: consumer.secret };
    const refresh = org.sessions.issueRefreshToken(org.sessionUser.Id, consumer.id);
    await conn.metadata
      .deploy(await zip(renRedeploy({ global: { shouldRotateConsumerSecret: 'true' } })), {
        singlePackage: true,
        ignoreWarnings: true,
      })
      .complete(true);
    expect(consumer.secret).to.not.equal(old.secret);
    expect(await tokenStatus(old.key, old.secret, refresh)).to.equal(400);
    expect(await tokenStatus(old.key, consumer.secret, refresh)).to.equal(200);
  });
});
