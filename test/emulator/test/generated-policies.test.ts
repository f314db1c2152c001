/**
 * The policy records Salesforce generates for an app that has none (metadata/defaultPolicies.ts): their names and
 * defaults, when they are (not) generated, one OAuth policy per app, and apps made by hand in Setup as seeds.
 */
import { expect } from 'chai';
import type { OrgSeed } from '../index.js';
import { deploy, failures } from './deployHelpers.js';
import { type Files, packageXml, renPackage } from './fixtures.js';
import { metadataCrud, useEmulator } from './helpers.js';

/** The Ren package without its two policy files (what an admin deploys who leaves the policies to Salesforce). */
function withoutPolicies(): Files {
  const files = renPackage();
  delete files['extlClntAppPolicies/ren_plcy.ecaPlcy'];
  delete files['extlClntAppOauthPolicies/ren_oauthPlcy.ecaOauthPlcy'];
  files['package.xml'] = packageXml({
    ExternalClientApplication: ['ren'],
    ExtlClntAppGlobalOauthSettings: ['ren_glbloauth'],
    ExtlClntAppOauthSettings: ['ren_oauth'],
  });
  return files;
}

const GENERATED_OAUTH_POLICIES = {
  externalClientApplication: 'ren',
  ipRelaxationPolicyType: 'Enforce',
  isClientCredentialsFlowEnabled: false,
  isGuestCodeCredFlowEnabled: false,
  isTokenExchangeFlowEnabled: false,
  label: 'ren_oauth_defaultPolicy',
  permittedUsersPolicyType: 'AllSelfAuthorized',
  refreshTokenPolicyType: 'SpecificLifetime',
  refreshTokenValidityPeriod: 365,
  refreshTokenValidityUnit: 'Days',
  requiredSessionLevel: 'STANDARD',
};

const GENERATED_APP_POLICIES = {
  externalClientApplication: 'ren',
  isEnabled: true,
  isOauthPluginEnabled: true,
  label: 'ren_defaultPolicy',
  startPage: 'None',
};

describe('emulator: policy records Salesforce generates', () => {
  const env = useEmulator();
  beforeEach(() => env.emulator.reset());

  const names = (type: string): string[] =>
    env.emulator.org
      .components(type)
      .map((c) => c.fullName)
      .sort();

  it("an app deployed without policy records gets them, with Salesforce's names and defaults", async () => {
    const result = await deploy(env.conn, withoutPolicies());
    expect(result.status, JSON.stringify(failures(result))).to.equal('Succeeded');
    // The deploy reports what it carried, not what Salesforce generated afterwards.
    expect(result.details.componentSuccesses.map((s) => s.fullName).sort()).to.deep.equal([
      'package.xml',
      'ren',
      'ren_glbloauth',
      'ren_oauth',
    ]);
    expect(
      env.emulator.org.getComponent('ExtlClntAppOauthConfigurablePolicies', 'ren_oauth_defaultPolicy')?.record,
    ).to.deep.equal(GENERATED_OAUTH_POLICIES);
    expect(env.emulator.org.getComponent('ExtlClntAppConfigurablePolicies', 'ren_defaultPolicy')?.record).to.deep.equal(
      GENERATED_APP_POLICIES,
    );

    const listed = await env.conn.metadata.list([
      { type: 'ExtlClntAppOauthConfigurablePolicies' },
      { type: 'ExtlClntAppConfigurablePolicies' },
    ]);
    expect(listed.map((p) => `${p.type}:${p.fullName}`).sort()).to.deep.equal([
      'ExtlClntAppConfigurablePolicies:ren_defaultPolicy',
      'ExtlClntAppOauthConfigurablePolicies:ren_oauth_defaultPolicy',
    ]);
    const read = await metadataCrud(env.conn).read('ExtlClntAppOauthConfigurablePolicies', 'ren_oauth_defaultPolicy');
    expect(read).to.include({
      permittedUsersPolicyType: 'AllSelfAuthorized',
      refreshTokenValidityPeriod: '365',
      refreshTokenValidityUnit: 'Days',
    });
  });

  it('a deploy that carries the policy records gets none generated', async () => {
    await deploy(env.conn, renPackage());
    expect(names('ExtlClntAppOauthConfigurablePolicies')).to.deep.equal(['ren_oauthPlcy']);
    expect(names('ExtlClntAppConfigurablePolicies')).to.deep.equal(['ren_plcy']);
  });

  it('a check-only deploy generates nothing', async () => {
    const result = await deploy(env.conn, withoutPolicies(), { checkOnly: true });
    expect(result.status).to.equal('Succeeded');
    expect(names('ExtlClntAppOauthConfigurablePolicies')).to.deep.equal([]);
    expect(names('ExtlClntAppConfigurablePolicies')).to.deep.equal([]);
  });

  it('an app without OAuth settings gets app policies with the OAuth plugin off, and no OAuth policies', async () => {
    const files = {
      'package.xml': packageXml({ ExternalClientApplication: ['ren'] }),
      'externalClientApps/ren.eca': renPackage()['externalClientApps/ren.eca'],
    };
    expect((await deploy(env.conn, files)).status).to.equal('Succeeded');
    expect(env.emulator.org.getComponent('ExtlClntAppConfigurablePolicies', 'ren_defaultPolicy')?.record).to.include({
      isOauthPluginEnabled: false,
    });
    expect(names('ExtlClntAppOauthConfigurablePolicies')).to.deep.equal([]);
  });

  it('one OAuth policy per app: a second one fails with DUPLICATE_VALUE on the generated record', async () => {
    await deploy(env.conn, withoutPolicies());
    const result = await deploy(env.conn, renPackage());
    expect(result.status).to.equal('Failed');
    expect(failures(result).find((f) => f.fullName === 'ren_oauthPlcy')).to.include({
      problem: 'ExtlClntAppOauthSettingsId duplicates value on ren_oauth_defaultPolicy',
    });
    expect(names('ExtlClntAppOauthConfigurablePolicies')).to.deep.equal(['ren_oauth_defaultPolicy']);

    const crud = await metadataCrud(env.conn).create('ExtlClntAppOauthConfigurablePolicies', {
      fullName: 'ren_oauthPlcy',
      externalClientApplication: 'ren',
      permittedUsersPolicyType: 'AdminApprovedPreAuthorized',
    });
    expect(crud.success).to.equal(false);
    expect((crud.errors as unknown as Array<Record<string, unknown>>)[0]).to.include({
      statusCode: 'DUPLICATE_VALUE',
      message: 'ExtlClntAppOauthSettingsId duplicates value on ren_oauth_defaultPolicy',
    });
  });

  it('updating the generated records in place works', async () => {
    await deploy(env.conn, withoutPolicies());
    const result = await metadataCrud(env.conn).upsert('ExtlClntAppOauthConfigurablePolicies', {
      fullName: 'ren_oauth_defaultPolicy',
      externalClientApplication: 'ren',
      permittedUsersPolicyType: 'AdminApprovedPreAuthorized',
      refreshTokenPolicyType: 'Infinite',
    });
    expect(result).to.include({ success: true, created: false });
    expect(names('ExtlClntAppOauthConfigurablePolicies')).to.deep.equal(['ren_oauth_defaultPolicy']);
  });

  it('an app made through CRUD calls gets its policy records after each call', async () => {
    const app = { fullName: 'solo', label: 'Solo', contactEmail: 'a@b.co', distributionState: 'Local' };
    expect((await metadataCrud(env.conn).create('ExternalClientApplication', app)).success).to.equal(true);
    expect(names('ExtlClntAppConfigurablePolicies')).to.deep.equal(['solo_defaultPolicy']);
    expect(names('ExtlClntAppOauthConfigurablePolicies')).to.deep.equal([]);
    const oauth = { fullName: 'solo_oauth', externalClientApplication: 'solo', commaSeparatedOauthScopes: 'Api' };
    expect((await metadataCrud(env.conn).create('ExtlClntAppOauthSettings', oauth)).success).to.equal(true);
    expect(names('ExtlClntAppOauthConfigurablePolicies')).to.deep.equal(['solo_oauth_defaultPolicy']);
  });

  describe('apps made by hand in Setup, as seeds', () => {
    const seed: OrgSeed = {
      setupApps: [{ apiName: 'ren', label: 'Ren', scopes: 'Api', fields: { globalOauth: { isDPopEnabled: true } } }],
    };

    it("hold Setup's records and Salesforce's generated policies", () => {
      env.emulator.reset(seed);
      const org = env.emulator.org;
      expect(org.getComponent('ExternalClientApplication', 'ren')?.record).to.include({
        label: 'Ren',
        distributionState: 'Local',
      });
      expect(org.getComponent('ExtlClntAppOauthSettings', 'ren_oauth')?.record).to.include({
        commaSeparatedOauthScopes: 'Api',
      });
      expect(org.getComponent('ExtlClntAppGlobalOauthSettings', 'ren_glbloauth')?.record).to.include({
        isPkceRequired: true,
        isCodeCredFlowEnabled: false,
        isDPopEnabled: true,
        isEnforceRefreshTokenTTL: false,
      });
      expect(org.consumerForApp('ren')?.key).to.match(/^3MVG9/);
      expect(org.getComponent('ExtlClntAppOauthConfigurablePolicies', 'ren_oauth_defaultPolicy')?.record).to.deep.equal(
        GENERATED_OAUTH_POLICIES,
      );
      expect(org.getComponent('ExtlClntAppConfigurablePolicies', 'ren_defaultPolicy')?.record).to.deep.equal(
        GENERATED_APP_POLICIES,
      );
    });

    it('seeded apps with policy records keep them', () => {
      env.emulator.reset({
        metadata: {
          ExternalClientApplication: { ren: { label: 'Ren', contactEmail: 'a@b.co' } },
          ExtlClntAppConfigurablePolicies: { ren_plcy: { externalClientApplication: 'ren', isEnabled: true } },
        },
      });
      expect(names('ExtlClntAppConfigurablePolicies')).to.deep.equal(['ren_plcy']);
    });
  });
});
