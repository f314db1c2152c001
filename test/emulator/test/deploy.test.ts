import { expect } from 'chai';
import type { Connection } from '@salesforce/core';
import type { Emulator, OrgSeed } from '../index.js';
import { connect, startTestEmulator, useTempHome } from './helpers.js';
import { type Files, packageXml, renPackage, settingsFile, zip } from './fixtures.js';

/** A component file with a raw body (for types the Ren fixtures do not cover). */
function settingsFileLike(root: string, body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="http://soap.sforce.com/2006/04/metadata">${body}</${root}>\n`;
}

type DeployResult = Awaited<ReturnType<ReturnType<Connection['metadata']['deploy']>['complete']>>;
type DeployMessage = DeployResult['details']['componentFailures'][number];

const ECA_TYPES = [
  'ExternalClientApplication',
  'ExtlClntAppOauthSettings',
  'ExtlClntAppGlobalOauthSettings',
  'ExtlClntAppConfigurablePolicies',
  'ExtlClntAppOauthConfigurablePolicies',
];

async function deploy(conn: Connection, files: Files, options: Record<string, unknown> = {}, folder = ''): Promise<DeployResult> {
  const data = await zip(files, folder);
  return conn.metadata.deploy(data, { rollbackOnError: true, singlePackage: folder === '', ...options }).complete(true);
}

function failures(result: DeployResult): DeployMessage[] {
  return result.details.componentFailures;
}

/** Total number of stored ECA components (all five types). */
function ecaComponentCount(emulator: Emulator): number {
  return ECA_TYPES.reduce((n, t) => n + emulator.org.components(t).length, 0);
}

describe('emulator: deploy', () => {
  useTempHome();
  let emulator: Emulator;
  let conn: Connection;

  before(async () => {
    emulator = await startTestEmulator();
    conn = await connect(emulator);
  });
  beforeEach(() => emulator.reset());
  after(async () => emulator.close());

  /** Deploys files expected to fail with one problem on one component, and checks nothing was stored. */
  async function expectFailure(files: Files, expected: { type: string; fullName: string; problem: string | RegExp }, options = {}): Promise<DeployResult> {
    const before = ecaComponentCount(emulator);
    const result = await deploy(conn, files, options);
    expect(result.status).to.equal('Failed');
    expect(result.success).to.equal(false);
    expect(result.numberComponentsDeployed).to.equal(0);
    const failure = failures(result).find((f) => f.componentType === expected.type && f.fullName === expected.fullName);
    expect(failure, JSON.stringify(failures(result))).to.not.equal(undefined);
    if (typeof expected.problem === 'string') expect(failure?.problem).to.equal(expected.problem);
    else expect(failure?.problem).to.match(expected.problem);
    expect(failure?.problemType).to.equal('Error');
    expect(ecaComponentCount(emulator)).to.equal(before);
    return result;
  }

  it('stores all five Ren components from one deploy', async () => {
    const result = await deploy(conn, renPackage());
    expect(result.status, JSON.stringify(failures(result))).to.equal('Succeeded');
    expect(result.success).to.equal(true);
    expect(result.done).to.equal(true);
    expect(result.numberComponentsTotal).to.equal(5);
    expect(result.numberComponentsDeployed).to.equal(5);
    expect(result.numberComponentErrors).to.equal(0);
    const successes = result.details.componentSuccesses;
    expect(successes.map((s) => s.fullName).sort()).to.deep.equal(['package.xml', 'ren', 'ren_glbloauth', 'ren_oauth', 'ren_oauthPlcy', 'ren_plcy']);
    const app = successes.find((s) => s.fullName === 'ren');
    expect(app).to.include({ componentType: 'ExternalClientApplication', created: true, changed: false, fileName: 'externalClientApps/ren.eca' });
    expect(app?.id).to.match(/^0xI[A-Za-z0-9]{15}$/);

    const org = emulator.org;
    const stored = org.getComponent('ExternalClientApplication', 'ren');
    expect(stored?.record).to.include({ label: 'Ren', distributionState: 'Local', isProtected: false, contactEmail: 'support@rensystems.com' });
    expect(stored?.record.orgScopedExternalApp).to.equal(`${org.organization.Id.slice(0, 15)}:ren`);
    const consumer = org.consumerForApp('ren');
    expect(consumer?.key).to.match(/^3MVG9[A-Za-z0-9._]{80}$/);
    expect(consumer?.secret).to.match(/^[0-9A-F]{64}$/);
    expect(consumer?.id).to.match(/^0Cx/);
    expect(org.getComponent('ExtlClntAppGlobalOauthSettings', 'ren_glbloauth')?.record).to.include({ consumerKey: consumer?.key, isCodeCredFlowEnabled: true });
    expect(org.getComponent('ExtlClntAppOauthConfigurablePolicies', 'ren_oauthPlcy')?.record).to.include({ commaSeparatedProfile: 'Sales' });
    expect(org.deploys.get(result.id)?.components).to.have.length(5);
  });

  it('accepts the unpackaged/ layout and reports file names with the folder', async () => {
    const result = await deploy(conn, renPackage(), { singlePackage: false }, 'unpackaged/');
    expect(result.status).to.equal('Succeeded');
    expect(result.details.componentSuccesses.find((s) => s.fullName === 'ren')?.fileName).to.equal('unpackaged/externalClientApps/ren.eca');
  });

  it('reports unchanged, changed and created components on a redeploy', async () => {
    await deploy(conn, renPackage());
    const again = await deploy(conn, renPackage({ eca: { description: 'New description' } }));
    const byName = Object.fromEntries(again.details.componentSuccesses.map((s) => [s.fullName, s]));
    expect(byName.ren).to.include({ created: false, changed: true });
    expect(byName.ren_oauth).to.include({ created: false, changed: false });
    expect(emulator.org.getComponent('ExternalClientApplication', 'ren')?.record.description).to.equal('New description');
    // A redeploy keeps the generated consumer.
    const key = emulator.org.consumerForApp('ren')?.key;
    await deploy(conn, renPackage());
    expect(emulator.org.consumerForApp('ren')?.key).to.equal(key);
  });

  it('a deploy replaces the whole record (omitted fields are gone)', async () => {
    await deploy(conn, renPackage());
    await deploy(conn, renPackage({ eca: { description: undefined } }));
    expect(emulator.org.getComponent('ExternalClientApplication', 'ren')?.record).to.not.have.property('description');
  });

  it('checkOnly validates and stores nothing', async () => {
    const result = await deploy(conn, renPackage(), { checkOnly: true });
    expect(result.status).to.equal('Succeeded');
    expect(result.checkOnly).to.equal(true);
    expect(result.details.componentSuccesses.find((s) => s.fullName === 'ren')).to.include({ created: true });
    expect(ecaComponentCount(emulator)).to.equal(0);
    expect(emulator.org.consumerForApp('ren')).to.equal(undefined);
  });

  it('checkOnly reports failures like a real deploy', async () => {
    const result = await deploy(conn, renPackage({ eca: { distributionState: 'Global' } }), { checkOnly: true });
    expect(result.status).to.equal('Failed');
  });

  describe('validation (each fails the whole deploy and changes nothing)', () => {
    it('unknown element', () =>
      expectFailure(renPackage({ eca: { colour: 'blue' } }), {
        type: 'ExternalClientApplication',
        fullName: 'ren',
        problem: 'Error parsing file: Element {http://soap.sforce.com/2006/04/metadata}colour invalid at this location in type ExternalClientApplication',
      }));

    it('element of a later API version than the deploy', async () => {
      const result = await expectFailure(renPackage({ version: '62.0', oauthPolicies: { commaSeparatedProfile: undefined } }), {
        type: 'ExtlClntAppConfigurablePolicies',
        fullName: 'ren_plcy',
        problem: 'Error parsing file: Element {http://soap.sforce.com/2006/04/metadata}startPage invalid at this location in type ExtlClntAppConfigurablePolicies',
      });
      const failure = failures(result).find((f) => f.fullName === 'ren_plcy');
      expect(failure?.lineNumber).to.be.a('number');
      expect(failure?.columnNumber).to.be.a('number');
    });

    it('commaSeparatedProfile before v64', () =>
      expectFailure(renPackage({ version: '63.0' }), {
        type: 'ExtlClntAppOauthConfigurablePolicies',
        fullName: 'ren_oauthPlcy',
        problem: /Element \{http:\/\/soap.sforce.com\/2006\/04\/metadata\}commaSeparatedProfile invalid at this location/,
      }));

    it('types unknown at an old API version', async () => {
      const result = await deploy(conn, renPackage({ version: '58.0' }));
      expect(result.status).to.equal('Failed');
      expect(failures(result).map((f) => f.problem)).to.include("Unknown type name 'ExternalClientApplication' specified in package.xml");
      expect(failures(result)[0].fileName).to.equal('package.xml');
      expect(ecaComponentCount(emulator)).to.equal(0);
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
      await deploy(conn, renPackage());
      const all = renPackage({ oauthPolicies: { commaSeparatedProfile: 'Sales, Read Only' } });
      const files = {
        'package.xml': packageXml({ ExtlClntAppOauthConfigurablePolicies: ['ren_oauthPlcy'] }),
        'extlClntAppOauthPolicies/ren_oauthPlcy.ecaOauthPlcy': all['extlClntAppOauthPolicies/ren_oauthPlcy.ecaOauthPlcy'],
      };
      const result = await deploy(conn, files);
      expect(result.status).to.equal('Succeeded');
      expect(emulator.org.getComponent('ExtlClntAppOauthConfigurablePolicies', 'ren_oauthPlcy')?.record.commaSeparatedProfile).to.equal('Sales, Read Only');
    });

    it('consumer key supplied on create', () =>
      expectFailure(renPackage({ global: { consumerKey: '3MVG9mine' } }), {
        type: 'ExtlClntAppGlobalOauthSettings',
        fullName: 'ren_glbloauth',
        problem: /^You cannot provide a Consumer Key/,
      }));

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
      const psId = emulator.org.permissionSets.find((p) => p.Name === 'Ren_Users')?.Id ?? '';
      await expectFailure(renPackage({ oauthPolicies: { commaSeparatedPermissionSet: psId } }), {
        type: 'ExtlClntAppOauthConfigurablePolicies',
        fullName: 'ren_oauthPlcy',
        problem: `We couldn't find permission sets called ${psId}`,
      });
    });

    it('profile-owned permission sets are not permission sets by name', async () => {
      const owned = emulator.org.permissionSets.find((p) => p.IsOwnedByProfile)?.Name ?? '';
      await expectFailure(renPackage({ oauthPolicies: { commaSeparatedPermissionSet: owned } }), {
        type: 'ExtlClntAppOauthConfigurablePolicies',
        fullName: 'ren_oauthPlcy',
        problem: `We couldn't find permission sets called ${owned}`,
      });
    });

    it('a second OAuth policies record for the same app', async () => {
      await deploy(conn, renPackage());
      const all = renPackage();
      const files = {
        'package.xml': packageXml({ ExtlClntAppOauthConfigurablePolicies: ['ren_otherPlcy'] }),
        'extlClntAppOauthPolicies/ren_otherPlcy.ecaOauthPlcy': all['extlClntAppOauthPolicies/ren_oauthPlcy.ecaOauthPlcy'],
      };
      const before = emulator.org.components('ExtlClntAppOauthConfigurablePolicies').length;
      const result = await deploy(conn, files);
      expect(result.status).to.equal('Failed');
      expect(failures(result)[0]).to.include({ fullName: 'ren_otherPlcy', problem: 'ExtlClntAppOauthSettingsId duplicates value on ren_oauthPlcy' });
      expect(emulator.org.components('ExtlClntAppOauthConfigurablePolicies').length).to.equal(before);
    });

    it('package.xml member without a file', async () => {
      const files = renPackage();
      delete files['extlClntAppPolicies/ren_plcy.ecaPlcy'];
      const result = await deploy(conn, files);
      expect(result.status).to.equal('Failed');
      expect(failures(result)[0]).to.include({
        fileName: 'package.xml',
        fullName: 'ren_plcy',
        componentType: 'ExtlClntAppConfigurablePolicies',
        problem: "An object 'ren_plcy' of type ExtlClntAppConfigurablePolicies was named in package.xml, but was not found in zipped directory",
      });
      expect(ecaComponentCount(emulator)).to.equal(0);
    });

    it('an injected component failure fails the whole deploy once', async () => {
      emulator.faults.add({ fault: 'deploy-component-failure', times: 1, component: { type: 'ExtlClntAppOauthSettings', problem: 'Something broke' } });
      await expectFailure(renPackage(), { type: 'ExtlClntAppOauthSettings', fullName: 'ren_oauth', problem: 'Something broke' });
      expect((await deploy(conn, renPackage())).status).to.equal('Succeeded');
    });
  });

  describe('org settings', () => {
    it('refuses the Authorization Code and Credentials flow when the org blocks it', async () => {
      emulator.reset({ settings: { OauthOidcSettings: { oAuthCdCrdtFlowEnable: false } } });
      await expectFailure(renPackage(), {
        type: 'ExtlClntAppGlobalOauthSettings',
        fullName: 'ren_glbloauth',
        problem: /Authorization Code and Credentials Flow/,
      });
    });

    it('accepts it when the same deploy turns the org setting on', async () => {
      emulator.reset({ settings: { OauthOidcSettings: { oAuthCdCrdtFlowEnable: false } } });
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
      const result = await deploy(conn, files);
      expect(result.status, JSON.stringify(failures(result))).to.equal('Succeeded');
      const settings = result.details.componentSuccesses.find((s) => s.fullName === 'OauthOidc');
      expect(settings).to.include({ componentType: 'OauthOidcSettings', fileName: 'settings/OauthOidc.settings', changed: true });
      // Settings deploys change only the fields they name.
      expect(emulator.org.settings.OauthOidcSettings).to.include({ oAuthCdCrdtFlowEnable: true, blockOAuthUnPwFlow: true });
    });
  });

  describe('permissions', () => {
    const standardUser: OrgSeed = { users: [{ Username: 'std@example.com', LastName: 'Std', profile: 'Standard User' }] };

    it('a user without Modify All Data / Modify Metadata gets INSUFFICIENT_ACCESS', async () => {
      emulator.reset(standardUser);
      const error = await deploy(conn, renPackage()).then(
        () => undefined,
        (err: Error & { errorCode?: string }) => err
      );
      expect(error?.errorCode).to.equal('sf:INSUFFICIENT_ACCESS');
      expect(error?.message).to.match(/use of the Metadata API requires a user with the ModifyAllData or ModifyMetadata permissions/);
    });
  });

  describe('destructive changes', () => {
    it('deletes an app with everything that belongs to it', async () => {
      await deploy(conn, renPackage());
      const files = {
        'package.xml': packageXml({}),
        'destructiveChanges.xml': packageXml({ ExternalClientApplication: ['ren'] }),
      };
      const result = await deploy(conn, files);
      expect(result.status).to.equal('Succeeded');
      expect(result.details.componentSuccesses.find((s) => s.fullName === 'ren')).to.include({ deleted: true });
      expect(ecaComponentCount(emulator)).to.equal(0);
      expect(emulator.org.consumerForApp('ren')).to.equal(undefined);
    });

    it('deleting what does not exist is a warning that fails unless ignoreWarnings', async () => {
      const files = { 'package.xml': packageXml({}), 'destructiveChanges.xml': packageXml({ ExternalClientApplication: ['nope'] }) };
      const strict = await deploy(conn, files);
      expect(strict.status).to.equal('Failed');
      expect(failures(strict)[0]).to.include({ problem: 'No ExternalClientApplication named: nope found', problemType: 'Warning' });
      const lenient = await deploy(conn, files, { ignoreWarnings: true });
      expect(lenient.status).to.equal('Succeeded');
    });
  });

  describe('async status', () => {
    it('answers InProgress until the configured poll, then the result', async () => {
      emulator.reset({ asyncPolls: 3 });
      const started = await conn.metadata.deploy(await zip(renPackage()), { singlePackage: true });
      expect(started).to.include({ state: 'Queued', done: false });
      expect(started.id).to.match(/^0Af/);
      const first = await conn.metadata.checkDeployStatus(started.id, true);
      expect(first).to.include({ done: false, status: 'InProgress' });
      expect(ecaComponentCount(emulator)).to.equal(0);
      await conn.metadata.checkDeployStatus(started.id, true);
      const last = await conn.metadata.checkDeployStatus(started.id, true);
      expect(last).to.include({ done: true, status: 'Succeeded' });
    });

    it('cancels a deploy that has not finished', async () => {
      emulator.reset({ asyncPolls: 5 });
      const started = await conn.metadata.deploy(await zip(renPackage()), { singlePackage: true });
      const canceled = (await conn.metadata.cancelDeploy(started.id)) as { done: string | boolean };
      expect(String(canceled.done)).to.equal('true');
      const status = await conn.metadata.checkDeployStatus(started.id, true);
      expect(status).to.include({ done: true, status: 'Canceled', success: false });
      expect(ecaComponentCount(emulator)).to.equal(0);
    });
  });

  describe('more deploy rules', () => {
    it('rollbackOnError=false applies what is valid (SucceededPartial)', async () => {
      const result = await deploy(conn, renPackage({ policies: { startPage: 'Home' } }), { rollbackOnError: false });
      expect(result.status).to.equal('SucceededPartial');
      expect(result.success).to.equal(true);
      expect(result.numberComponentsDeployed).to.equal(4);
      expect(emulator.org.getComponent('ExtlClntAppConfigurablePolicies', 'ren_plcy')).to.equal(undefined);
      expect(emulator.org.getComponent('ExternalClientApplication', 'ren')).to.not.equal(undefined);
    });

    it('rotating the consumer secret needs ignoreWarnings, then changes it', async () => {
      await deploy(conn, renPackage());
      const before = emulator.org.consumerForApp('ren')?.secret;
      const strict = await deploy(conn, renPackage({ global: { shouldRotateConsumerSecret: 'true' } }));
      expect(strict.status).to.equal('Failed');
      expect(failures(strict)[0].problemType).to.equal('Warning');
      expect(emulator.org.consumerForApp('ren')?.secret).to.equal(before);
      const rotated = await deploy(conn, renPackage({ global: { shouldRotateConsumerSecret: 'true' } }), { ignoreWarnings: true });
      expect(rotated.status).to.equal('Succeeded');
      expect(emulator.org.consumerForApp('ren')?.secret).to.not.equal(before);
      expect(emulator.org.getComponent('ExtlClntAppGlobalOauthSettings', 'ren_glbloauth')?.record.shouldRotateConsumerSecret).to.equal(false);
    });

    it('a supplied oauthLink must be the generated one', async () => {
      await deploy(conn, renPackage());
      const link = String(emulator.org.getComponent('ExtlClntAppOauthSettings', 'ren_oauth')?.record.oauthLink);
      expect(link).to.match(/^00D\w{12}:0Cx\w{12}$/);
      expect((await deploy(conn, renPackage({ oauth: { oauthLink: link } }))).status).to.equal('Succeeded');
      await expectFailure(renPackage({ oauth: { oauthLink: 'bogus' } }), {
        type: 'ExtlClntAppOauthSettings',
        fullName: 'ren_oauth',
        problem: /^In field: oauthLink/,
      });
    });

    it('creating a Connected App is blocked (Spring \'26) unless the org allows it', async () => {
      const files = {
        'package.xml': packageXml({ ConnectedApp: ['Inven'] }),
        'connectedApps/Inven.connectedApp': settingsFileLike('ConnectedApp', '<contactEmail>a@b.co</contactEmail><label>Inven</label>'),
      };
      const blocked = await deploy(conn, files);
      expect(blocked.status).to.equal('Failed');
      expect(failures(blocked)[0].problem).to.match(/can't create a connected app/);
      emulator.reset({ organization: { allowConnectedAppCreation: true } });
      expect((await deploy(conn, files)).status).to.equal('Succeeded');
      const rows = await conn.query<{ Name: string }>("SELECT Name FROM ConnectedApplication WHERE Name = 'Inven'");
      expect(rows.totalSize).to.equal(1);
    });

    it('a seeded app behaves like a deployed one', async () => {
      emulator.reset({
        metadata: {
          ExternalClientApplication: { ren: { label: 'Ren', contactEmail: 'support@rensystems.com', distributionState: 'Local' } },
          ExtlClntAppGlobalOauthSettings: { ren_glbloauth: { externalClientApplication: 'ren', callbackUrl: 'https://x.example/cb', consumerKey: '3MVG9seeded', consumerSecret: 'SEEDED' } },
        },
        setupEntityAccess: [{ externalClientApp: 'ren', profile: 'Sales' }],
      });
      expect(emulator.org.consumerForApp('ren')).to.include({ key: '3MVG9seeded', secret: 'SEEDED' });
      expect(emulator.org.getComponent('ExtlClntAppGlobalOauthSettings', 'ren_glbloauth')?.record.consumerKey).to.equal('3MVG9seeded');
      const rows = await conn.query<{ Parent: { Profile: { Name: string } } }>('SELECT Parent.Profile.Name FROM SetupEntityAccess');
      expect(rows.records[0].Parent.Profile.Name).to.equal('Sales');
    });
  });

  describe('REST deploy', () => {
    it('accepts the JSON part named json (the doc example) as well as entity_content', async () => {
      const boundary = 'emulatorBoundary';
      const body = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="json"\r\nContent-Type: application/json\r\n\r\n{"deployOptions":{"singlePackage":true,"checkOnly":true}}\r\n`),
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="deploy.zip"\r\nContent-Type: application/zip\r\n\r\n`),
        await zip(renPackage()),
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      const started = await conn.request<{ id: string; deployResult: { status: string }; deployOptions: { checkOnly: boolean } }>({
        method: 'POST',
        url: '/services/data/v64.0/metadata/deployRequest',
        body: body as unknown as string,
        headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
      });
      expect(started.deployResult.status).to.equal('Pending');
      expect(started.deployOptions.checkOnly).to.equal(true);
      const status = await conn.request<{ deployResult: { status: string; details: { componentSuccesses: unknown[] } } }>(
        `/services/data/v64.0/metadata/deployRequest/${started.id}?includeDetails=true`
      );
      expect(status.deployResult.status).to.equal('Succeeded');
      expect(status.deployResult.details.componentSuccesses).to.have.length(6);
      expect(ecaComponentCount(emulator)).to.equal(0);
    });

    it('deploys through metadata/deployRequest with the same engine', async () => {
      const locator = conn.metadata.deployRest(await zip(renPackage()), { singlePackage: true, rollbackOnError: true });
      const started = (await locator) as unknown as { id: string };
      expect(started.id).to.match(/^0Af/);
      const result = await conn.metadata.checkDeployStatus(started.id, true, true);
      expect(result.status).to.equal('Succeeded');
      expect(result.details.componentSuccesses).to.have.length(6);
      expect(emulator.org.getComponent('ExternalClientApplication', 'ren')).to.not.equal(undefined);
      expect(emulator.org.deploys.get(started.id)?.api).to.equal('rest');
    });
  });
});
