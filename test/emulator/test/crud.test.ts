import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import JSZip from 'jszip';
import { ComponentSet } from '@salesforce/source-deploy-retrieve';
import { metadataCrud, useEmulator } from './helpers.js';
import { renPackage, zip } from './fixtures.js';

describe('emulator: list, read, CRUD and retrieve', () => {
  const env = useEmulator();

  beforeEach(async () => {
    env.emulator.reset();
    await env.conn.metadata.deploy(await zip(renPackage()), { singlePackage: true }).complete(true);
  });

  it('listMetadata returns FileProperties of stored components', async () => {
    const props = await env.conn.metadata.list([
      { type: 'ExternalClientApplication' },
      { type: 'ExtlClntAppOauthConfigurablePolicies' },
    ]);
    expect(props.map((p) => p.fullName).sort()).to.deep.equal(['ren', 'ren_oauthPlcy']);
    const app = props.find((p) => p.fullName === 'ren');
    expect(app).to.include({
      type: 'ExternalClientApplication',
      fileName: 'externalClientApps/ren.eca',
      manageableState: 'unmanaged',
    });
    expect(app?.id).to.match(/^0xI/);
    expect(app?.createdByName).to.equal('Ada Admin');
  });

  it('listMetadata of a type with nothing stored is an empty list', async () => {
    env.emulator.reset();
    expect(await env.conn.metadata.list({ type: 'ExternalClientApplication' })).to.deep.equal([]);
  });

  it('readMetadata returns the record; GlobalOauth has the key, never the secret', async () => {
    const app = await metadataCrud(env.conn).read('ExternalClientApplication', 'ren');
    expect(app).to.include({ fullName: 'ren', label: 'Ren', distributionState: 'Local', isProtected: 'false' });
    const global = await metadataCrud(env.conn).read('ExtlClntAppGlobalOauthSettings', 'ren_glbloauth');
    expect(global.consumerKey).to.equal(env.emulator.org.consumerForApp('ren')?.key);
    expect(global).to.not.have.property('consumerSecret');
    expect(global.isCodeCredFlowEnabled).to.equal('true');
  });

  it('readMetadata of a missing component is an empty record', async () => {
    const missing = await metadataCrud(env.conn).read('ExternalClientApplication', 'nope');
    expect(missing).to.deep.equal({});
    const both = await metadataCrud(env.conn).read('ExternalClientApplication', ['ren', 'nope']);
    expect(both[0].fullName).to.equal('ren');
    expect(both[1]).to.deep.equal({});
  });

  it('reads org settings', async () => {
    const oidc = await metadataCrud(env.conn).read('OauthOidcSettings', 'OauthOidc');
    expect(oidc).to.include({ fullName: 'OauthOidc', oAuthCdCrdtFlowEnable: 'true' });
    const eca = await metadataCrud(env.conn).read('ExternalClientAppSettings', 'ExternalClientApp');
    expect(eca.enableClientSecretInRestApiAccess).to.equal('false');
  });

  it('upsertMetadata updates a policy record and reports created=false', async () => {
    const result = await metadataCrud(env.conn).upsert('ExtlClntAppOauthConfigurablePolicies', {
      fullName: 'ren_oauthPlcy',
      externalClientApplication: 'ren',
      label: 'ren_oauthPlcy',
      permittedUsersPolicyType: 'AdminApprovedPreAuthorized',
      commaSeparatedPermissionSet: 'Ren_Users',
      refreshTokenPolicyType: 'Infinite',
    });
    expect(result).to.include({ success: true, created: false, fullName: 'ren_oauthPlcy' });
    const stored = env.emulator.org.getComponent('ExtlClntAppOauthConfigurablePolicies', 'ren_oauthPlcy')?.record;
    // The lists are additive (reading additiveAccessLists): the profile the deploy granted stays.
    expect(stored).to.include({ commaSeparatedPermissionSet: 'Ren_Users', commaSeparatedProfile: 'Sales' });
  });

  it('upsertMetadata reports validation problems per record', async () => {
    const result = await metadataCrud(env.conn).upsert('ExtlClntAppOauthConfigurablePolicies', {
      fullName: 'ren_oauthPlcy',
      externalClientApplication: 'ren',
      commaSeparatedPermissionSet: 'Nope_Set',
    });
    expect(result.success).to.equal(false);
    const errors = result.errors as Array<Record<string, unknown>>;
    expect(errors).to.have.length(1);
    expect(errors[0]).to.deep.include({
      fields: ['commaSeparatedPermissionSet'],
      message: "We couldn't find permission sets called Nope_Set",
      statusCode: 'INVALID_FIELD',
    });
  });

  it('a record that does not fit the schema is a SOAP fault', async () => {
    const error = await metadataCrud(env.conn)
      .upsert('ExternalClientApplication', {
        fullName: 'ren',
        label: 'Ren',
        contactEmail: 'a@b.co',
        distributionState: 'Everywhere',
      })
      .then(
        () => undefined,
        (err: Error) => err,
      );
    expect(error?.message).to.equal("'Everywhere' is not a valid value for the enum 'ExtlClntAppDistState'");
  });

  it('updateMetadata changes a setting field and keeps the others', async () => {
    const result = await metadataCrud(env.conn).update('ExternalClientAppSettings', {
      fullName: 'ExternalClientApp',
      enableClientSecretInRestApiAccess: true,
    });
    expect(result.success).to.equal(true);
    expect(env.emulator.org.settings.ExternalClientAppSettings).to.include({
      enableClientSecretInRestApiAccess: true,
      enableConsumerSecretApiAccess: false,
    });
  });

  it('updateMetadata of a missing component fails', async () => {
    const result = await metadataCrud(env.conn).update('ExternalClientApplication', {
      fullName: 'nope',
      label: 'Nope',
      contactEmail: 'a@b.co',
    });
    expect(result.success).to.equal(false);
    expect((result.errors as Array<Record<string, unknown>>)[0]).to.include({
      statusCode: 'INVALID_CROSS_REFERENCE_KEY',
      message: 'In field: fullName - no ExternalClientApplication named nope found',
    });
  });

  it('createMetadata refuses an existing name and creates a new app', async () => {
    const dup = await metadataCrud(env.conn).create('ExternalClientApplication', {
      fullName: 'ren',
      label: 'Ren',
      contactEmail: 'a@b.co',
    });
    expect(dup.success).to.equal(false);
    const created = await metadataCrud(env.conn).create('ExternalClientApplication', {
      fullName: 'other',
      label: 'Other',
      contactEmail: 'a@b.co',
    });
    expect(created.success).to.equal(true);
    expect(env.emulator.org.getComponent('ExternalClientApplication', 'other')).to.not.equal(undefined);
  });

  it('deleteMetadata deletes an app and its children', async () => {
    const result = await env.conn.metadata.delete('ExternalClientApplication', 'ren');
    expect(result.success).to.equal(true);
    expect(env.emulator.org.components('ExtlClntAppOauthSettings')).to.have.length(0);
  });

  it('retrieve returns an mdapi zip without the consumer secret', async () => {
    const result = await env.conn.metadata
      .retrieve({
        apiVersion: '64.0',
        singlePackage: true,
        unpackaged: {
          types: [
            { name: 'ExternalClientApplication', members: ['ren'] },
            { name: 'ExtlClntAppGlobalOauthSettings', members: ['*'] },
            { name: 'Settings', members: ['OauthOidc'] },
            { name: 'ExtlClntAppOauthSettings', members: ['missing'] },
          ],
          version: '64.0',
        },
      } as never)
      .complete();
    expect(result.success).to.equal(true);
    expect(result.id).to.match(/^09S/);
    const files = await JSZip.loadAsync(Buffer.from(result.zipFile, 'base64'));
    expect(
      Object.values(files.files)
        .filter((f) => !f.dir)
        .map((f) => f.name)
        .sort(),
    ).to.deep.equal([
      'externalClientApps/ren.eca',
      'extlClntAppGlobalOauthSets/ren_glbloauth.ecaGlblOauth',
      'package.xml',
      'settings/OauthOidc.settings',
    ]);
    const global = await files.file('extlClntAppGlobalOauthSets/ren_glbloauth.ecaGlblOauth')?.async('string');
    expect(global).to.include('<consumerKey>3MVG9');
    expect(global).to.not.include('consumerSecret');
    expect(global).to.not.include(env.emulator.org.consumerForApp('ren')?.secret ?? 'x');
    const app = await files.file('externalClientApps/ren.eca')?.async('string');
    expect(app).to.match(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<ExternalClientApplication xmlns="http:\/\/soap.sforce.com\/2006\/04\/metadata">\n {4}<contactEmail>/,
    );
    const messages = ([] as Array<{ problem: string }>).concat((result as unknown as { messages: [] }).messages ?? []);
    expect(messages.map((m) => m.problem)).to.include(
      "Entity of type 'ExtlClntAppOauthSettings' named 'missing' cannot be found",
    );
  });

  it('SDR deploys source-format ECA metadata through the emulator', async () => {
    env.emulator.reset();
    const dir = mkdtempSync(join(tmpdir(), 'emulator-sdr-'));
    try {
      const mdapi = renPackage();
      const folders: Record<string, string> = {};
      for (const [path, content] of Object.entries(mdapi)) {
        if (path === 'package.xml') continue;
        const [folder, file] = path.split('/');
        folders[folder] = folder;
        mkdirSync(join(dir, folder), { recursive: true });
        writeFileSync(join(dir, folder, `${file}-meta.xml`), content);
      }
      const set = ComponentSet.fromSource(dir);
      expect(set.size).to.equal(5);
      const deploy = await set.deploy({ usernameOrConnection: env.conn, apiOptions: { rollbackOnError: true } });
      const result = await deploy.pollStatus({
        frequency: { milliseconds: 50 } as never,
        timeout: { milliseconds: 10_000 } as never,
      } as never);
      expect(result.response.status).to.equal('Succeeded');
      const states = result.getFileResponses().map((r) => `${r.type}:${r.fullName}:${r.state}`);
      expect(states).to.include('ExternalClientApplication:ren:Created');
      expect(env.emulator.org.getComponent('ExtlClntAppOauthConfigurablePolicies', 'ren_oauthPlcy')).to.not.equal(
        undefined,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
