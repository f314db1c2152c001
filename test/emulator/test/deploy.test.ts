import { expect } from 'chai';
import { deploy, ecaComponentCount, expectFailureOf, failures, settingsFileLike } from './deployHelpers.js';
import { packageXml, renPackage, renRedeploy, zip } from './fixtures.js';
import { useEmulator } from './helpers.js';

describe('emulator: deploy', () => {
  const env = useEmulator();
  beforeEach(() => env.emulator.reset());
  const expectFailure = expectFailureOf(env);

  it('stores all five Ren components from one deploy', async () => {
    const result = await deploy(env.conn, renPackage());
    expect(result.status, JSON.stringify(failures(result))).to.equal('Succeeded');
    expect(result.success).to.equal(true);
    expect(result.done).to.equal(true);
    expect(result.numberComponentsTotal).to.equal(5);
    expect(result.numberComponentsDeployed).to.equal(5);
    expect(result.numberComponentErrors).to.equal(0);
    const successes = result.details.componentSuccesses;
    expect(successes.map((s) => s.fullName).sort()).to.deep.equal([
      'package.xml',
      'ren',
      'ren_glbloauth',
      'ren_oauth',
      'ren_oauthPlcy',
      'ren_plcy',
    ]);
    const app = successes.find((s) => s.fullName === 'ren');
    expect(app).to.include({
      componentType: 'ExternalClientApplication',
      created: true,
      changed: false,
      fileName: 'externalClientApps/ren.eca',
    });
    expect(app?.id).to.match(/^0xI[A-Za-z0-9]{15}$/);

    const org = env.emulator.org;
    const stored = org.getComponent('ExternalClientApplication', 'ren');
    expect(stored?.record).to.include({
      label: 'Ren',
      distributionState: 'Local',
      isProtected: false,
      contactEmail: 'support@rensystems.com',
    });
    expect(stored?.record.orgScopedExternalApp).to.equal(`${org.organization.Id.slice(0, 15)}:ren`);
    const consumer = org.consumerForApp('ren');
    expect(consumer?.key).to.match(/^3MVG9[A-Za-z0-9._]{80}$/);
    expect(consumer?.secret).to.match(/^[0-9A-F]{64}$/);
    expect(consumer?.id).to.match(/^0Cx/);
    expect(org.getComponent('ExtlClntAppGlobalOauthSettings', 'ren_glbloauth')?.record).to.include({
      consumerKey: consumer?.key,
      isCodeCredFlowEnabled: true,
    });
    expect(org.getComponent('ExtlClntAppOauthConfigurablePolicies', 'ren_oauthPlcy')?.record).to.include({
      commaSeparatedProfile: 'Sales',
    });
    expect(org.deploys.get(result.id)?.components).to.have.length(5);
  });

  it('accepts the unpackaged/ layout and reports file names with the folder', async () => {
    const result = await deploy(env.conn, renPackage(), { singlePackage: false }, 'unpackaged/');
    expect(result.status).to.equal('Succeeded');
    expect(result.details.componentSuccesses.find((s) => s.fullName === 'ren')?.fileName).to.equal(
      'unpackaged/externalClientApps/ren.eca',
    );
  });

  it('reports unchanged, changed and created components on a redeploy', async () => {
    await deploy(env.conn, renPackage());
    const again = await deploy(env.conn, renRedeploy({ eca: { description: 'New description' } }));
    const byName = Object.fromEntries(again.details.componentSuccesses.map((s) => [s.fullName, s]));
    expect(byName.ren).to.include({ created: false, changed: true });
    expect(byName.ren_oauth).to.include({ created: false, changed: false });
    expect(env.emulator.org.getComponent('ExternalClientApplication', 'ren')?.record.description).to.equal(
      'New description',
    );
    // A redeploy keeps the generated consumer.
    const key = env.emulator.org.consumerForApp('ren')?.key;
    await deploy(env.conn, renRedeploy());
    expect(env.emulator.org.consumerForApp('ren')?.key).to.equal(key);
  });

  it('a deploy replaces the whole record (omitted fields are gone)', async () => {
    await deploy(env.conn, renPackage());
    await deploy(env.conn, renRedeploy({ eca: { description: undefined } }));
    expect(env.emulator.org.getComponent('ExternalClientApplication', 'ren')?.record).to.not.have.property(
      'description',
    );
  });

  it('checkOnly validates and stores nothing', async () => {
    const result = await deploy(env.conn, renPackage(), { checkOnly: true });
    expect(result.status).to.equal('Succeeded');
    expect(result.checkOnly).to.equal(true);
    expect(result.details.componentSuccesses.find((s) => s.fullName === 'ren')).to.include({ created: true });
    expect(ecaComponentCount(env.emulator)).to.equal(0);
    expect(env.emulator.org.consumerForApp('ren')).to.equal(undefined);
  });

  it('checkOnly reports failures like a real deploy', async () => {
    const result = await deploy(env.conn, renPackage({ eca: { distributionState: 'Global' } }), { checkOnly: true });
    expect(result.status).to.equal('Failed');
  });

  describe('destructive changes', () => {
    it('deletes an app with everything that belongs to it', async () => {
      await deploy(env.conn, renPackage());
      const files = {
        'package.xml': packageXml({}),
        'destructiveChanges.xml': packageXml({ ExternalClientApplication: ['ren'] }),
      };
      const result = await deploy(env.conn, files);
      expect(result.status).to.equal('Succeeded');
      expect(result.details.componentSuccesses.find((s) => s.fullName === 'ren')).to.include({ deleted: true });
      expect(ecaComponentCount(env.emulator)).to.equal(0);
      expect(env.emulator.org.consumerForApp('ren')).to.equal(undefined);
    });

    it('deleting what does not exist is a warning that fails unless ignoreWarnings', async () => {
      const files = {
        'package.xml': packageXml({}),
        'destructiveChanges.xml': packageXml({ ExternalClientApplication: ['nope'] }),
      };
      const strict = await deploy(env.conn, files);
      expect(strict.status).to.equal('Failed');
      expect(failures(strict)[0]).to.include({
        problem: 'No ExternalClientApplication named: nope found',
        problemType: 'Warning',
      });
      const lenient = await deploy(env.conn, files, { ignoreWarnings: true });
      expect(lenient.status).to.equal('Succeeded');
    });
  });

  describe('async status', () => {
    it('answers InProgress until the configured poll, then the result', async () => {
      env.emulator.reset({ asyncPolls: 3 });
      const started = await env.conn.metadata.deploy(await zip(renPackage()), { singlePackage: true });
      expect(started).to.include({ state: 'Queued', done: false });
      expect(started.id).to.match(/^0Af/);
      const first = await env.conn.metadata.checkDeployStatus(started.id, true);
      expect(first).to.include({ done: false, status: 'InProgress' });
      expect(ecaComponentCount(env.emulator)).to.equal(0);
      await env.conn.metadata.checkDeployStatus(started.id, true);
      const last = await env.conn.metadata.checkDeployStatus(started.id, true);
      expect(last).to.include({ done: true, status: 'Succeeded' });
    });

    it('cancels a deploy that has not finished', async () => {
      env.emulator.reset({ asyncPolls: 5 });
      const started = await env.conn.metadata.deploy(await zip(renPackage()), { singlePackage: true });
      const canceled = (await env.conn.metadata.cancelDeploy(started.id)) as { done: string | boolean };
      expect(String(canceled.done)).to.equal('true');
      const status = await env.conn.metadata.checkDeployStatus(started.id, true);
      expect(status).to.include({ done: true, status: 'Canceled', success: false });
      expect(ecaComponentCount(env.emulator)).to.equal(0);
    });
  });

  describe('more deploy rules', () => {
    it('rollbackOnError=false applies what is valid (SucceededPartial)', async () => {
      const result = await deploy(env.conn, renPackage({ policies: { startPage: 'Home' } }), {
        rollbackOnError: false,
      });
      expect(result.status).to.equal('SucceededPartial');
      expect(result.success).to.equal(true);
      expect(result.numberComponentsDeployed).to.equal(4);
      expect(env.emulator.org.getComponent('ExtlClntAppConfigurablePolicies', 'ren_plcy')).to.equal(undefined);
      expect(env.emulator.org.getComponent('ExternalClientApplication', 'ren')).to.not.equal(undefined);
    });

    it('rotating the consumer secret needs ignoreWarnings, then changes it', async () => {
      await deploy(env.conn, renPackage());
      const before = env.emulator.org.consumerForApp('ren')?.secret;
      const strict = await deploy(env.conn, renRedeploy({ global: { shouldRotateConsumerSecret: 'true' } }));
      expect(strict.status).to.equal('Failed');
      expect(failures(strict)[0].problemType).to.equal('Warning');
      expect(env.emulator.org.consumerForApp('ren')?.secret).to.equal(before);
      const rotated = await deploy(env.conn, renRedeploy({ global: { shouldRotateConsumerSecret: 'true' } }), {
        ignoreWarnings: true,
      });
      expect(rotated.status).to.equal('Succeeded');
      expect(env.emulator.org.consumerForApp('ren')?.secret).to.not.equal(before);
      expect(
        env.emulator.org.getComponent('ExtlClntAppGlobalOauthSettings', 'ren_glbloauth')?.record
          .shouldRotateConsumerSecret,
      ).to.equal(false);
    });

    it('a supplied oauthLink must be the generated one', async () => {
      await deploy(env.conn, renPackage());
      const link = String(env.emulator.org.getComponent('ExtlClntAppOauthSettings', 'ren_oauth')?.record.oauthLink);
      expect(link).to.match(/^00D\w{12}:0Cx\w{12}$/);
      expect((await deploy(env.conn, renRedeploy({ oauth: { oauthLink: link } }))).status).to.equal('Succeeded');
      await expectFailure(renRedeploy({ oauth: { oauthLink: 'bogus' } }), {
        type: 'ExtlClntAppOauthSettings',
        fullName: 'ren_oauth',
        problem: /^In field: oauthLink/,
      });
    });

    it("creating a Connected App is blocked (Spring '26) unless the org allows it", async () => {
      const files = {
        'package.xml': packageXml({ ConnectedApp: ['Inven'] }),
        'connectedApps/Inven.connectedApp': settingsFileLike(
          'ConnectedApp',
          '<contactEmail>a@b.co</contactEmail><label>Inven</label>',
        ),
      };
      const blocked = await deploy(env.conn, files);
      expect(blocked.status).to.equal('Failed');
      expect(failures(blocked)[0].problem).to.match(/can't create a connected app/);
      env.emulator.reset({ organization: { allowConnectedAppCreation: true } });
      expect((await deploy(env.conn, files)).status).to.equal('Succeeded');
      const rows = await env.conn.query<{ Name: string }>("SELECT Name FROM ConnectedApplication WHERE Name = 'Inven'");
      expect(rows.totalSize).to.equal(1);
    });

    it('a seeded app behaves like a deployed one', async () => {
      env.emulator.reset({
        metadata: {
          ExternalClientApplication: {
            ren: { label: 'Ren', contactEmail: 'support@rensystems.com', distributionState: 'Local' },
          },
          ExtlClntAppGlobalOauthSettings: {
            ren_glbloauth: {
              externalClientApplication: 'ren',
              callbackUrl: 'https://x.example/cb',
              consumerKey: '3MVG9seeded',
              consumerSecret: 'SEEDED',
            },
          },
        },
        setupEntityAccess: [{ externalClientApp: 'ren', profile: 'Sales' }],
      });
      expect(env.emulator.org.consumerForApp('ren')).to.include({ key: '3MVG9seeded', secret: 'SEEDED' });
      expect(
        env.emulator.org.getComponent('ExtlClntAppGlobalOauthSettings', 'ren_glbloauth')?.record.consumerKey,
      ).to.equal('3MVG9seeded');
      const rows = await env.conn.query<{ Parent: { Profile: { Name: string } } }>(
        'SELECT Parent.Profile.Name FROM SetupEntityAccess',
      );
      expect(rows.records[0].Parent.Profile.Name).to.equal('Sales');
    });
  });

  describe('REST deploy', () => {
    it('accepts the JSON part named json (the doc example) as well as entity_content', async () => {
      const boundary = 'emulatorBoundary';
      const body = Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="json"\r\nContent-Type: application/json\r\n\r\n{"deployOptions":{"singlePackage":true,"checkOnly":true}}\r\n`,
        ),
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="deploy.zip"\r\nContent-Type: application/zip\r\n\r\n`,
        ),
        await zip(renPackage()),
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      const started = await env.conn.request<{
        id: string;
        deployResult: { status: string };
        deployOptions: { checkOnly: boolean };
      }>({
        method: 'POST',
        url: '/services/data/v64.0/metadata/deployRequest',
        body: body as unknown as string,
        headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
      });
      expect(started.deployResult.status).to.equal('Pending');
      expect(started.deployOptions.checkOnly).to.equal(true);
      const status = await env.conn.request<{
        deployResult: { status: string; details: { componentSuccesses: unknown[] } };
      }>(`/services/data/v64.0/metadata/deployRequest/${started.id}?includeDetails=true`);
      expect(status.deployResult.status).to.equal('Succeeded');
      expect(status.deployResult.details.componentSuccesses).to.have.length(6);
      expect(ecaComponentCount(env.emulator)).to.equal(0);
    });

    it('deploys through metadata/deployRequest with the same engine', async () => {
      const locator = env.conn.metadata.deployRest(await zip(renPackage()), {
        singlePackage: true,
        rollbackOnError: true,
      });
      const started = (await locator) as unknown as { id: string };
      expect(started.id).to.match(/^0Af/);
      const result = await env.conn.metadata.checkDeployStatus(started.id, true, true);
      expect(result.status).to.equal('Succeeded');
      expect(result.details.componentSuccesses).to.have.length(6);
      expect(env.emulator.org.getComponent('ExternalClientApplication', 'ren')).to.not.equal(undefined);
      expect(env.emulator.org.deploys.get(started.id)?.api).to.equal('rest');
    });
  });
});
