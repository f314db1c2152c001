/**
 * What real orgs do that the Metadata API reference does not say (docs/salesforce.md, public evidence): deprecated and
 * unlisted fields, the scope vocabulary and how scopes are stored, the global OAuth settings' need for OAuth settings,
 * and settings deployed together with an app.
 */
import { expect } from 'chai';
import { deploy, ecaComponentCount, expectFailureOf, failures } from './deployHelpers.js';
import { packageXml, renPackage, renRedeploy, settingsFile, type Files } from './fixtures.js';
import { metadataCrud, useEmulator } from './helpers.js';

const REN_MEMBERS = {
  ExternalClientApplication: ['ren'],
  ExtlClntAppGlobalOauthSettings: ['ren_glbloauth'],
  ExtlClntAppOauthSettings: ['ren_oauth'],
  ExtlClntAppConfigurablePolicies: ['ren_plcy'],
  ExtlClntAppOauthConfigurablePolicies: ['ren_oauthPlcy'],
};

/** The Ren package plus an OauthOidc settings file. */
function withFlowSetting(
  files: Files,
  fields: Record<string, string>,
  members: Record<string, string[]> = REN_MEMBERS,
): Files {
  return {
    ...files,
    'package.xml': packageXml({ ...members, Settings: ['OauthOidc'] }),
    'settings/OauthOidc.settings': settingsFile('OauthOidcSettings', fields),
  };
}

describe('emulator: real-org fidelity', () => {
  const env = useEmulator();
  beforeEach(() => env.emulator.reset());
  const expectFailure = expectFailureOf(env);

  describe('fields', () => {
    it('OAuth policies carrying isNamedUserJwtEnabled fail to deploy at API 64 and later', async () => {
      await expectFailure(renPackage({ oauthPolicies: { isNamedUserJwtEnabled: 'true' } }), {
        type: 'ExtlClntAppOauthConfigurablePolicies',
        fullName: 'ren_oauthPlcy',
        problem:
          'Error parsing file: Element {http://soap.sforce.com/2006/04/metadata}isNamedUserJwtEnabled invalid at this location in type ExtlClntAppOauthConfigurablePolicies',
      });
      const v66 = await deploy(
        env.conn,
        renPackage({ version: '66.0', oauthPolicies: { isNamedUserJwtEnabled: 'false' } }),
      );
      expect(v66.status).to.equal('Failed');
    });

    it('isNamedUserJwtEnabled in OAuth policies is still accepted at API 61 to 63', async () => {
      const files = renPackage({
        version: '63.0',
        oauthPolicies: { commaSeparatedProfile: undefined, isNamedUserJwtEnabled: 'true' },
      });
      const result = await deploy(env.conn, files);
      expect(result.status, JSON.stringify(failures(result))).to.equal('Succeeded');
    });

    it('global OAuth fields real retrieves return but the reference does not list are accepted and read back', async () => {
      const files = renPackage({ global: { isDPopEnabled: 'true', isEnforceRefreshTokenTTL: 'false' } });
      const result = await deploy(env.conn, files);
      expect(result.status, JSON.stringify(failures(result))).to.equal('Succeeded');
      const read = await metadataCrud(env.conn).read('ExtlClntAppGlobalOauthSettings', 'ren_glbloauth');
      expect(read).to.include({ isDPopEnabled: 'true', isEnforceRefreshTokenTTL: 'false' });
    });

    it("idTokenValidityInMinutes of 0 is accepted (the reference's own sample)", async () => {
      const idToken = '<idTokenAudience>ren</idTokenAudience><idTokenValidityInMinutes>0</idTokenValidityInMinutes>';
      const result = await deploy(env.conn, renPackage({ global: { idTokenConfig: idToken } }));
      expect(result.status, JSON.stringify(failures(result))).to.equal('Succeeded');
      expect(
        env.emulator.org.getComponent('ExtlClntAppGlobalOauthSettings', 'ren_glbloauth')?.record.idTokenConfig,
      ).to.deep.equal({
        idTokenAudience: 'ren',
        idTokenValidityInMinutes: 0,
      });
      await expectFailure(
        renPackage({ global: { idTokenConfig: '<idTokenValidityInMinutes>721</idTokenValidityInMinutes>' } }),
        {
          type: 'ExtlClntAppGlobalOauthSettings',
          fullName: 'ren_glbloauth',
          problem: /idTokenValidityInMinutes - value out of range: 721/,
        },
      );
    });
  });

  describe('OAuth scopes', () => {
    it('an unknown scope name is refused with the list of valid ones', async () => {
      const result = await expectFailure(
        renPackage({ oauth: { commaSeparatedOauthScopes: 'Api, McpApi, refresh_token' } }),
        {
          type: 'ExtlClntAppOauthSettings',
          fullName: 'ren_oauth',
          problem:
            /invalid OAuth scope: McpApi, refresh_token\. Valid values are: Basic, OfflineAccess, DataCloudUserClaims, .*, Api, MCP, CDPQuery$/,
        },
      );
      expect(failures(result)[0].problem).to.not.include('Valid values are: Api,');
    });

    it('the org stores aliases folded: Profile/Email/Address/Phone as Basic, OfflineAccess as RefreshToken', async () => {
      const result = await deploy(
        env.conn,
        renPackage({ oauth: { commaSeparatedOauthScopes: 'Profile, Email, Api, OfflineAccess, Address, Phone' } }),
      );
      expect(result.status).to.equal('Succeeded');
      expect(
        env.emulator.org.getComponent('ExtlClntAppOauthSettings', 'ren_oauth')?.record.commaSeparatedOauthScopes,
      ).to.equal('Basic, Api, RefreshToken');
      const read = await metadataCrud(env.conn).read('ExtlClntAppOauthSettings', 'ren_oauth');
      expect(read.commaSeparatedOauthScopes).to.equal('Basic, Api, RefreshToken');
      // Redeploying the aliases changes nothing; a list with nothing to fold is stored as sent.
      const again = await deploy(
        env.conn,
        renRedeploy({ oauth: { commaSeparatedOauthScopes: 'Profile, Email, Api, OfflineAccess' } }),
      );
      expect(again.details.componentSuccesses.find((s) => s.fullName === 'ren_oauth')).to.include({ changed: false });
      await deploy(env.conn, renRedeploy({ oauth: { commaSeparatedOauthScopes: 'Web,RefreshToken' } }));
      expect(
        env.emulator.org.getComponent('ExtlClntAppOauthSettings', 'ren_oauth')?.record.commaSeparatedOauthScopes,
      ).to.equal('Web,RefreshToken');
    });
  });

  describe('global OAuth settings', () => {
    it('are refused on create for an app without OAuth settings', async () => {
      const files = renPackage();
      delete files['extlClntAppOauthSettings/ren_oauth.ecaOauth'];
      files['package.xml'] = packageXml({ ...REN_MEMBERS, ExtlClntAppOauthSettings: [] });
      await expectFailure(files, {
        type: 'ExtlClntAppGlobalOauthSettings',
        fullName: 'ren_glbloauth',
        problem:
          "The external client app configured in your global OAuth Settings doesn't have a valid OAuth settings configuration.",
      });
    });

    it('are accepted alone for an app whose OAuth settings are already in the org', async () => {
      await deploy(env.conn, renPackage());
      const files = {
        'package.xml': packageXml({ ExtlClntAppGlobalOauthSettings: ['ren_glbloauth'] }),
        'extlClntAppGlobalOauthSets/ren_glbloauth.ecaGlblOauth': renPackage({
          global: { callbackUrl: 'https://x.example/cb' },
        })['extlClntAppGlobalOauthSets/ren_glbloauth.ecaGlblOauth'],
      };
      expect((await deploy(env.conn, files)).status).to.equal('Succeeded');
    });
  });

  describe('org settings deployed with an app', () => {
    beforeEach(() =>
      env.emulator.reset({
        settings: { OauthOidcSettings: { oAuthCdCrdtFlowEnable: false, blockOAuthUnPwFlow: true } },
      }),
    );

    it('a settings deploy changes only the fields it carries', async () => {
      const files = {
        'package.xml': packageXml({ Settings: ['OauthOidc'] }),
        'settings/OauthOidc.settings': settingsFile('OauthOidcSettings', { isPkceRequired: 'true' }),
      };
      expect((await deploy(env.conn, files)).status).to.equal('Succeeded');
      expect(env.emulator.org.settings.OauthOidcSettings).to.include({
        isPkceRequired: true,
        oAuthCdCrdtFlowEnable: false,
        blockOAuthUnPwFlow: true,
      });
    });

    it('turning the flow switch on together with an app that needs it succeeds (settings apply first)', async () => {
      const files = withFlowSetting(renPackage(), { blockOAuthUnPwFlow: 'true', oAuthCdCrdtFlowEnable: 'true' });
      const result = await deploy(env.conn, files);
      expect(result.status, JSON.stringify(failures(result))).to.equal('Succeeded');
      // Components apply in the order of the deploy's plan, settings first.
      expect(Object.keys(env.emulator.org.deploys.get(result.id)?.files ?? {})[0]).to.equal(
        'settings/OauthOidc.settings',
      );
      expect(env.emulator.org.settings.OauthOidcSettings).to.include({
        oAuthCdCrdtFlowEnable: true,
        blockOAuthUnPwFlow: true,
      });
    });

    it('a settings file that leaves the switch out does not turn it on', async () => {
      await expectFailure(withFlowSetting(renPackage(), { isPkceRequired: 'true' }), {
        type: 'ExtlClntAppGlobalOauthSettings',
        fullName: 'ren_glbloauth',
        problem: /Authorization Code and Credentials Flow/,
      });
    });

    it('a settings file that leaves the switch out keeps it on where the org has it on', async () => {
      env.emulator.reset();
      const result = await deploy(env.conn, withFlowSetting(renPackage(), { isPkceRequired: 'true' }));
      expect(result.status, JSON.stringify(failures(result))).to.equal('Succeeded');
      expect(env.emulator.org.settings.OauthOidcSettings).to.include({
        isPkceRequired: true,
        oAuthCdCrdtFlowEnable: true,
      });
    });

    it('a check-only deploy of both validates and changes nothing', async () => {
      const result = await deploy(env.conn, withFlowSetting(renPackage(), { oAuthCdCrdtFlowEnable: 'true' }), {
        checkOnly: true,
      });
      expect(result.status, JSON.stringify(failures(result))).to.equal('Succeeded');
      expect(result.details.componentSuccesses.find((s) => s.fullName === 'OauthOidc')).to.include({ changed: true });
      expect(env.emulator.org.settings.OauthOidcSettings.oAuthCdCrdtFlowEnable).to.equal(false);
      expect(ecaComponentCount(env.emulator)).to.equal(0);
    });

    it('readMetadata of OauthOidcSettings returns the live value', async () => {
      const read = async (): Promise<unknown> =>
        (await metadataCrud(env.conn).read('OauthOidcSettings', 'OauthOidc')).oAuthCdCrdtFlowEnable;
      expect(await read()).to.equal('false');
      await deploy(env.conn, withFlowSetting({}, { oAuthCdCrdtFlowEnable: 'true' }, {}));
      expect(await read()).to.equal('true');
      env.emulator.org.getComponent('OauthOidcSettings', 'OauthOidc')!.record.oAuthCdCrdtFlowEnable = false;
      expect(await read()).to.equal('false');
    });
  });
});
