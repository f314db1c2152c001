/** Deploy validation: problems that fail a whole deploy and leave the org unchanged (same suite name as deploy.test.ts). */
import { expect } from 'chai';
import type { OrgSeed } from '../index.js';
import { deploy, ecaComponentCount, expectFailureOf, failures } from './deployHelpers.js';
import { packageXml, renPackage, renRedeploy, settingsFile } from './fixtures.js';
import { useEmulator } from './helpers.js';

describe('emulator: deploy', () => {
  const env = useEmulator();
  beforeEach(() => env.emulator.reset());
  const expectFailure = expectFailureOf(env);

  describe('validation (each fails the whole deploy and changes nothing)', () => {
    it('unknown element', () =>
      expectFailure(renPackage({ eca: { colour: 'blue' } }), {
        type: 'ExternalClientApplication',
        fullName: 'ren',
        problem:
          'Error parsing file: Element {http://soap.sforce.com/2006/04/metadata}colour invalid at this location in type ExternalClientApplication',
      }));

    it('element of a later API version than the deploy', async () => {
      const result = await expectFailure(
        renPackage({ version: '62.0', oauthPolicies: { commaSeparatedProfile: undefined } }),
        {
          type: 'ExtlClntAppConfigurablePolicies',
          fullName: 'ren_plcy',
          problem:
            'Error parsing file: Element {http://soap.sforce.com/2006/04/metadata}startPage invalid at this location in type ExtlClntAppConfigurablePolicies',
        },
      );
      const failure = failures(result).find((f) => f.fullName === 'ren_plcy');
      expect(failure?.lineNumber).to.be.a('number');
      expect(failure?.columnNumber).to.be.a('number');
    });

    it('commaSeparatedProfile before v64', () =>
      expectFailure(renPackage({ version: '63.0' }), {
        type: 'ExtlClntAppOauthConfigurablePolicies',
        fullName: 'ren_oauthPlcy',
        problem:
          /Element \{http:\/\/soap.sforce.com\/2006\/04\/metadata\}commaSeparatedProfile invalid at this location/,
      }));

    it('types unknown at an old API version', async () => {
      const result = await deploy(env.conn, renPackage({ version: '58.0' }));
      expect(result.status).to.equal('Failed');
      expect(failures(result).map((f) => f.problem)).to.include(
        "Unknown type name 'ExternalClientApplication' specified in package.xml",
      );
      expect(failures(result)[0].fileName).to.equal('package.xml');
      expect(ecaComponentCount(env.emulator)).to.equal(0);
    });

    it('bad enum value', () =>
      expectFailure(renPackage({ eca: { distributionState: 'Global' } }), {
        type: 'ExternalClientApplication',
        fullName: 'ren',
        problem: "Error parsing file: 'Global' is not a valid value for the enum 'ExtlClntAppDistState'",
      }));

    it('bad enum value in policies', () =>
      expectFailure(renPackage({ oauthPolicies: { permittedUsersPolicyType: 'Everyone' } }), {
        type: 'ExtlClntAppOauthConfigurablePolicies',
        fullName: 'ren_oauthPlcy',
        problem: "Error parsing file: 'Everyone' is not a valid value for the enum 'PermittedUsersPolicyType'",
      }));

    it('invalid boolean', () =>
      expectFailure(renPackage({ global: { isPkceRequired: 'yes' } }), {
        type: 'ExtlClntAppGlobalOauthSettings',
        fullName: 'ren_glbloauth',
        problem: /'yes' is not a valid value for the type boolean/,
      }));

    it('required field missing', () =>
      expectFailure(renPackage({ oauth: { externalClientApplication: undefined } }), {
        type: 'ExtlClntAppOauthSettings',
        fullName: 'ren_oauth',
        problem: 'Required field is missing: externalClientApplication',
      }));

    for (const name of ['1ren', 'ren_', 're__n', 'ren app', 'r'.repeat(41)]) {
      it(`External Client App name rules: ${name}`, () =>
        expectFailure(renPackage({ appName: name }), {
          type: 'ExternalClientApplication',
          fullName: name,
          problem: /^The External Client App API Name can only contain underscores and alphanumeric characters/,
        }));
    }

    it('child naming an app that exists nowhere', async () => {
      const files = renPackage({ oauth: { externalClientApplication: 'other' } });
      await expectFailure(files, {
        type: 'ExtlClntAppOauthSettings',
        fullName: 'ren_oauth',
        problem: 'In field: externalClientApplication - no ExternalClientApplication named other found',
      });
    });

    it('child of an app already in the org deploys alone', async () => {
      await deploy(env.conn, renPackage());
      // Only the new name: the lists are additive (reading additiveAccessLists, readings.test.ts).
      const all = renPackage({ oauthPolicies: { commaSeparatedProfile: 'Read Only' } });
      const files = {
        'package.xml': packageXml({ ExtlClntAppOauthConfigurablePolicies: ['ren_oauthPlcy'] }),
        'extlClntAppOauthPolicies/ren_oauthPlcy.ecaOauthPlcy':
          all['extlClntAppOauthPolicies/ren_oauthPlcy.ecaOauthPlcy'],
      };
      const result = await deploy(env.conn, files);
      expect(result.status).to.equal('Succeeded');
      expect(
        env.emulator.org.getComponent('ExtlClntAppOauthConfigurablePolicies', 'ren_oauthPlcy')?.record
          .commaSeparatedProfile,
      ).to.equal('Sales, Read Only');
    });

    it('consumer key supplied on create is the key; a key another consumer has is refused', async () => {
      const mine = await deploy(env.conn, renPackage({ global: { consumerKey: '3MVG9mine' } }));
      expect(mine.status, JSON.stringify(failures(mine))).to.equal('Succeeded');
      expect(env.emulator.org.consumerForApp('ren')?.key).to.equal('3MVG9mine');
      await expectFailure(renPackage({ appName: 'other', global: { consumerKey: '3MVG9mine' } }), {
        type: 'ExtlClntAppGlobalOauthSettings',
        fullName: 'other_glbloauth',
        problem: /^This Consumer Key is already in use/,
      });
    });

    it('consumer key of an app in the org cannot change (rotate instead)', async () => {
      await deploy(env.conn, renPackage());
      await expectFailure(renRedeploy({ global: { consumerKey: '3MVG9other' } }), {
        type: 'ExtlClntAppGlobalOauthSettings',
        fullName: 'ren_glbloauth',
        problem: /^You cannot change the Consumer Key/,
      });
    });

    it('consumer secret supplied', () =>
      expectFailure(renPackage({ global: { consumerSecret: 'ABC' } }), {
        type: 'ExtlClntAppGlobalOauthSettings',
        fullName: 'ren_glbloauth',
        problem: /^You cannot provide a Consumer Secret/,
      }));

    it('contact email that is not an email', () =>
      expectFailure(renPackage({ eca: { contactEmail: 'support-at-ren' } }), {
        type: 'ExternalClientApplication',
        fullName: 'ren',
        problem: 'In field: contactEmail - invalid email address: support-at-ren',
      }));

    it('icon URL that is not a URL', () =>
      expectFailure(renPackage({ eca: { iconUrl: 'not a url' } }), {
        type: 'ExternalClientApplication',
        fullName: 'ren',
        problem: 'In field: iconUrl - invalid URL: not a url',
      }));

    it('callback URL that is not a URL', () =>
      expectFailure(renPackage({ global: { callbackUrl: 'app.rensystems.com/callback' } }), {
        type: 'ExtlClntAppGlobalOauthSettings',
        fullName: 'ren_glbloauth',
        problem: 'In field: callbackUrl - invalid URL: app.rensystems.com/callback',
      }));

    it('unknown profile', () =>
      expectFailure(renPackage({ oauthPolicies: { commaSeparatedProfile: 'Sales, Marketing User' } }), {
        type: 'ExtlClntAppOauthConfigurablePolicies',
        fullName: 'ren_oauthPlcy',
        problem: "We couldn't find profiles called Marketing User",
      }));

    it('unknown permission set (ids are not names)', async () => {
      const psId = env.emulator.org.permissionSets.find((p) => p.Name === 'Ren_Users')?.Id ?? '';
      await expectFailure(renPackage({ oauthPolicies: { commaSeparatedPermissionSet: psId } }), {
        type: 'ExtlClntAppOauthConfigurablePolicies',
        fullName: 'ren_oauthPlcy',
        problem: `We couldn't find permission sets called ${psId}`,
      });
    });

    it('profile-owned permission sets are not permission sets by name', async () => {
      const owned = env.emulator.org.permissionSets.find((p) => p.IsOwnedByProfile)?.Name ?? '';
      await expectFailure(renPackage({ oauthPolicies: { commaSeparatedPermissionSet: owned } }), {
        type: 'ExtlClntAppOauthConfigurablePolicies',
        fullName: 'ren_oauthPlcy',
        problem: `We couldn't find permission sets called ${owned}`,
      });
    });

    it('a second OAuth policies record for the same app', async () => {
      await deploy(env.conn, renPackage());
      const all = renPackage();
      const files = {
        'package.xml': packageXml({ ExtlClntAppOauthConfigurablePolicies: ['ren_otherPlcy'] }),
        'extlClntAppOauthPolicies/ren_otherPlcy.ecaOauthPlcy':
          all['extlClntAppOauthPolicies/ren_oauthPlcy.ecaOauthPlcy'],
      };
      const before = env.emulator.org.components('ExtlClntAppOauthConfigurablePolicies').length;
      const result = await deploy(env.conn, files);
      expect(result.status).to.equal('Failed');
      expect(failures(result)[0]).to.include({
        fullName: 'ren_otherPlcy',
        problem: 'ExtlClntAppOauthSettingsId duplicates value on ren_oauthPlcy',
      });
      expect(env.emulator.org.components('ExtlClntAppOauthConfigurablePolicies').length).to.equal(before);
    });

    it('package.xml member without a file', async () => {
      const files = renPackage();
      delete files['extlClntAppPolicies/ren_plcy.ecaPlcy'];
      const result = await deploy(env.conn, files);
      expect(result.status).to.equal('Failed');
      expect(failures(result)[0]).to.include({
        fileName: 'package.xml',
        fullName: 'ren_plcy',
        componentType: 'ExtlClntAppConfigurablePolicies',
        problem:
          "An object 'ren_plcy' of type ExtlClntAppConfigurablePolicies was named in package.xml, but was not found in zipped directory",
      });
      expect(ecaComponentCount(env.emulator)).to.equal(0);
    });

    it('an injected component failure fails the whole deploy once', async () => {
      env.emulator.faults.add({
        fault: 'deploy-component-failure',
        times: 1,
        component: { type: 'ExtlClntAppOauthSettings', problem: 'Something broke' },
      });
      await expectFailure(renPackage(), {
        type: 'ExtlClntAppOauthSettings',
        fullName: 'ren_oauth',
        problem: 'Something broke',
      });
      expect((await deploy(env.conn, renPackage())).status).to.equal('Succeeded');
    });
  });

  describe('org settings', () => {
    it('refuses the Authorization Code and Credentials flow when the org blocks it', async () => {
      env.emulator.reset({ settings: { OauthOidcSettings: { oAuthCdCrdtFlowEnable: false } } });
      await expectFailure(renPackage(), {
        type: 'ExtlClntAppGlobalOauthSettings',
        fullName: 'ren_glbloauth',
        problem: /Authorization Code and Credentials Flow/,
      });
    });

    it('accepts it when the same deploy turns the org setting on', async () => {
      env.emulator.reset({ settings: { OauthOidcSettings: { oAuthCdCrdtFlowEnable: false } } });
      const files = renPackage();
      files['package.xml'] = packageXml({
        ExternalClientApplication: ['ren'],
        ExtlClntAppGlobalOauthSettings: ['ren_glbloauth'],
        ExtlClntAppOauthSettings: ['ren_oauth'],
        ExtlClntAppConfigurablePolicies: ['ren_plcy'],
        ExtlClntAppOauthConfigurablePolicies: ['ren_oauthPlcy'],
        Settings: ['OauthOidc'],
      });
      files['settings/OauthOidc.settings'] = settingsFile('OauthOidcSettings', { oAuthCdCrdtFlowEnable: 'true' });
      const result = await deploy(env.conn, files);
      expect(result.status, JSON.stringify(failures(result))).to.equal('Succeeded');
      const settings = result.details.componentSuccesses.find((s) => s.fullName === 'OauthOidc');
      expect(settings).to.include({
        componentType: 'OauthOidcSettings',
        fileName: 'settings/OauthOidc.settings',
        changed: true,
      });
      // Settings deploys change only the fields they name.
      expect(env.emulator.org.settings.OauthOidcSettings).to.include({
        oAuthCdCrdtFlowEnable: true,
        blockOAuthUnPwFlow: true,
      });
    });
  });

  describe('permissions', () => {
    const standardUser: OrgSeed = {
      users: [{ Username: 'std@example.com', LastName: 'Std', profile: 'Standard User' }],
    };

    it('a user without Modify All Data / Modify Metadata gets INSUFFICIENT_ACCESS', async () => {
      env.emulator.reset(standardUser);
      const error = await deploy(env.conn, renPackage()).then(
        () => undefined,
        (err: Error & { errorCode?: string }) => err,
      );
      expect(error?.errorCode).to.equal('sf:INSUFFICIENT_ACCESS');
      expect(error?.message).to.match(
        /use of the Metadata API requires a user with the ModifyAllData or ModifyMetadata permissions/,
      );
    });
  });
});
