import { expect } from 'chai';
import { useEmulator } from './helpers.js';
import { renPackage, zip } from './fixtures.js';

type Rec = Record<string, unknown>;

describe('emulator: SOQL over REST', () => {
  const env = useEmulator();
  before(async () => {
    await env.conn.metadata.deploy(await zip(renPackage()), { singlePackage: true }).complete(true);
  });

  async function rows(soql: string): Promise<Rec[]> {
    return (await env.conn.query<Rec>(soql)).records;
  }

  async function queryError(soql: string): Promise<{ errorCode?: string; message: string }> {
    return env.conn.query(soql).then(
      () => ({ message: 'no error' }),
      (err: Error & { errorCode?: string }) => err,
    );
  }

  it('selects fields with canonical casing, case-insensitive keywords and names', async () => {
    const result = await env.conn.query<Rec>("select id, NAME from profile where name = 'system administrator'");
    expect(result.totalSize).to.equal(1);
    expect(result.done).to.equal(true);
    const [record] = result.records;
    expect(Object.keys(record)).to.deep.equal(['attributes', 'Id', 'Name']);
    expect(record.Name).to.equal('System Administrator');
    expect(record.attributes).to.deep.equal({
      type: 'Profile',
      url: `/services/data/v64.0/sobjects/Profile/${String(record.Id)}`,
    });
  });

  it('reads the Organization fields sf asks for', async () => {
    const [org] = await rows(
      'SELECT Name, InstanceName, IsSandbox, TrialExpirationDate, NamespacePrefix, OrganizationType FROM Organization',
    );
    expect(org).to.include({
      IsSandbox: false,
      TrialExpirationDate: null,
      NamespacePrefix: null,
      OrganizationType: 'Developer Edition',
    });
  });

  it('follows relationships and nests them in the records', async () => {
    const records = await rows(
      "SELECT Assignee.Username, PermissionSet.Name, PermissionSet.Profile.Name FROM PermissionSetAssignment WHERE Assignee.Username = 'sales@emulator.example.com' ORDER BY PermissionSet.Name",
    );
    expect(records).to.have.length(2);
    const names = records.map((r) => (r.PermissionSet as Rec).Name);
    expect(names).to.include('Ren_Users');
    const owned = records.find((r) => (r.PermissionSet as Rec).Profile !== null);
    expect(((owned?.PermissionSet as Rec).Profile as Rec).Name).to.equal('Sales');
    const unowned = records.find((r) => (r.PermissionSet as Rec).Name === 'Ren_Users');
    expect((unowned?.PermissionSet as Rec).Profile).to.equal(null);
  });

  it('supports semi-join subqueries (the permission preflight)', async () => {
    const me = env.emulator.org.sessionUser.Id;
    const records = await rows(
      `SELECT PermissionsViewClientSecret, PermissionsExternalClientAppDeveloper, PermissionsExternalClientAppAdmin FROM PermissionSet WHERE Id IN (SELECT PermissionSetId FROM PermissionSetAssignment WHERE AssigneeId = '${me}')`,
    );
    expect(records).to.have.length(1);
    expect(records[0]).to.include({ PermissionsViewClientSecret: true, PermissionsExternalClientAppDeveloper: true });
  });

  it('supports IN lists, NOT IN, LIKE, AND/OR/NOT and parentheses', async () => {
    expect(await rows("SELECT Name FROM Profile WHERE Name IN ('Sales', 'Read Only') ORDER BY Name")).to.have.length(2);
    expect(await rows("SELECT Name FROM Profile WHERE Name NOT IN ('Sales', 'Read Only')")).to.have.length(2);
    expect((await rows("SELECT Name FROM Profile WHERE Name LIKE 'sys%'"))[0].Name).to.equal('System Administrator');
    expect(await rows("SELECT Name FROM Profile WHERE Name LIKE 'S_les'")).to.have.length(1);
    const mixed = await rows(
      "SELECT Name FROM PermissionSet WHERE IsOwnedByProfile = false AND (Name = 'Ren_Users' OR Name = 'Sales_Ops') AND NOT Name = 'Sales_Ops'",
    );
    expect(mixed.map((r) => r.Name)).to.deep.equal(['Ren_Users']);
    expect(await rows('SELECT Id FROM PermissionSet WHERE ProfileId != null')).to.have.length(4);
  });

  it('orders, limits and offsets', async () => {
    const desc = await rows('SELECT Name FROM Profile ORDER BY Name DESC LIMIT 2');
    expect(desc.map((r) => r.Name)).to.deep.equal(['System Administrator', 'Standard User']);
    const page = await rows('SELECT Name FROM Profile ORDER BY Name ASC LIMIT 1 OFFSET 1');
    expect(page.map((r) => r.Name)).to.deep.equal(['Sales']);
  });

  it('counts', async () => {
    const count = await env.conn.query('SELECT COUNT() FROM Profile');
    expect(count.totalSize).to.equal(4);
    expect(count.records).to.deep.equal([]);
    const agg = await rows('SELECT COUNT(Id) n FROM Profile');
    expect(agg[0]).to.include({ n: 4 });
  });

  it('derives ExternalClientApplication and ExtlClntAppOauthPlcyCnfg rows from the metadata', async () => {
    const [app] = await rows(
      "SELECT Id, DeveloperName, MasterLabel, DistributionState, ContactEmail, NamespacePrefix FROM ExternalClientApplication WHERE DeveloperName = 'ren'",
    );
    expect(app).to.include({
      DeveloperName: 'ren',
      MasterLabel: 'Ren',
      DistributionState: 'Local',
      ContactEmail: 'support@rensystems.com',
      NamespacePrefix: null,
    });
    expect(app.Id).to.equal(env.emulator.org.getComponent('ExternalClientApplication', 'ren')?.id);
    const [policy] = await rows(
      `SELECT ExternalClientApplicationId, PermittedUsersPolicyType, ExternalClientApplication.DeveloperName FROM ExtlClntAppOauthPlcyCnfg WHERE ExternalClientApplicationId = '${String(app.Id)}'`,
    );
    expect(policy).to.include({
      ExternalClientApplicationId: app.Id,
      PermittedUsersPolicyType: 'AdminApprovedPreAuthorized',
    });
    const [scopes] = await rows(
      'SELECT OauthScopesApi, OauthScopesWeb, OauthScopesRefreshToken FROM ExtlClntAppOauthSettings',
    );
    expect(scopes).to.include({ OauthScopesApi: true, OauthScopesWeb: false, OauthScopesRefreshToken: true });
  });

  it('15- and 18-character ids compare equal', async () => {
    const id = env.emulator.org.sessionUser.Id;
    expect(await rows(`SELECT Id FROM User WHERE Id = '${id.slice(0, 15)}'`)).to.have.length(1);
  });

  it('unknown object: INVALID_TYPE with the position', async () => {
    const err = await queryError('SELECT Id FROM ScratchOrgInfo');
    expect(err.errorCode).to.equal('INVALID_TYPE');
    expect(err.message).to.equal(
      "\nSELECT Id FROM ScratchOrgInfo\n               ^\nERROR at Row:1:Column:16\nsObject type 'ScratchOrgInfo' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.",
    );
  });

  it('unknown field: INVALID_FIELD', async () => {
    const err = await queryError('SELECT Id, Colour FROM Profile');
    expect(err.errorCode).to.equal('INVALID_FIELD');
    expect(err.message).to.contain("No such column 'Colour' on entity 'Profile'");
    expect(err.message).to.contain('ERROR at Row:1:Column:12');
  });

  it('unknown relationship: INVALID_FIELD', async () => {
    const err = await queryError('SELECT Owner.Name FROM Profile');
    expect(err.errorCode).to.equal('INVALID_FIELD');
    expect(err.message).to.contain("Didn't understand relationship 'Owner' in field path");
  });

  it('parse errors: MALFORMED_QUERY', async () => {
    const err = await queryError('SELECT Id FROM Profile WHERE');
    expect(err.errorCode).to.equal('MALFORMED_QUERY');
    expect(err.message).to.contain('unexpected token: <EOF>');
    expect((await queryError('SELECT FROM Profile')).errorCode).to.equal('MALFORMED_QUERY');
  });

  it('type errors in filters', async () => {
    const bool = await queryError("SELECT Id FROM PermissionSet WHERE IsOwnedByProfile = 'false'");
    expect(bool.errorCode).to.equal('INVALID_FIELD');
    expect(bool.message).to.contain("value of filter criterion for field 'IsOwnedByProfile' must be of type boolean");
    const id = await queryError("SELECT Id FROM User WHERE Id = 'abc'");
    expect(id.errorCode).to.equal('INVALID_QUERY_FILTER_OPERATOR');
    expect(id.message).to.contain('invalid ID field: abc');
  });

  it('queryAll and the trailing-slash query path answer too', async () => {
    const all = await env.conn.request<{ totalSize: number }>(
      `/services/data/v64.0/queryAll?q=${encodeURIComponent('SELECT Id FROM Profile')}`,
    );
    expect(all.totalSize).to.equal(4);
    const slash = await env.conn.request<{ totalSize: number }>(
      `/services/data/v64.0/query/?q=${encodeURIComponent('SELECT Id FROM Profile')}`,
    );
    expect(slash.totalSize).to.equal(4);
  });

  it('reads sObjects by id', async () => {
    const user = await env.conn.request(`/services/data/v64.0/sobjects/User/${env.emulator.org.sessionUser.Id}`);
    expect(user).to.include({ Username: 'admin@emulator.example.com', Id: env.emulator.org.sessionUser.Id });
    const some = (await env.conn.sobject('Organization').retrieve(env.emulator.org.organization.Id)) as unknown as Rec;
    expect(some.Name).to.equal('Emulated Developer Org');
  });

  it('creates and deletes SetupEntityAccess rows', async () => {
    const appId = env.emulator.org.getComponent('ExternalClientApplication', 'ren')?.id ?? '';
    const parentId = env.emulator.org.permissionSets.find((p) => p.Name === 'Ren_Users')?.Id ?? '';
    const created = await env.conn.sobject('SetupEntityAccess').create({ ParentId: parentId, SetupEntityId: appId });
    expect(created.success).to.equal(true);
    const [row] = await rows(
      `SELECT Id, SetupEntityType, Parent.Name FROM SetupEntityAccess WHERE SetupEntityId = '${appId}' AND ParentId = '${parentId}'`,
    );
    expect(row).to.include({ SetupEntityType: 'ExternalClientApplication' });
    expect((row.Parent as Rec).Name).to.equal('Ren_Users');
    const dup = await env.conn
      .sobject('SetupEntityAccess')
      .create({ ParentId: parentId, SetupEntityId: appId })
      .then(
        () => undefined,
        (err: Error & { errorCode?: string }) => err,
      );
    expect(dup?.errorCode).to.equal('DUPLICATE_VALUE');
    await env.conn.sobject('SetupEntityAccess').destroy(created.id as string);
    // What is left is the row of the profile the app's OAuth policies name (Sales): the lists are these rows.
    const left = await rows(`SELECT Parent.Profile.Name FROM SetupEntityAccess WHERE SetupEntityId = '${appId}'`);
    expect(left.map((r) => ((r.Parent as Rec).Profile as Rec).Name)).to.deep.equal(['Sales']);
  });
});
