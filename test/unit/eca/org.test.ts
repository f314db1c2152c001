import { expect } from 'chai';
import sinon from 'sinon';
import type { Connection, SfError } from '@salesforce/core';
import { checkApiVersion, type Judgement, preconditionFailures, readOrgFacts } from '../../../src/eca/preconditions.js';
import { readExistingApp } from '../../../src/eca/orgApp.js';
import { resolveAccessNames, closeMatches } from '../../../src/shared/accessNames.js';

type FakeOrg = {
  apiVersion?: string;
  maxApiVersion?: string;
  oauthOidc?: Record<string, unknown> | Error;
  permissionRows?: Array<Record<string, unknown>> | Error;
  files?: Array<{ type: string; fullName: string; id?: string }>;
  records?: Record<string, Record<string, Record<string, unknown>>>;
  queryRows?: Record<string, Array<Record<string, unknown>>>;
};

function fakeConnection(org: FakeOrg) {
  const read = sinon.fake(async (type: string, names: string | string[]) => {
    if (type === 'OauthOidcSettings') {
      if (org.oauthOidc instanceof Error) throw org.oauthOidc;
      return org.oauthOidc ? { fullName: 'OauthOidc', ...org.oauthOidc } : {};
    }
    const list = Array.isArray(names) ? names : [names];
    const found = list.map((name) => org.records?.[type]?.[name] ?? {});
    return Array.isArray(names) ? found : found[0];
  });
  const list = sinon.fake(async (queries: Array<{ type: string }>) =>
    (org.files ?? []).filter((f) => queries.some((q) => q.type === f.type)),
  );
  const query = sinon.fake(async (soql: string) => {
    if (soql.includes('PermissionSetAssignment')) {
      if (org.permissionRows instanceof Error) throw org.permissionRows;
      return { records: org.permissionRows ?? [] };
    }
    const key = Object.keys(org.queryRows ?? {}).find((k) => soql.includes(k));
    return { records: key ? org.queryRows![key] : [] };
  });
  const conn = {
    getApiVersion: () => org.apiVersion ?? '66.0',
    retrieveMaxApiVersion: async () => org.maxApiVersion ?? '66.0',
    getAuthInfoFields: () => ({ userId: '005000000000001AAA' }),
    getUsername: () => 'admin@acme.com',
    metadata: { read, list },
    query,
  };
  return { conn: conn as unknown as Connection, read, list, query };
}

const sessionError = () => Object.assign(new Error('Session expired or invalid'), { name: 'INVALID_SESSION_ID' });

describe('org preconditions', () => {
  const admin = [
    {
      PermissionsCustomizeApplication: true,
      PermissionsModifyAllData: true,
      PermissionsExternalClientAppDeveloper: true,
      PermissionsExternalClientAppAdmin: true,
      PermissionsViewClientSecret: true,
    },
  ];
  const ALL_TYPES = [
    'ExternalClientApplication',
    'ExtlClntAppOauthSettings',
    'ExtlClntAppGlobalOauthSettings',
    'ExtlClntAppConfigurablePolicies',
    'ExtlClntAppOauthConfigurablePolicies',
  ];
  const judge = async (org: FakeOrg, deployTypes = ALL_TYPES, extra: Partial<Judgement> = {}) => {
    const { conn } = fakeConnection(org);
    const facts = await readOrgFacts(conn, { needsCodeCredentialsFlow: extra.needsCodeCredentialsFlow ?? true });
    const failures = preconditionFailures(facts, {
      deployTypes,
      needsCodeCredentialsFlow: true,
      username: 'admin@acme.com',
      target: 'acme',
      ...extra,
    });
    return { facts, failures };
  };

  it('passes for an org that allows everything', async () => {
    const { facts, failures } = await judge({ oauthOidc: { oAuthCdCrdtFlowEnable: 'true' }, permissionRows: admin });
    expect(failures).to.deep.equal([]);
    expect(facts.warnings).to.deep.equal([]);
    expect(facts.codeCredentialsFlow).to.equal(true);
  });

  it('refuses API versions before 64.0 and says whether the org or the flag is the cause', async () => {
    const failed = async (org: FakeOrg) =>
      checkApiVersion(fakeConnection(org).conn).then(
        () => expect.fail('should refuse'),
        (e: SfError) => e,
      );
    const flag = await failed({ apiVersion: '63.0' });
    expect(flag.name).to.equal('RenApiVersionError');
    expect(flag.actions?.join(' ')).to.include('--api-version 64.0');
    const org = await failed({ apiVersion: '62.0', maxApiVersion: '62.0' });
    expect(org.name).to.equal('RenOrgApiVersionError');
    expect(org.message).to.include('up to 62.0');
    await checkApiVersion(fakeConnection({ apiVersion: '64.0' }).conn);
  });

  it('names the flag and the Setup page when the org blocks the Authorization Code and Credentials Flow', async () => {
    const org = { oauthOidc: { oAuthCdCrdtFlowEnable: 'false' }, permissionRows: admin };
    const { failures } = await judge(org);
    expect(failures.map((f) => f.name)).to.deep.equal(['RenOrgSettingError']);
    expect(failures[0].actions?.join(' '))
      .to.include('OAuth and OpenID Connect Settings')
      .and.include('--allow-code-credentials-flows');
    expect((await judge(org, ALL_TYPES, { needsCodeCredentialsFlow: false })).failures).to.deep.equal([]);
    expect((await judge(org, ALL_TYPES, { allowCodeCredentialsFlows: true })).failures).to.deep.equal([]);
  });

  it('skips the flow check, with a warning, when the org does not say', async () => {
    for (const oauthOidc of [{ blockOAuthUnPwFlow: 'true' }, undefined]) {
      // eslint-disable-next-line no-await-in-loop
      const { facts, failures } = await judge({ oauthOidc, permissionRows: admin });
      expect(failures).to.deep.equal([]);
      expect(facts.codeCredentialsFlow).to.equal(undefined);
      expect(facts.warnings[0]).to.include('Allow Authorization Code and Credentials Flows');
    }
  });

  it('skips the permission check when the org returns no assignments at all', async () => {
    const { facts, failures } = await judge({ oauthOidc: { oAuthCdCrdtFlowEnable: true }, permissionRows: [] });
    expect(failures).to.deep.equal([]);
    expect(facts.warnings).to.have.length(1);
  });

  it('names every permission the deploy needs that the user lacks, and only for what is deployed', async () => {
    const org = {
      oauthOidc: { oAuthCdCrdtFlowEnable: true },
      permissionRows: [
        { PermissionsCustomizeApplication: false, PermissionsModifyAllData: false, PermissionsModifyMetadata: false },
      ],
    };
    const { failures } = await judge(org);
    expect(failures.map((f) => f.name)).to.deep.equal(['RenPermissionError']);
    expect(failures[0].message)
      .to.include('admin@acme.com')
      .and.include('Modify Metadata Through Metadata API Functions')
      .and.include('Create, edit, and delete External Client Apps')
      .and.include('View all External Client Apps, view their settings, and edit their policies');
    const policiesOnly = await judge({ ...org, permissionRows: [{ PermissionsModifyMetadata: true }] }, [
      'ExtlClntAppOauthConfigurablePolicies',
    ]);
    expect(policiesOnly.failures[0].message)
      .to.include('edit their policies')
      .and.not.include('Create, edit, and delete');
    // Nothing to deploy needs no permission.
    expect((await judge(org, [])).failures).to.deep.equal([]);
  });

  it('does not count "Customize Application" as leave to use the Metadata API', async () => {
    const rows = [
      {
        PermissionsCustomizeApplication: true,
        PermissionsExternalClientAppDeveloper: true,
        PermissionsExternalClientAppAdmin: true,
      },
    ];
    const { failures } = await judge({ oauthOidc: { oAuthCdCrdtFlowEnable: true }, permissionRows: rows });
    expect(failures.map((f) => f.name)).to.deep.equal(['RenPermissionError']);
    expect(failures[0].message)
      .to.include('Modify Metadata Through Metadata API Functions')
      .and.not.include('External Client Apps');
  });

  it('asks for leave to deploy when only the org setting is deployed', async () => {
    const { failures } = await judge(
      { oauthOidc: { oAuthCdCrdtFlowEnable: true }, permissionRows: [{ PermissionsExternalClientAppAdmin: true }] },
      ['OauthOidcSettings'],
    );
    expect(failures.map((f) => f.name)).to.deep.equal(['RenPermissionError']);
    expect(failures[0].message).to.include('Modify Metadata').and.not.include('External Client Apps');
  });

  it("counts a permission granted by any of the user's permission sets", async () => {
    const rows = [
      { PermissionsModifyMetadata: true },
      { PermissionsExternalClientAppDeveloper: 'true' },
      { PermissionsExternalClientAppAdmin: true },
      { PermissionsViewClientSecret: true },
    ];
    expect((await judge({ oauthOidc: { oAuthCdCrdtFlowEnable: true }, permissionRows: rows })).failures).to.deep.equal(
      [],
    );
  });

  it('asks for "View Client Secret" only when the global OAuth settings are deployed', async () => {
    const rows = [{ ...admin[0], PermissionsViewClientSecret: false }];
    const org = { oauthOidc: { oAuthCdCrdtFlowEnable: true }, permissionRows: rows };
    const { failures } = await judge(org);
    expect(failures.map((f) => f.name)).to.deep.equal(['RenPermissionError']);
    expect(failures[0].message).to.include('View Client Secret');
    const withoutGlobal = ALL_TYPES.filter((t) => t !== 'ExtlClntAppGlobalOauthSettings');
    expect((await judge(org, withoutGlobal)).failures).to.deep.equal([]);
  });

  it('treats a refused permission read as every needed permission missing', async () => {
    const refused = Object.assign(new Error('INSUFFICIENT_ACCESS: no'), { name: 'INSUFFICIENT_ACCESS' });
    const { failures } = await judge({ oauthOidc: { oAuthCdCrdtFlowEnable: true }, permissionRows: refused });
    expect(failures.map((f) => f.name)).to.deep.equal(['RenPermissionError']);
  });

  it('warns and goes on when a check cannot be read, but never swallows an expired session', async () => {
    const unreadable = await judge({
      oauthOidc: new Error('INVALID_TYPE: no such type'),
      permissionRows: Object.assign(new Error('No such column'), { name: 'INVALID_FIELD' }),
    });
    expect(unreadable.failures).to.deep.equal([]);
    expect(unreadable.facts.warnings).to.have.length(2);
    try {
      await judge({ oauthOidc: sessionError(), permissionRows: admin });
      expect.fail('should have thrown');
    } catch (error) {
      expect((error as Error).name).to.equal('INVALID_SESSION_ID');
    }
  });
});

describe('reading the existing app', () => {
  const files = [
    { type: 'ExternalClientApplication', fullName: 'ren', id: '0xI000000000001AAA' },
    { type: 'ExternalClientApplication', fullName: 'other' },
    { type: 'ExtlClntAppOauthSettings', fullName: 'ren_oauth' },
    { type: 'ExtlClntAppOauthSettings', fullName: 'other_oauth' },
    { type: 'ExtlClntAppOauthConfigurablePolicies', fullName: 'SelfCallout_oauth_defaultPolicy' },
    { type: 'ExtlClntAppOauthConfigurablePolicies', fullName: 'other_oauthPlcy' },
  ];
  const records = {
    ExternalClientApplication: { ren: { fullName: 'ren', label: 'Ren', isProtected: 'false' } },
    ExtlClntAppOauthSettings: {
      ren_oauth: { fullName: 'ren_oauth', externalClientApplication: 'ren', commaSeparatedOauthScopes: 'Basic' },
      other_oauth: { fullName: 'other_oauth', externalClientApplication: 'other' },
    },
    ExtlClntAppOauthConfigurablePolicies: {
      SelfCallout_oauth_defaultPolicy: {
        fullName: 'SelfCallout_oauth_defaultPolicy',
        externalClientApplication: 'ren',
      },
      other_oauthPlcy: { fullName: 'other_oauthPlcy', externalClientApplication: 'other' },
    },
  };

  it('finds the app and its children by their externalClientApplication field, whatever their names', async () => {
    const { conn, list } = fakeConnection({ files, records });
    const existing = await readExistingApp(conn, 'ren', '66.0');
    expect(existing.app).to.deep.include({
      fullName: 'ren',
      id: '0xI000000000001AAA',
      record: { label: 'Ren', isProtected: false },
    });
    expect(existing.children.oauthSettings?.fullName).to.equal('ren_oauth');
    expect(existing.children.oauthPolicies?.fullName).to.equal('SelfCallout_oauth_defaultPolicy');
    expect(existing.children.globalOauth).to.equal(undefined);
    // five types, at most three per listMetadata call
    expect(list.callCount).to.equal(2);
  });

  it('reads nothing more when the org has no such app', async () => {
    const { conn, read } = fakeConnection({ files, records });
    const existing = await readExistingApp(conn, 'acme', '66.0');
    // The names it has come from the same listing, for "did you mean".
    expect(existing).to.deep.equal({ children: {}, others: ['ren', 'other'] });
    expect(read.callCount).to.equal(0);
  });

  it('reads at most ten names per readMetadata call', async () => {
    const many = Array.from({ length: 23 }, (_, i) => ({ type: 'ExtlClntAppConfigurablePolicies', fullName: `p${i}` }));
    const { conn, read } = fakeConnection({ files: [...files, ...many], records });
    await readExistingApp(conn, 'ren', '66.0');
    const policyReads = read.getCalls().filter((call) => call.args[0] === 'ExtlClntAppConfigurablePolicies');
    expect(policyReads.map((call) => (call.args[1] as string[]).length)).to.deep.equal([10, 10, 3]);
  });
});

describe('profile and permission set names', () => {
  it("uses the org's spelling and suggests close matches for unknown names", async () => {
    const { conn } = fakeConnection({
      queryRows: {
        'FROM Profile': [{ Name: 'System Administrator' }, { Name: 'Sales' }, { Name: 'Standard User' }],
        'FROM PermissionSet': [{ Name: 'Ren_Users' }],
      },
    });
    const resolved = await resolveAccessNames(conn, ['sales', 'Sails', 'Nobody At All'], ['Ren_Users']);
    expect(resolved.profiles).to.deep.equal(['Sales']);
    expect(resolved.permissionSets).to.deep.equal(['Ren_Users']);
    expect(resolved.unknown).to.deep.equal([
      { kind: 'profile', name: 'Sails', suggestions: ['Sales'] },
      { kind: 'profile', name: 'Nobody At All', suggestions: [] },
    ]);
  });

  it('ranks suggestions by closeness', () => {
    expect(closeMatches('Ren_User', ['Ren_Users', 'Sales_Ops', 'Ren_Admins'])).to.deep.equal(['Ren_Users']);
  });
});

describe('org preconditions for a user the org refuses', () => {
  it('reports missing permissions when the checks themselves are refused', async () => {
    const refused = Object.assign(new Error('INSUFFICIENT_ACCESS: use of the Metadata API requires ...'), {
      name: 'sf:INSUFFICIENT_ACCESS',
    });
    const { conn } = fakeConnection({ oauthOidc: refused, permissionRows: refused });
    const facts = await readOrgFacts(conn, { needsCodeCredentialsFlow: true });
    const failures = preconditionFailures(facts, {
      deployTypes: ['ExternalClientApplication'],
      needsCodeCredentialsFlow: true,
      username: 'admin@acme.com',
      target: 'acme',
    });
    expect(failures.map((f) => f.name)).to.deep.equal(['RenPermissionError']);
    // The log-in fix names the org as the user knows it, never a placeholder.
    expect(failures[0].actions?.join('\n')).to.include('sf org login web --alias acme').and.not.include('<alias>');
  });
});
