/*
 * End to end: `sf ren app preauthorize` through the real sf, against the emulator. One emulator and one sf
 * login for the file; each test starts from an org that has Ren's app as `sf ren app create` leaves it, or
 * from the state it seeds.
 */
import { expect } from 'chai';
import { startSfSession, type SfSession } from './harness.js';

type Preauthorization = {
  permittedUsers: string;
  profiles: string[];
  permissionSets: string[];
  refreshTokenPolicy: string;
  refreshTokenValidityPeriod?: number;
  refreshTokenValidityUnit?: string;
  ipRelaxation: string;
};
type PreauthorizeJson = {
  status: number;
  name?: string;
  message?: string;
  actions?: string[];
  warnings?: string[];
  result?: Preauthorization & {
    app: string;
    status: string;
    before: Preauthorization;
    changes: Array<{ field: string; before?: unknown; after?: unknown }>;
    deployId?: string;
    dryRun: boolean;
  };
};

const POLICY = 'ExtlClntAppOauthConfigurablePolicies';

describe('sf ren app preauthorize (end to end, real sf + emulator)', function () {
  this.timeout(180_000);
  let session: SfSession;

  const preauthorize = async (...args: string[]) => {
    const run = await session.sf(['ren', 'app', 'preauthorize', '--target-org', session.alias, '--json', ...args]);
    return { ...run, body: run.json as PreauthorizeJson };
  };
  const policy = (fullName = 'ren_oauthPlcy') => session.emulator.org.getComponent(POLICY, fullName)?.record;
  const deploys = () => session.emulator.org.deploys.size;
  const policyRecords = () => [...(session.emulator.org.metadata.get(POLICY)?.values() ?? [])];

  before(async () => {
    session = await startSfSession({ linkPlugin: true });
  });
  beforeEach(async () => {
    session.emulator.faults.clear();
    session.emulator.reset();
    const created = await session.sf(['ren', 'app', 'create', '--target-org', session.alias, '--json']);
    expect(created.code, created.stdout).to.equal(0);
  });
  after(async () => {
    await session?.close();
  });

  it("pre-authorizes a profile, keeping every other policy as Ren's guide set it, with a before/after summary", async () => {
    const human = await session.sf(['ren', 'app', 'preauthorize', '--target-org', session.alias, '--profile', 'Sales']);
    expect(human.code, human.stderr).to.equal(0);
    expect(human.stdout).to.include('Updated the OAuth policies of External Client App ren');
    expect(human.stdout).to.match(/Profiles\s+│?\s*—\s+│?\s*Sales/);
    expect(policy()).to.deep.include({
      commaSeparatedProfile: 'Sales',
      permittedUsersPolicyType: 'AdminApprovedPreAuthorized',
      refreshTokenPolicyType: 'Infinite',
      ipRelaxationPolicyType: 'Enforce',
      externalClientApplication: 'ren',
    });
    // Only the OAuth policies were deployed.
    const deploy = [...session.emulator.org.deploys.values()].pop()!;
    expect(deploy.components.map((c) => c.type)).to.deep.equal([POLICY]);
  });

  it('reports unchanged on a re-run and deploys nothing', async () => {
    expect((await preauthorize('--profile', 'Sales')).code).to.equal(0);
    const before = deploys();
    const { code, body } = await preauthorize('--profile', 'sales');
    expect(code).to.equal(0);
    expect(body.result).to.deep.include({ status: 'unchanged', profiles: ['Sales'], changes: [] });
    expect(deploys()).to.equal(before);
  });

  it('adds to the lists, takes a name off with --remove, and sets them exactly with --replace', async () => {
    await preauthorize('--profile', 'Sales');
    const added = await preauthorize('--permission-set', 'Ren_Users', '--profile', 'System Administrator');
    expect(added.body.result).to.deep.include({
      profiles: ['Sales', 'System Administrator'],
      permissionSets: ['Ren_Users'],
    });
    expect(added.body.result?.before).to.deep.include({ profiles: ['Sales'], permissionSets: [] });
    expect(policy()).to.include({
      commaSeparatedProfile: 'Sales, System Administrator',
      commaSeparatedPermissionSet: 'Ren_Users',
    });

    const removed = await preauthorize('--remove', 'sales');
    expect(removed.code).to.equal(0);
    expect(removed.body.result).to.deep.include({
      status: 'updated',
      profiles: ['System Administrator'],
      permissionSets: ['Ren_Users'],
    });

    const replaced = await preauthorize('--replace', '--profile', 'Standard User');
    expect(replaced.body.result).to.deep.include({ profiles: ['Standard User'], permissionSets: [] });
    expect(policy()?.commaSeparatedProfile).to.equal('Standard User');
    expect(policy()).not.to.have.property('commaSeparatedPermissionSet');
  });

  it('warns and changes nothing when --remove names something the app does not pre-authorize', async () => {
    const before = deploys();
    const { code, body } = await preauthorize('--remove', 'Standard User');
    expect(code).to.equal(0);
    expect(body.result?.status).to.equal('unchanged');
    expect(body.warnings?.join(' ')).to.include('"Standard User" is not pre-authorized');
    expect(deploys()).to.equal(before);
  });

  it('refuses --replace without names, and changes nothing', async () => {
    await preauthorize('--profile', 'Sales');
    const requests = session.emulator.requests.length;
    const { code, body } = await preauthorize('--replace');
    expect(code).to.not.equal(0);
    expect(body.name).to.equal('RenReplaceWithoutNamesError');
    // Refused before the org is contacted.
    expect(session.emulator.requests.length).to.equal(requests);
    expect(policy()?.commaSeparatedProfile).to.equal('Sales');
  });

  it('names close matches for an unknown name, in --profile, --permission-set and --remove, and changes nothing', async () => {
    const before = deploys();
    const { code, body } = await preauthorize(
      '--profile',
      'Sals',
      '--permission-set',
      'Ren_User',
      '--remove',
      'Sales_Op',
    );
    expect(code).to.not.equal(0);
    expect(body.name).to.equal('RenUnknownNameError');
    expect(body.message).to.include('profile "Sals" (did you mean "Sales"?)');
    expect(body.message).to.include('permission set "Ren_User" (did you mean "Ren_Users"?)');
    expect(body.message).to.include('profile or permission set "Sales_Op"');
    expect(deploys()).to.equal(before);
  });

  it('sets the token policies, keeping what is not given', async () => {
    const { code, body } = await preauthorize(
      '--refresh-token-policy',
      'specific-inactivity',
      '--refresh-token-validity',
      '90',
      '--refresh-token-unit',
      'days',
      '--ip-relaxation',
      'bypass',
    );
    expect(code, JSON.stringify(body)).to.equal(0);
    expect(body.result).to.deep.include({
      permittedUsers: 'AdminApprovedPreAuthorized',
      refreshTokenPolicy: 'SpecificInactivity',
      refreshTokenValidityPeriod: 90,
      refreshTokenValidityUnit: 'Days',
      ipRelaxation: 'Bypass',
    });
    expect(policy()).to.deep.include({
      refreshTokenPolicyType: 'SpecificInactivity',
      refreshTokenValidityPeriod: 90,
      refreshTokenValidityUnit: 'Days',
      ipRelaxationPolicyType: 'Bypass',
      permittedUsersPolicyType: 'AdminApprovedPreAuthorized',
    });
    // Back to "valid until revoked": the period and unit go with the specific policy.
    const back = await preauthorize('--refresh-token-policy', 'infinite');
    expect(back.body.result?.refreshTokenPolicy).to.equal('Infinite');
    expect(policy())
      .to.include({ refreshTokenPolicyType: 'Infinite' })
      .and.not.have.property('refreshTokenValidityPeriod');
  });

  it('refuses a specific refresh token policy without its period, and a bad enum value, changing nothing', async () => {
    const before = deploys();
    const missing = await preauthorize('--refresh-token-policy', 'specific-lifetime');
    expect(missing.code).to.not.equal(0);
    expect(missing.body.name).to.equal('RenInvalidDefinitionError');
    expect(missing.body.message).to.include('refreshTokenValidityPeriod');
    const badEnum = await preauthorize('--permitted-users', 'everyone');
    expect(badEnum.code).to.not.equal(0);
    expect(badEnum.stderr + badEnum.stdout).to.match(
      /Expected --permitted-users=everyone to be one of: admin-approved, all-self-authorized/,
    );
    expect(deploys()).to.equal(before);
  });

  it('warns that the lists have no effect while everyone may self-authorize', async () => {
    const { code, body } = await preauthorize('--permitted-users', 'all-self-authorized', '--profile', 'Sales');
    expect(code).to.equal(0);
    expect(body.warnings?.join(' ')).to.include('have no effect');
    expect(policy()).to.include({ permittedUsersPolicyType: 'AllSelfAuthorized', commaSeparatedProfile: 'Sales' });
  });

  it('checks the deploy with --dry-run and changes nothing', async () => {
    const { code, body } = await preauthorize('--profile', 'Sales', '--dry-run');
    expect(code).to.equal(0);
    expect(body.result).to.deep.include({ status: 'updated', dryRun: true, profiles: ['Sales'] });
    expect([...session.emulator.org.deploys.values()].pop()!.options.checkOnly).to.equal(true);
    expect(policy()).not.to.have.property('commaSeparatedProfile');
  });

  it('points to sf ren app create when the app does not exist', async () => {
    session.emulator.reset();
    const { code, body } = await preauthorize('--app', 'acme', '--profile', 'Sales');
    expect(code).to.not.equal(0);
    expect(body.name).to.equal('RenAppNotFoundError');
    expect(body.actions?.join(' ')).to.include(`sf ren app create --target-org ${session.alias} --app acme`);
    expect(deploys()).to.equal(0);
  });

  it('updates the policy record of an app made in Setup, found by its parent under the name Salesforce gave it', async () => {
    session.emulator.reset({
      metadata: {
        ExternalClientApplication: {
          ren: {
            label: 'Ren',
            contactEmail: 'support@rensystems.com',
            distributionState: 'Local',
            isProtected: 'false',
          },
        },
        ExtlClntAppOauthSettings: {
          ren_oauth: {
            externalClientApplication: 'ren',
            commaSeparatedOauthScopes: 'Basic, Api, RefreshToken',
            label: 'ren_oauth',
          },
        },
        [POLICY]: {
          ren_oauth_defaultPolicy: {
            externalClientApplication: 'ren',
            label: 'ren_oauth_defaultPolicy',
            permittedUsersPolicyType: 'AllSelfAuthorized',
            refreshTokenPolicyType: 'SpecificLifetime',
            refreshTokenValidityPeriod: '365',
            refreshTokenValidityUnit: 'Days',
            ipRelaxationPolicyType: 'Enforce',
          },
        },
      },
    });
    const { code, body } = await preauthorize(
      '--permitted-users',
      'admin-approved',
      '--refresh-token-policy',
      'infinite',
      '--profile',
      'Sales',
    );
    expect(code, JSON.stringify(body)).to.equal(0);
    expect(body.result?.before).to.deep.include({
      permittedUsers: 'AllSelfAuthorized',
      refreshTokenPolicy: 'SpecificLifetime',
      refreshTokenValidityPeriod: 365,
    });
    expect(policy('ren_oauth_defaultPolicy')).to.deep.include({
      permittedUsersPolicyType: 'AdminApprovedPreAuthorized',
      refreshTokenPolicyType: 'Infinite',
      commaSeparatedProfile: 'Sales',
    });
    expect(policy('ren_oauth_defaultPolicy')).not.to.have.property('refreshTokenValidityPeriod');
    // Never a second policy record for the app.
    expect(policyRecords()).to.have.length(1);
  });
});
