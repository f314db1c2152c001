import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { SfError } from '@salesforce/core';
import { useOfflineOrg } from '../../offlineOrg.js';
import RenAppCreate from '../../../../../src/commands/ren/app/create.js';

describe('sf ren app create (unit)', () => {
  const { testOrg, ours, runExpectingError: failing } = useOfflineOrg();
  const runExpectingError = (args: string[]): Promise<SfError> => failing(RenAppCreate, args);

  it('rejects a non-https callback before contacting the org', async () => {
    const error = await runExpectingError(['--callback-url', 'http://app.rensystems.com/cb']);
    expect(error.name).to.equal('RenInvalidDefinitionError');
    expect(error.message).to.match(/callbackUrl: "http:\/\/app.rensystems.com\/cb" must use https/);
    expect(ours()).to.deep.equal([]);
  });

  it('reports every bad value at once', async () => {
    const error = await runExpectingError([
      '--contact-email',
      'nope',
      '--api-name',
      'ren__x',
      '--scopes',
      'Basic,Telepathy',
    ]);
    expect(error.message).to.include('contactEmail').and.include('apiName').and.include('Telepathy');
    expect(ours()).to.deep.equal([]);
  });

  it('rejects a bad enum value through oclif before anything runs', async () => {
    const error = await runExpectingError(['--ip-relaxation', 'sometimes']);
    expect(error.message).to.match(/Expected --ip-relaxation=sometimes to be one of/);
    expect(ours()).to.deep.equal([]);
  });

  it('rejects a definition file with unknown fields, including a consumer key', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ren-create-'));
    const file = join(dir, 'vendor.json');
    await writeFile(file, JSON.stringify({ label: 'Acme', consumerKey: 'abc' }));
    const error = await runExpectingError(['--definition', file]);
    expect(error.name).to.equal('RenInvalidDefinitionError');
    expect(error.message).to.match(/consumerKey: is not a definition field \(Salesforce generates/);
    expect(ours()).to.deep.equal([]);
  });

  it('lets flags override the definition file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ren-create-'));
    const file = join(dir, 'vendor.json');
    await writeFile(file, JSON.stringify({ label: 'Acme', apiName: 'acme', callbackUrl: 'https://acme.example/cb' }));
    const result = await RenAppCreate.run([
      '--target-org',
      testOrg.username,
      '--definition',
      file,
      '--label',
      'Acme Sync',
      '--output-dir',
      join(dir, 'out'),
    ]);
    expect(result).to.deep.include({ apiName: 'acme', label: 'Acme Sync' });
    const app = await readFile(join(dir, 'out', 'externalClientApps', 'acme.eca-meta.xml'), 'utf8');
    expect(app).to.include('<label>Acme Sync</label>');
    const global = await readFile(
      join(dir, 'out', 'extlClntAppGlobalOauthSets', 'acme_glbloauth.ecaGlblOauth-meta.xml'),
      'utf8',
    );
    expect(global).to.include('<callbackUrl>https://acme.example/cb</callbackUrl>');
  });

  it('writes all five source files with --output-dir and deploys nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ren-create-'));
    const result = await RenAppCreate.run(['--target-org', testOrg.username, '--output-dir', dir]);
    // Nothing was created in any org: the result says what was done.
    expect(result.status).to.equal('written');
    expect(result.files).to.have.length(5);
    expect(result.deployId).to.equal(undefined);
    const oauth = await readFile(join(dir, 'extlClntAppOauthSettings', 'ren_oauth.ecaOauth-meta.xml'), 'utf8');
    expect(oauth).to.include('<commaSeparatedOauthScopes>Basic, Api, RefreshToken</commaSeparatedOauthScopes>');
    expect(ours()).to.deep.equal([]);
  });

  it('does not accept --dry-run together with --output-dir', async () => {
    const error = await runExpectingError(['--dry-run', '--output-dir', tmpdir()]);
    expect(error.message).to.match(/cannot also be provided when using/);
  });
});
