/*
 * Vendor-owned connected apps in the emulator: the three stages a seed describes, read through SOQL as the plugin
 * reads them; install and policy edits through the control endpoints; the uninstalled-app block; pre-authorization
 * rows (SetupEntityAccess) for a connected app with the permissions Salesforce asks for; the single-access endpoint.
 */
import { expect } from 'chai';
import type { OrgSeed } from '../index.js';
import { metadataCrud, useEmulator } from './helpers.js';
import { controlCall } from './oauthHelpers.js';

type Rec = Record<string, unknown>;

const seed: OrgSeed = {
  profiles: [
    {
      Name: 'System Administrator',
      permissions: {
        PermissionsApiEnabled: true,
        PermissionsViewSetup: true,
        PermissionsCustomizeApplication: true,
        PermissionsModifyAllData: true,
        PermissionsManageProfilesPermissionsets: true,
        PermissionsCanApproveUninstalledApps: true,
        PermissionsManageUsers: true,
        PermissionsManageRemoteAccess: true,
      },
    },
    {
      Name: 'App Manager',
      permissions: {
        PermissionsApiEnabled: true,
        PermissionsViewSetup: true,
        PermissionsCustomizeApplication: true,
        PermissionsManageRemoteAccess: true,
      },
    },
    { Name: 'Sales', permissions: { PermissionsApiEnabled: true } },
  ],
  users: [
    { Username: 'admin@emulator.example.com', LastName: 'Admin', profile: 'System Administrator' },
    { Username: 'sales@emulator.example.com', LastName: 'Seller', profile: 'Sales', permissionSets: ['Ren_Users'] },
    { Username: 'manager@emulator.example.com', LastName: 'Manager', profile: 'App Manager' },
  ],
  vendorApps: [
    { name: 'Inven', stage: 'used' },
    { name: 'Quiet', stage: 'never-used' },
    {
      name: 'Old',
      stage: 'installed',
      policies: {
        permittedUsers: 'AdminApprovedPreAuthorized',
        refreshTokenPolicy: 'specific_inactivity:30:DAYS',
        ipRelaxation: 'BYPASS',
      },
    },
  ],
};

describe('emulator: vendor-owned connected apps', () => {
  const env = useEmulator(seed);
  beforeEach(() => env.emulator.reset());

  const rows = async (soql: string): Promise<Rec[]> => (await env.conn.query<Rec>(soql)).records;
  const control = (action: string, body: unknown): Promise<{ status: number; body: Rec }> =>
    controlCall(env.emulator, `connected-apps/${action}`, body);
  const app = async (name: string) =>
    rows(
      `SELECT Id, Name, OptionsAllowAdminApprovedUsersOnly, OptionsRefreshTokenValidityMetric, RefreshTokenValidityPeriod FROM ConnectedApplication WHERE Name = '${name}'`,
    );
  const tokens = async (name: string) =>
    rows(`SELECT AppName, UserId, UseCount, LastUsedDate FROM OauthToken WHERE AppName = '${name}'`);

  it('answers each seeded stage through SOQL: never used, used but not installed, installed', async () => {
    expect(await app('Quiet')).to.deep.equal([]);
    expect(await tokens('Quiet')).to.deep.equal([]);
    expect(await app('inven')).to.deep.equal([]);
    const [token] = await tokens('inven');
    expect(token).to.include({ AppName: 'Inven', UserId: env.emulator.org.sessionUser.Id, UseCount: 1 });
    const [old] = await app('Old');
    expect(old).to.include({
      Name: 'Old',
      OptionsAllowAdminApprovedUsersOnly: true,
      OptionsRefreshTokenValidityMetric: true,
      RefreshTokenValidityPeriod: 30,
    });
    expect(String(old.Id)).to.match(/^0H4/);
    // IP relaxation reaches no API: the object has no such field.
    const error = await env.conn
      .query("SELECT IpRelaxation FROM ConnectedApplication WHERE Name = 'Old'")
      // Query.catch types only handlers that return a query result; its then(null, onReject) is the same call.
      .then(null, (e: Error) => e);
    expect((error as Error).message).to.match(/No such column 'IpRelaxation'/);
  });

  it("installs a used app with Salesforce's defaults, once", async () => {
    const first = await control('install', { name: 'inven' });
    expect(first.status).to.equal(200);
    expect(first.body).to.include({ installed: true, name: 'Inven' });
    const [row] = await app('Inven');
    expect(row).to.include({
      Id: first.body.id,
      OptionsAllowAdminApprovedUsersOnly: false,
      RefreshTokenValidityPeriod: null,
    });
    expect(env.emulator.org.connectedApps.policies('Inven')).to.deep.equal({
      permittedUsers: 'AllSelfAuthorized',
      refreshTokenPolicy: 'infinite',
      ipRelaxation: 'ENFORCE',
      ipRanges: [],
    });
    const again = await control('install', { name: 'Inven' });
    expect(again.body).to.include({ installed: false, id: first.body.id });
    expect(await app('Inven')).to.have.length(1);
  });

  it('cannot install an app nobody has used (it is not on the OAuth usage page), nor for a user without the permissions', async () => {
    const never = await control('install', { name: 'Quiet' });
    expect(never.status).to.equal(404);
    expect(never.body.message).to.match(/nobody in the org has used it/);
    const seller = await control('install', { name: 'Inven', username: 'sales@emulator.example.com' });
    expect(seller.status).to.equal(403);
    expect(await app('Inven')).to.deep.equal([]);
  });

  it('edits policies as the Setup page does; the readable ones show in ConnectedApplication, IP settings do not', async () => {
    await control('install', { name: 'Inven' });
    const edited = await control('policies', {
      name: 'Inven',
      permittedUsers: 'AdminApprovedPreAuthorized',
      refreshTokenPolicy: 'specific_lifetime:8:HOURS',
      ipRelaxation: 'BYPASS',
      ipRanges: [{ start: '3.5.140.0', end: '3.5.140.255' }],
    });
    expect(edited.status).to.equal(200);
    const [row] = await app('Inven');
    expect(row).to.include({
      OptionsAllowAdminApprovedUsersOnly: true,
      OptionsRefreshTokenValidityMetric: false,
      RefreshTokenValidityPeriod: 8,
    });
    expect(env.emulator.org.connectedApps.policies('Inven')).to.deep.include({
      ipRelaxation: 'BYPASS',
      ipRanges: [{ start: '3.5.140.0', end: '3.5.140.255' }],
    });
    expect((await control('policies', { name: 'Inven', refreshTokenPolicy: 'forever' })).status).to.equal(400);
    expect((await control('policies', { name: 'Quiet', ipRelaxation: 'BYPASS' })).status).to.equal(404);
  });

  it('blocks users without "Approve Uninstalled Connected Apps" from an uninstalled app, and lets them in once it is installed', async () => {
    const blocked = await control('authorize', { name: 'Inven', username: 'sales@emulator.example.com' });
    expect(blocked.status).to.equal(400);
    expect(blocked.body).to.deep.equal({
      granted: false,
      error: 'invalid_client',
      error_description: 'app must be installed into org',
    });
    expect(env.emulator.org.connectedApps.deniedAttempts).to.have.length(1);
    // The admin (who has the permission) may use the uninstalled app.
    expect((await control('authorize', { name: 'Inven', username: 'admin@emulator.example.com' })).body).to.include({
      granted: true,
      useCount: 2,
    });
    await control('install', { name: 'Inven' });
    expect((await control('authorize', { name: 'Inven', username: 'sales@emulator.example.com' })).body).to.include({
      granted: true,
      useCount: 1,
    });
    expect(await tokens('Inven')).to.have.length(2);
  });

  it('lists a blocked attempt on the usage page, so a never-used app becomes installable', async () => {
    await control('authorize', { name: 'Quiet', username: 'sales@emulator.example.com' });
    expect(await tokens('Quiet')).to.deep.equal([]);
    expect((await control('install', { name: 'Quiet' })).body).to.include({ installed: true });
  });

  it('answers an unknown client and an unknown user as the OAuth endpoints do', async () => {
    expect((await control('authorize', { name: 'Nobody', username: 'admin@emulator.example.com' })).body).to.include({
      error: 'invalid_client_id',
    });
    expect((await control('authorize', { name: 'Inven', username: 'ghost@example.com' })).body).to.include({
      error: 'invalid_grant',
    });
  });

  it('lets only pre-authorized users into an admin-approved app, through a profile or a permission set', async () => {
    const [old] = await app('Old');
    expect((await control('authorize', { name: 'Old', username: 'sales@emulator.example.com' })).body).to.include({
      error: 'invalid_app_access',
    });
    const [renUsers] = await rows("SELECT Id FROM PermissionSet WHERE Name = 'Ren_Users'");
    const created = await env.conn
      .sobject('SetupEntityAccess')
      .create({ ParentId: renUsers.Id, SetupEntityId: old.Id });
    expect(created.success).to.equal(true);
    expect((await control('authorize', { name: 'Old', username: 'sales@emulator.example.com' })).body).to.include({
      granted: true,
    });
  });

  it('pre-authorizes a profile through its own permission set (IsOwnedByProfile, ProfileId), and removes it again', async () => {
    const [old] = await app('Old');
    const [own] = await rows(
      "SELECT Id, Profile.Name FROM PermissionSet WHERE IsOwnedByProfile = true AND Profile.Name = 'Sales'",
    );
    expect(own.Profile).to.include({ Name: 'Sales' });
    const created = await env.conn.sobject('SetupEntityAccess').create({ ParentId: own.Id, SetupEntityId: old.Id });
    const granted = await rows(
      `SELECT Id, ParentId, SetupEntityType FROM SetupEntityAccess WHERE SetupEntityId = '${String(old.Id)}'`,
    );
    expect(granted).to.have.length(1);
    expect(granted[0]).to.include({ ParentId: own.Id, SetupEntityType: 'ConnectedApplication' });
    const duplicate = await env.conn
      .sobject('SetupEntityAccess')
      .create({ ParentId: own.Id, SetupEntityId: old.Id })
      .catch((e: Error & { errorCode?: string }) => e);
    expect((duplicate as { errorCode?: string }).errorCode).to.equal('DUPLICATE_VALUE');
    await env.conn.sobject('SetupEntityAccess').destroy(String((created as { id: string }).id));
    expect(await rows(`SELECT Id FROM SetupEntityAccess WHERE SetupEntityId = '${String(old.Id)}'`)).to.deep.equal([]);
  });

  it('refuses to pre-authorize a connected app for a user without Modify All Data and Manage Profiles and Permission Sets', async () => {
    const { connect } = await import('./helpers.js');
    const manager = env.emulator.org.directory.users.find((u) => u.Username.startsWith('manager'))!;
    const token = env.emulator.org.sessions.open('00D000000000001!AQmanager', manager.Id);
    const conn = await connect(env.emulator, '64.0', token);
    const [old] = await app('Old');
    const [own] = await rows("SELECT Id FROM PermissionSet WHERE IsOwnedByProfile = true AND Profile.Name = 'Sales'");
    const refused = await conn
      .sobject('SetupEntityAccess')
      .create({ ParentId: own.Id, SetupEntityId: old.Id })
      .catch((e: Error & { errorCode?: string }) => e);
    expect((refused as { errorCode?: string }).errorCode).to.equal('INSUFFICIENT_ACCESS_OR_READONLY');
    const granted = await env.conn.sobject('SetupEntityAccess').create({ ParentId: own.Id, SetupEntityId: old.Id });
    const removal = await conn
      .sobject('SetupEntityAccess')
      .destroy(String((granted as { id: string }).id))
      .catch((e: Error & { errorCode?: string }) => e);
    expect((removal as { errorCode?: string }).errorCode).to.equal('INSUFFICIENT_ACCESS_OR_READONLY');
  });

  it('uninstalls: policies and pre-authorizations go, the tokens stay', async () => {
    const [old] = await app('Old');
    const [own] = await rows("SELECT Id FROM PermissionSet WHERE IsOwnedByProfile = true AND Profile.Name = 'Sales'");
    await env.conn.sobject('SetupEntityAccess').create({ ParentId: own.Id, SetupEntityId: old.Id });
    expect((await control('uninstall', { name: 'Old' })).body).to.deep.equal({ uninstalled: true });
    expect(await app('Old')).to.deep.equal([]);
    expect(await rows(`SELECT Id FROM SetupEntityAccess WHERE SetupEntityId = '${String(old.Id)}'`)).to.deep.equal([]);
    expect(env.emulator.org.connectedApps.stage('Old')).to.equal('used');
  });

  it('lists the vendor apps with their stage for the state dump', async () => {
    const response = await fetch(`${env.emulator.url}/__emulator/connected-apps`);
    const listed = (await response.json()) as Array<{ name: string; stage: string }>;
    expect(listed.map((a) => [a.name, a.stage])).to.deep.equal([
      ['Inven', 'used'],
      ['Quiet', 'never-used'],
      ['Old', 'installed'],
    ]);
  });

  it('gives a one-time front door link to a Setup page, as `sf org open` asks for it', async () => {
    const answer = await env.conn.requestGet<{ frontdoor_uri: string }>(
      `${env.emulator.url}/services/oauth2/singleaccess?redirect_uri=${encodeURIComponent('/lightning/setup/ConnectedAppsUsage/home')}`,
    );
    const link = new URL(answer.frontdoor_uri);
    expect(link.origin + link.pathname).to.equal(`${env.emulator.url}/secur/frontdoor.jsp`);
    expect(link.searchParams.get('startURL')).to.equal('/lightning/setup/ConnectedAppsUsage/home');
    expect(link.searchParams.get('otp')).to.match(/^[\w-]{20,}$/);
    const bad = await fetch(`${env.emulator.url}/services/oauth2/singleaccess`, {
      headers: { authorization: 'Bearer nope' },
    });
    expect(bad.status).to.equal(403);
  });
});

describe('emulator: an org-owned ConnectedApp in the Metadata API', () => {
  const env = useEmulator({
    metadata: {
      ConnectedApp: {
        Acme: {
          label: 'Acme',
          contactEmail: 'it@acme.example',
          oauthConfig: { callbackUrl: 'https://acme.example/cb', consumerKey: 'ACMEKEY123', scopes: ['Api'] },
          oauthPolicy: { ipRelaxation: 'ENFORCE', refreshTokenPolicy: 'infinite' },
        },
      },
    },
  });

  it('reads and updates IP ranges and policies; ConnectedApplication follows the refresh token policy', async () => {
    const read = await metadataCrud(env.conn).read('ConnectedApp', 'Acme');
    expect(read.fullName).to.equal('Acme');
    const updated = await metadataCrud(env.conn).update('ConnectedApp', {
      ...read,
      ipRanges: [{ start: '10.0.0.1', end: '10.0.0.9', description: 'office' }],
      oauthPolicy: { ipRelaxation: 'ENFORCE', refreshTokenPolicy: 'specific_lifetime:2:DAYS' },
    });
    expect(updated.success).to.equal(true);
    const again = await metadataCrud(env.conn).read('ConnectedApp', 'Acme');
    expect(again.ipRanges).to.deep.equal([{ description: 'office', end: '10.0.0.9', start: '10.0.0.1' }]);
    const [row] = (
      await env.conn.query<Rec>("SELECT RefreshTokenValidityPeriod FROM ConnectedApplication WHERE Name = 'Acme'")
    ).records;
    expect(row.RefreshTokenValidityPeriod).to.equal(2);
  });

  it('answers an empty record for a foreign app, as a real org does for apps it does not own', async () => {
    const read = await metadataCrud(env.conn).read('ConnectedApp', 'Inven');
    expect(read.fullName).to.equal(undefined);
    const listed = await env.conn.metadata.list([{ type: 'ConnectedApp' }]);
    expect([listed].flat().map((p) => p.fullName)).to.deep.equal(['Acme']);
  });
});
