/*
 * End to end, `sf ren app create` against orgs as they really are (the real `sf` with this plugin linked, the
 * emulator behind it): an app made by hand in Setup with Salesforce's generated policy records, a user without the
 * External Client App permissions, an org whose Authorization Code and Credentials Flow switch is off, scope aliases,
 * and fields the org returns that the plugin does not know. One emulator and one sf login for the file; each test
 * resets the org to the state it needs.
 */
import { expect } from 'chai';
import type { OrgSeed } from '../emulator/index.js';
import { startSfSession, type SfSession } from './harness.js';

type Change = { type: string; fullName: string; field: string; before?: unknown; after?: unknown };
type CreateJson = {
  status: number;
  name?: string;
  message?: string;
  actions?: string[];
  result?: { apiName: string; status: string; changes: Change[]; deployId?: string; dryRun: boolean };
};

const CALLBACK = 'https://app.rensystems.com/api/salesforce/auth_callback';
const SETTINGS_FILE = 'settings/OauthOidc.settings';

/** Ren's app as an admin made it by hand in Setup: Salesforce generated its policy records. */
const setupMade = (globalOauth: Record<string, boolean> = {}): OrgSeed => ({
  setupApps: [
    {
      apiName: 'ren',
      label: 'Ren',
      contactEmail: 'support@rensystems.com',
      callbackUrl: CALLBACK,
      scopes: 'Api',
      fields: { globalOauth },
    },
  ],
});

/** Element names of an XML file, in order (the root excluded). */
const elementNames = (xml: string): string[] => [...xml.matchAll(/^ {4}<(\w+)>/gm)].map((m) => m[1]);

describe('sf ren app create on real-world orgs (end to end, real sf + emulator)', function () {
  this.timeout(180_000);
  let session: SfSession;

  const org = () => session.emulator.org;
  const names = (type: string): string[] =>
    org()
      .components(type)
      .map((c) => c.fullName)
      .sort();
  const deploys = () => [...org().deploys.values()];
  const create = async (...args: string[]) => {
    const run = await session.sf(['ren', 'app', 'create', '--target-org', session.alias, '--json', ...args]);
    return { code: run.code, body: run.json as CreateJson, stderr: run.stderr };
  };

  before(async () => {
    session = await startSfSession({ linkPlugin: true });
  });
  after(async () => {
    await session?.close();
  });

  describe('an app made by hand in Setup', () => {
    it('is brought to the guide in place: updated, the changed fields listed, no second policy record', async () => {
      session.emulator.reset(setupMade());
      expect(names('ExtlClntAppOauthConfigurablePolicies')).to.deep.equal(['ren_oauth_defaultPolicy']);

      const { code, body, stderr } = await create('--profile', 'Sales');
      expect(code, stderr + JSON.stringify(body)).to.equal(0);
      expect(body.result?.status).to.equal('updated');
      const changes = body.result?.changes ?? [];
      const policyChanges = changes.filter((c) => c.type === 'ExtlClntAppOauthConfigurablePolicies');
      expect(policyChanges).to.deep.equal([
        {
          type: 'ExtlClntAppOauthConfigurablePolicies',
          fullName: 'ren_oauth_defaultPolicy',
          field: 'commaSeparatedProfile',
          after: 'Sales',
        },
        {
          type: 'ExtlClntAppOauthConfigurablePolicies',
          fullName: 'ren_oauth_defaultPolicy',
          field: 'permittedUsersPolicyType',
          before: 'AllSelfAuthorized',
          after: 'AdminApprovedPreAuthorized',
        },
        {
          type: 'ExtlClntAppOauthConfigurablePolicies',
          fullName: 'ren_oauth_defaultPolicy',
          field: 'refreshTokenPolicyType',
          before: 'SpecificLifetime',
          after: 'Infinite',
        },
        {
          type: 'ExtlClntAppOauthConfigurablePolicies',
          fullName: 'ren_oauth_defaultPolicy',
          field: 'refreshTokenValidityPeriod',
          before: 365,
        },
        {
          type: 'ExtlClntAppOauthConfigurablePolicies',
          fullName: 'ren_oauth_defaultPolicy',
          field: 'refreshTokenValidityUnit',
          before: 'Days',
        },
      ]);
      expect(changes).to.deep.include({
        type: 'ExtlClntAppOauthSettings',
        fullName: 'ren_oauth',
        field: 'commaSeparatedOauthScopes',
        before: 'Api',
        after: 'Basic, Api, RefreshToken',
      });
      expect(changes).to.deep.include({
        type: 'ExtlClntAppGlobalOauthSettings',
        fullName: 'ren_glbloauth',
        field: 'isCodeCredFlowEnabled',
        before: false,
        after: true,
      });
      // The generated app policies already match the guide (enabled, OAuth on, start page None): not sent.
      expect(changes.filter((c) => c.type === 'ExtlClntAppConfigurablePolicies')).to.deep.equal([]);
      expect(
        deploys()
          .pop()
          ?.components.map((c) => c.fullName)
          .sort(),
      ).to.deep.equal(['ren', 'ren_glbloauth', 'ren_oauth', 'ren_oauth_defaultPolicy']);

      // Updated in place: still one record of each policy type, under Salesforce's names.
      expect(names('ExtlClntAppOauthConfigurablePolicies')).to.deep.equal(['ren_oauth_defaultPolicy']);
      expect(names('ExtlClntAppConfigurablePolicies')).to.deep.equal(['ren_defaultPolicy']);
      const policies = org().getComponent('ExtlClntAppOauthConfigurablePolicies', 'ren_oauth_defaultPolicy')?.record;
      expect(policies).to.deep.include({
        permittedUsersPolicyType: 'AdminApprovedPreAuthorized',
        refreshTokenPolicyType: 'Infinite',
        commaSeparatedProfile: 'Sales',
      });
      expect(policies).to.not.have.property('refreshTokenValidityPeriod');
      // Fields the plugin does not manage keep the org's values.
      expect(policies).to.deep.include({ requiredSessionLevel: 'STANDARD', isTokenExchangeFlowEnabled: false });
    });

    it('a re-run is unchanged and deploys nothing', async () => {
      const before = deploys().length;
      const { code, body } = await create('--profile', 'Sales');
      expect(code).to.equal(0);
      expect(body.result).to.deep.include({ status: 'unchanged', changes: [] });
      expect(deploys().length).to.equal(before);
    });

    it('keeps fields the org returns that the plugin does not know, in their order and with their values', async () => {
      session.emulator.reset(setupMade({ isDPopEnabled: true, isEnforceRefreshTokenTTL: true }));
      const key = org().getComponent('ExtlClntAppGlobalOauthSettings', 'ren_glbloauth')?.record.consumerKey;
      const { code, body } = await create('--callback-url', 'https://app.rensystems.com/api/salesforce/callback2');
      expect(code, JSON.stringify(body)).to.equal(0);
      expect(body.result?.status).to.equal('updated');
      expect(body.result?.changes.map((c) => c.field)).to.not.include('isDPopEnabled');

      const sent = deploys().pop()?.files['extlClntAppGlobalOauthSets/ren_glbloauth.ecaGlblOauth'] ?? '';
      expect(sent)
        .to.include('<isDPopEnabled>true</isDPopEnabled>')
        .and.include('<isEnforceRefreshTokenTTL>true</isEnforceRefreshTokenTTL>');
      // The org's own consumer key goes with the redeploy (so it cannot be taken for a request of a new one); never
      // the secret.
      expect(key).to.be.a('string');
      expect(sent)
        .to.include(`<consumerKey>${String(key)}</consumerKey>`)
        .and.not.include('consumerSecret');
      expect(org().getComponent('ExtlClntAppGlobalOauthSettings', 'ren_glbloauth')?.record.consumerKey).to.equal(key);
      // The org lists fields alphabetically; the plugin sends them in the order it read them, unknown ones included.
      const sentOrder = elementNames(sent);
      expect(sentOrder).to.include('isDPopEnabled');
      expect(sentOrder).to.deep.equal([...sentOrder].sort((a, b) => a.localeCompare(b)));
      expect(org().getComponent('ExtlClntAppGlobalOauthSettings', 'ren_glbloauth')?.record).to.deep.include({
        isDPopEnabled: true,
        isEnforceRefreshTokenTTL: true,
        callbackUrl: 'https://app.rensystems.com/api/salesforce/callback2',
      });
    });
  });

  it('names each missing External Client App permission and deploys nothing', async () => {
    // The logged-in user may deploy metadata, but holds neither External Client App permission.
    session.emulator.reset({
      permissionSets: [
        { Name: 'Deployer', permissions: { PermissionsApiEnabled: true, PermissionsModifyMetadata: true } },
      ],
      users: [
        { Username: session.username, LastName: 'Deployer', profile: 'Standard User', permissionSets: ['Deployer'] },
      ],
    });
    const { code, body } = await create();
    expect(code).to.not.equal(0);
    expect(body.name).to.equal('RenPermissionError');
    expect(body.message)
      .to.include(session.username)
      .and.include('"Create, edit, and delete External Client Apps" (ExternalClientAppDeveloper)')
      .and.include(
        '"View all External Client Apps, view their settings, and edit their policies" (ExternalClientAppAdmin)',
      )
      .and.not.include('Modify Metadata');
    expect(deploys()).to.deep.equal([]);
    expect(names('ExternalClientApplication')).to.deep.equal([]);
  });

  describe('an org whose "Allow Authorization Code and Credentials Flows" is off', () => {
    before(() => session.emulator.reset({ settings: { OauthOidcSettings: { oAuthCdCrdtFlowEnable: false } } }));
    const flowSwitch = () => org().settings.OauthOidcSettings.oAuthCdCrdtFlowEnable;
    const SETTING_CHANGE = {
      type: 'OauthOidcSettings',
      fullName: 'OauthOidc',
      field: 'oAuthCdCrdtFlowEnable',
      before: false,
      after: true,
    };

    it('without the flag: an error naming --allow-code-credentials-flows and the Setup page, nothing deployed', async () => {
      const { code, body } = await create();
      expect(code).to.not.equal(0);
      expect(body.name).to.equal('RenOrgSettingError');
      const text = [body.message, ...(body.actions ?? [])].join('\n');
      expect(text)
        .to.include('--allow-code-credentials-flows')
        .and.include('OAuth and OpenID Connect Settings')
        .and.include('Allow Authorization Code and Credentials Flows');
      expect(deploys()).to.deep.equal([]);
    });

    it('--dry-run --allow-code-credentials-flows lists the setting change and changes nothing', async () => {
      const { code, body } = await create('--dry-run', '--allow-code-credentials-flows');
      expect(code, JSON.stringify(body)).to.equal(0);
      expect(body.result).to.deep.include({ status: 'created', dryRun: true });
      expect(body.result?.changes).to.deep.include(SETTING_CHANGE);
      // The switch is validated in a deploy of its own, then the app; both check-only.
      const [settings, app] = deploys().slice(-2);
      expect(Object.keys(settings?.files ?? {})).to.deep.equal([SETTINGS_FILE]);
      expect(Object.keys(app?.files ?? {})).to.not.include(SETTINGS_FILE);
      expect([settings, app].every((d) => d?.options.checkOnly)).to.equal(true);
      expect(flowSwitch()).to.equal(false);
      expect(names('ExternalClientApplication')).to.deep.equal([]);
    });

    it('with the flag: the setting is on afterwards, listed with the changes, other OAuth settings untouched', async () => {
      const { code, body } = await create('--allow-code-credentials-flows');
      expect(code, JSON.stringify(body)).to.equal(0);
      expect(body.result).to.deep.include({ status: 'created', dryRun: false });
      expect(body.result?.changes).to.deep.include(SETTING_CHANGE);
      // The switch goes first, alone, and is read back before the app is deployed.
      const [settings, app] = deploys().slice(-2);
      expect(Object.keys(settings?.files ?? {})).to.deep.equal([SETTINGS_FILE]);
      expect(Object.keys(app?.files ?? {})).to.not.include(SETTINGS_FILE);
      expect(elementNames(settings?.files[SETTINGS_FILE] ?? '')).to.deep.equal(['oAuthCdCrdtFlowEnable']);
      expect(flowSwitch()).to.equal(true);
      expect(org().settings.OauthOidcSettings).to.include({ blockOAuthUnPwFlow: true, blockOAuthUsrAgtFlow: true });
      expect(
        org().getComponent('ExtlClntAppGlobalOauthSettings', 'ren_glbloauth')?.record.isCodeCredFlowEnabled,
      ).to.equal(true);
    });

    it('a re-run is unchanged', async () => {
      const before = deploys().length;
      const { code, body } = await create('--allow-code-credentials-flows');
      expect(code).to.equal(0);
      expect(body.result).to.deep.include({ status: 'unchanged', changes: [] });
      expect(deploys().length).to.equal(before);
    });
  });

  it('scope aliases (--scopes Profile,Email,Api,OfflineAccess) are compared as the org stores them: a re-run is unchanged', async () => {
    session.emulator.reset();
    const first = await create('--scopes', 'Profile,Email,Api,OfflineAccess');
    expect(first.code, JSON.stringify(first.body)).to.equal(0);
    expect(first.body.result?.status).to.equal('created');
    expect(org().getComponent('ExtlClntAppOauthSettings', 'ren_oauth')?.record.commaSeparatedOauthScopes).to.equal(
      'Basic, Api, RefreshToken',
    );
    const before = deploys().length;
    const again = await create('--scopes', 'Profile,Email,Api,OfflineAccess');
    expect(again.code).to.equal(0);
    expect(again.body.result).to.deep.include({ status: 'unchanged', changes: [] });
    expect(deploys().length).to.equal(before);
  });
});
