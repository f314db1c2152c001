import { expect } from 'chai';
import type { Connection } from '@salesforce/core';
import type { OrgSeed } from '../index.js';
import { caseSafeSuffix, to18 } from '../index.js';
import { connect, useEmulator } from './helpers.js';
import { renPackage, zip } from './fixtures.js';

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
    const result = await conn.query<{ Id: string }>("SELECT Id FROM ExternalClientApplication WHERE DeveloperName = 'ren'");
    appId = result.records[0].Id;
  }

  async function get(path: string): Promise<Json> {
    return (conn.request(`/services/data/v${conn.getApiVersion()}${path}`));
  }

  async function errorOf(promise: Promise<unknown>): Promise<Error & { errorCode?: string }> {
    return promise.then(
      () => {
        throw new Error('expected an error');
      },
      (err: Error & { errorCode?: string }) => err
    );
  }

  it('lists the app in usage and its consumer', async () => {
    await setup();
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
    expect(both.stagedCredentialsUrl).to.equal(`/services/data/v65.0/apps/oauth/credentials/${appId}/${consumer?.id ?? ''}/staged`);
    const secretOnly = await get(`/apps/oauth/credentials/${appId}/${consumer?.id ?? ''}?part=secret`);
    expect(secretOnly).to.include({ key: null, secret: consumer?.secret });
  });

  it('refuses the secret to a user without View Client Secret', async () => {
    await setup({
      settings: { ExternalClientAppSettings: { enableClientSecretInRestApiAccess: true } },
      profiles: [
        {
          Name: 'System Administrator',
          permissions: { PermissionsModifyAllData: true, PermissionsCustomizeApplication: true, PermissionsApiEnabled: true, PermissionsExternalClientAppDeveloper: true, PermissionsExternalClientAppAdmin: true },
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
    expect((await errorOf(get(`/apps/oauth/credentials/${appId}/${consumerId}?part=everything`))).errorCode).to.equal('ILLEGAL_QUERY_PARAMETER_VALUE');
  });

  it('stages, rotates and revokes credentials (v65)', async () => {
    await setup({ settings: { ExternalClientAppSettings: { enableClientSecretInRestApiAccess: true } } });
    const consumer = env.emulator.org.consumerForApp('ren');
    const base = `/services/data/v65.0/apps/oauth/credentials/${appId}/${consumer?.id ?? ''}/staged`;
    const oldKey = consumer?.key;
    const staged = (await conn.request({ method: 'POST', url: base, body: '' }));
    expect(staged).to.include({ state: 'Active' });
    expect(staged.key).to.match(/^3MVG9/);
    const listed = (await conn.request(base));
    expect(listed.stagedCredentials).to.have.length(1);

    const rotated = (await conn.request({ method: 'PATCH', url: `${base}/${String(staged.id)}`, body: JSON.stringify({ command: 'rotate' }), headers: { 'content-type': 'application/json' } }));
    expect(rotated).to.include({ state: 'Rotated', key: oldKey });
    expect(env.emulator.org.consumerForApp('ren')?.key).to.equal(staged.key);
    const global = (await conn.metadata.read('ExtlClntAppGlobalOauthSettings', 'ren_glbloauth')) as unknown as Json;
    expect(global.consumerKey).to.equal(staged.key);

    await conn.request({ method: 'DELETE', url: `${base}/${String(staged.id)}` });
    expect(((await conn.request(base))).stagedCredentials).to.have.length(0);
  });

  it('staged credentials do not exist before v65', async () => {
    await setup({ settings: { ExternalClientAppSettings: { enableClientSecretInRestApiAccess: true } } }, '64.0');
    const consumerId = env.emulator.org.consumerForApp('ren')?.id ?? '';
    expect((await errorOf(get(`/apps/oauth/credentials/${appId}/${consumerId}/staged`))).errorCode).to.equal('NOT_FOUND');
    const both = await get(`/apps/oauth/credentials/${appId}/${consumerId}?part=keyandsecret`);
    expect(both).to.not.have.property('stagedCredentialsUrl');
  });
});
