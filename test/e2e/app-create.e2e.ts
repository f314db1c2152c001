/*
 * End to end: the real `sf` binary with this plugin linked, logged into the local Salesforce emulator
 * in a throwaway HOME. One emulator and one sf login for the whole file; tests run in order and build
 * on each other's org state, as an admin's successive runs would.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { startSfSession, type SfSession } from './harness.js';

type CreateJson = {
  status: number;
  name?: string;
  message?: string;
  actions?: string[];
  result?: {
    apiName: string;
    label: string;
    id?: string;
    status: string;
    changes: Array<{ type: string; fullName: string; field: string; before?: unknown; after?: unknown }>;
    deployId?: string;
    dryRun: boolean;
  };
};

describe('sf ren app create (end to end, real sf + emulator)', function () {
  this.timeout(180_000);
  let session: SfSession;

  const stored = (type: string, fullName: string) => session.emulator.org.getComponent(type, fullName);
  const deployCount = () => session.emulator.org.deploys.size;
  const createJson = async (...args: string[]) => {
    const run = await session.sf(['ren', 'app', 'create', '--target-org', session.alias, '--json', ...args]);
    return { ...run, body: run.json as CreateJson };
  };

  before(async () => {
    session = await startSfSession({ linkPlugin: true });
  });

  after(async () => {
    await session?.close();
  });

  it("creates the app with every setting of Ren's guide, with a progress display and a summary", async () => {
    const run = await session.sf(['ren', 'app', 'create', '--target-org', session.alias, '--profile', 'Sales']);
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.include('Created External Client App Ren (ren)');
    // The summary lists what the user set (the guide's own settings are counted, not listed).
    expect(run.stdout).to.match(/ExtlClntAppOauthConfigurablePolicies ren_oauthPlcy\s+│?\s*commaSeparatedProfile/);
    expect(run.stdout).to.match(/Not listed: \d+ settings that are as Ren's guide has them/);
    expect(run.stdout).to.include('sf ren connect --target-org emulator --output-file ren.json');

    expect(stored('ExternalClientApplication', 'ren')?.record).to.deep.include({
      label: 'Ren',
      contactEmail: 'support@rensystems.com',
      distributionState: 'Local',
      infoUrl: 'https://rensystems.com',
      iconUrl: 'https://app.rensystems.com/images/ios-icon-512.png',
      logoUrl: 'https://app.rensystems.com/images/ios-icon-512.png',
      description: 'Sync Salesforce contacts to Ren',
    });
    expect(stored('ExtlClntAppOauthSettings', 'ren_oauth')?.record).to.deep.include({
      commaSeparatedOauthScopes: 'Basic, Api, RefreshToken',
      externalClientApplication: 'ren',
    });
    expect(stored('ExtlClntAppGlobalOauthSettings', 'ren_glbloauth')?.record).to.deep.include({
      callbackUrl: 'https://app.rensystems.com/api/salesforce/auth_callback',
      isCodeCredFlowEnabled: true,
      isConsumerSecretOptional: false,
      isSecretRequiredForRefreshToken: true,
      isPkceRequired: true,
    });
    expect(stored('ExtlClntAppConfigurablePolicies', 'ren_plcy')?.record).to.deep.include({
      isEnabled: true,
      isOauthPluginEnabled: true,
      startPage: 'None',
    });
    expect(stored('ExtlClntAppOauthConfigurablePolicies', 'ren_oauthPlcy')?.record).to.deep.include({
      permittedUsersPolicyType: 'AdminApprovedPreAuthorized',
      refreshTokenPolicyType: 'Infinite',
      ipRelaxationPolicyType: 'Enforce',
      commaSeparatedProfile: 'Sales',
    });
  });

  it('reports unchanged on a second run and deploys nothing', async () => {
    const before = deployCount();
    const { code, body } = await createJson('--profile', 'Sales');
    expect(code).to.equal(0);
    expect(body.result).to.deep.include({
      apiName: 'ren',
      label: 'Ren',
      status: 'unchanged',
      changes: [],
      dryRun: false,
    });
    expect(body.result?.id).to.match(/^0xI/);
    expect(deployCount()).to.equal(before);
  });

  it('updates only what changed and lists the changed fields', async () => {
    const before = deployCount();
    const { code, body } = await createJson('--description', 'Sync contacts and companies to Ren');
    expect(code).to.equal(0);
    expect(body.result?.status).to.equal('updated');
    expect(body.result?.changes).to.deep.equal([
      {
        type: 'ExternalClientApplication',
        fullName: 'ren',
        field: 'description',
        before: 'Sync Salesforce contacts to Ren',
        after: 'Sync contacts and companies to Ren',
      },
    ]);
    expect(deployCount()).to.equal(before + 1);
    const deploy = [...session.emulator.org.deploys.values()].pop()!;
    expect(deploy.components.map((c) => c.fullName)).to.deep.equal(['ren']);
    expect(stored('ExternalClientApplication', 'ren')?.record.description).to.equal(
      'Sync contacts and companies to Ren',
    );
    // the profile pre-authorized earlier is still there
    expect(stored('ExtlClntAppOauthConfigurablePolicies', 'ren_oauthPlcy')?.record.commaSeparatedProfile).to.equal(
      'Sales',
    );
  });

  it('validates with a check-only deploy on --dry-run and changes nothing', async () => {
    const { code, body } = await createJson(
      '--description',
      'Sync contacts and companies to Ren',
      '--callback-url',
      'https://app.rensystems.com/api/salesforce/callback2',
      '--dry-run',
    );
    expect(code).to.equal(0);
    expect(body.result).to.deep.include({ status: 'updated', dryRun: true });
    expect(body.result?.changes.map((c) => c.field)).to.deep.equal(['callbackUrl']);
    const deploy = [...session.emulator.org.deploys.values()].pop()!;
    expect(deploy.options.checkOnly).to.equal(true);
    expect(stored('ExtlClntAppGlobalOauthSettings', 'ren_glbloauth')?.record.callbackUrl).to.equal(
      'https://app.rensystems.com/api/salesforce/auth_callback',
    );
  });

  it('refuses bad values before anything is sent', async () => {
    const before = deployCount();
    const requestsBefore = session.emulator.requests.length;
    const { code, body } = await createJson(
      '--callback-url',
      'http://app.rensystems.com/cb',
      '--contact-email',
      'support',
    );
    expect(code).to.not.equal(0);
    expect(body.name).to.equal('RenInvalidDefinitionError');
    expect(body.message).to.include('--callback-url').and.include('must use https').and.include('--contact-email');
    expect(deployCount()).to.equal(before);
    // sf itself may read the Organization record when it loads the org; anything else would be ours.
    const ours = session.emulator.requests
      .slice(requestsBefore)
      .filter((r) => !/FROM(%20|\+| )Organization/i.test(decodeURIComponent(r.query ?? '')));
    expect(ours.filter((r) => r.soapMethod ?? /metadata|query/.test(r.path))).to.deep.equal([]);
  });

  it('names close matches for an unknown profile and deploys nothing', async () => {
    const before = deployCount();
    const { code, body } = await createJson('--profile', 'Sails');
    expect(code).to.not.equal(0);
    expect(body.name).to.equal('RenUnknownNameError');
    expect(body.message).to.include('profile "Sails"').and.include('"Sales"');
    expect(deployCount()).to.equal(before);
  });

  it('shows each component the org refuses and leaves the org unchanged', async () => {
    session.emulator.faults.add({
      fault: 'deploy-component-failure',
      times: 1,
      component: {
        type: 'ExternalClientApplication',
        fullName: 'ren',
        problem: 'The org refused this app for the test',
      },
    });
    const { code, body } = await createJson('--description', 'Sync Salesforce contacts to Ren, v2');
    expect(code).to.not.equal(0);
    expect(body.name).to.equal('RenDeployFailedError');
    expect(body.message).to.include('ExternalClientApplication ren: The org refused this app for the test');
    expect(body.message).to.include('nothing was changed');
    expect(stored('ExternalClientApplication', 'ren')?.record.label).to.equal('Ren');
  });

  it('refuses an API version below 64.0', async () => {
    const { code, body } = await createJson('--api-version', '63.0');
    expect(code).to.not.equal(0);
    expect(body.name).to.equal('RenApiVersionError');
    expect(body.actions?.join(' ')).to.include('--api-version 64.0');
  });

  it('onboards another vendor from a definition file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ren-e2e-'));
    const file = join(dir, 'acme.json');
    await writeFile(
      file,
      JSON.stringify({
        label: 'Acme Sync',
        apiName: 'acme_sync',
        contactEmail: 'help@acme.example',
        callbackUrl: 'https://acme.example/oauth/callback',
        scopes: ['Api', 'RefreshToken'],
        codeCredentialsFlow: false,
        permissionSets: ['Ren_Users'],
      }),
    );
    const { code, body } = await createJson('--definition', file);
    expect(code, JSON.stringify(body)).to.equal(0);
    expect(body.result).to.deep.include({ apiName: 'acme_sync', status: 'created' });
    expect(stored('ExtlClntAppOauthSettings', 'acme_sync_oauth')?.record.commaSeparatedOauthScopes).to.equal(
      'Api, RefreshToken',
    );
    expect(
      stored('ExtlClntAppOauthConfigurablePolicies', 'acme_sync_oauthPlcy')?.record.commaSeparatedPermissionSet,
    ).to.equal('Ren_Users');
  });

  it('says how to fix an org that blocks the Authorization Code and Credentials Flow', async () => {
    const oidc = session.emulator.org.getComponent('OauthOidcSettings', 'OauthOidc')!;
    oidc.record.oAuthCdCrdtFlowEnable = false;
    const before = deployCount();
    const { code, body } = await createJson('--app', 'ren_two');
    expect(code).to.not.equal(0);
    expect(body.name).to.equal('RenOrgSettingError');
    expect(body.actions?.join(' ')).to.include('Allow Authorization Code and Credentials Flows');
    expect(deployCount()).to.equal(before);
    oidc.record.oAuthCdCrdtFlowEnable = true;
  });

  it('tells the user to log in again when the session has expired', async () => {
    session.emulator.faults.expireSession();
    const { code, body } = await createJson();
    expect(code).to.not.equal(0);
    expect(body.name).to.equal('RenSessionExpiredError');
    expect(body.actions?.join(' ')).to.include(`sf org login web --alias ${session.alias}`);
  });
});
