import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { SfError } from '@salesforce/core';
import { useEmulatorOrg } from '../../emulatorOrg.js';
import { useOfflineOrg } from '../../offlineOrg.js';
import { renOrgSeed } from '../../../../e2e/renOrg.js';
import RenAppCreate from '../../../../../src/commands/ren/app/create.js';

describe('sf ren app create (unit)', () => {
  describe('before the org is contacted', () => {
    const offline = useOfflineOrg();
    const { testOrg, ours, runExpectingError: failing } = offline;
    const runExpectingError = (args: string[]): Promise<SfError> => failing(RenAppCreate, args);

    it('rejects a non-https callback before contacting the org', async () => {
      const error = await runExpectingError(['--callback-url', 'http://app.rensystems.com/cb']);
      expect(error.name).to.equal('RenInvalidDefinitionError');
      expect(error.message).to.match(/--callback-url: "http:\/\/app.rensystems.com\/cb" must use https/);
      expect(ours()).to.deep.equal([]);
    });

    it('reports every bad value at once', async () => {
      const error = await runExpectingError([
        '--contact-email',
        'nope',
        '--app',
        'ren__x',
        '--scopes',
        'Basic,Telepathy',
      ]);
      expect(error.message).to.include('--contact-email').and.include('--app').and.include('Telepathy');
      expect(ours()).to.deep.equal([]);
    });

    it('names the flags the user typed, the file fields the file gave, and every rule a name breaks', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'ren-create-'));
      const file = join(dir, 'acme.json');
      await writeFile(file, JSON.stringify({ contactEmail: 'nope', refreshTokenValidityPeriod: 90 }));
      const error = await runExpectingError([
        '--definition',
        file,
        '-n',
        '1bad__name_',
        '--scopes',
        'api,refresh-token',
      ]);
      expect(error.message).to.include(
        '  - --app: must begin with a letter; must not end with an underscore; must not contain two consecutive underscores',
      );
      expect(error.message).to.include(`  - contactEmail (in ${file}): "nope" is not an email address`);
      expect(error.message).to.include('  - --scopes: unknown scope "refresh-token" (did you mean "RefreshToken"?)');
      expect(error.message).to.include(`  - refreshTokenValidityPeriod (in ${file}): is used only with`);
      expect(error.message).to.not.match(/- apiName:/);
      expect(ours()).to.deep.equal([]);
    });

    it("lists every value another vendor's app must give, all at once, and never uses Ren's", async () => {
      const error = await runExpectingError(['--label', 'Acme Sync', '--contact-email', 'it@acme.example']);
      expect(error.name).to.equal('RenInvalidDefinitionError');
      expect(error.message)
        .to.include('apiName: is required for another vendor')
        .and.include('callbackUrl: is required');
      expect(error.message).to.not.include('contactEmail');
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
      await writeFile(
        file,
        JSON.stringify({
          label: 'Acme',
          apiName: 'acme',
          contactEmail: 'it@acme.example',
          callbackUrl: 'https://acme.example/cb',
        }),
      );
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

    it('writes the files without an org, saying the names were not checked', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'ren-create-'));
      const out = join(dir, 'new-folder');
      const result = await RenAppCreate.run(['--output-dir', out, '--profile', 'sales']);
      expect(result).to.deep.include({ status: 'written', apiName: 'ren' });
      const policies = await readFile(
        join(out, 'extlClntAppOauthPolicies', 'ren_oauthPlcy.ecaOauthPlcy-meta.xml'),
        'utf8',
      );
      expect(policies).to.include('<commaSeparatedProfile>sales</commaSeparatedProfile>');
      expect(offline.ux.warn.args.flat().join('\n')).to.match(/names were written as typed and not checked: no org/);
      expect(ours()).to.deep.equal([]);
    });

    it('says nothing about names when there are none to check', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'ren-create-'));
      await RenAppCreate.run(['--output-dir', dir]);
      expect(offline.ux.warn.callCount).to.equal(0);
    });

    it('refuses an output folder whose parent does not exist, writing nothing', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'ren-create-'));
      const error = await runExpectingError(['--output-dir', join(dir, 'missing', 'out')]);
      expect(error.name).to.equal('RenOutputDirMissingError');
      expect(error.message).to.include(join(dir, 'missing'));
      expect(await readdir(dir)).to.deep.equal([]);
    });

    it('needs an org to deploy to when there is no --output-dir', async () => {
      const error = await RenAppCreate.run([]).then(
        () => expect.fail('expected an error'),
        (e: SfError) => e,
      );
      expect(error.name).to.equal('RenNoOrgError');
      expect(error.actions?.join('\n')).to.include('--output-dir');
    });

    it('does not accept --dry-run together with --output-dir', async () => {
      const error = await runExpectingError(['--dry-run', '--output-dir', tmpdir()]);
      expect(error.message).to.match(/cannot also be provided when using/);
      expect(ours()).to.deep.equal([]);
    });
  });

  describe('against an org', () => {
    const org = useEmulatorOrg(() => ({}));
    const appIn = (): unknown => org.emulator.org.getComponent('ExternalClientApplication', 'ren');

    it('--output-dir with an org looks the names up (the org spelling wins) and deploys nothing', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'ren-create-'));
      const result = await RenAppCreate.run(org.argv('--output-dir', dir, '--profile', 'sales'));
      expect(result.status).to.equal('written');
      const policies = await readFile(
        join(dir, 'extlClntAppOauthPolicies', 'ren_oauthPlcy.ecaOauthPlcy-meta.xml'),
        'utf8',
      );
      expect(policies).to.include('<commaSeparatedProfile>Sales</commaSeparatedProfile>');
      expect(org.ux.warn.callCount).to.equal(0);
      expect([...org.emulator.org.deploys.keys()]).to.deep.equal([]);
    });

    it("creates the app with every setting of Ren's guide and reports it", async () => {
      const result = await RenAppCreate.run(org.argv('--profile', 'sales'));
      expect(result).to.deep.include({ apiName: 'ren', label: 'Ren', status: 'created', dryRun: false });
      expect(result.deployId).to.equal([...org.emulator.org.deploys.keys()][0]);
      expect(result.id).to.match(/^0xI/);
      expect(appIn()).to.not.equal(undefined);
      const components = new Set(result.changes.map((c) => `${c.type} ${c.fullName}`));
      expect([...components]).to.have.members([
        'ExternalClientApplication ren',
        'ExtlClntAppOauthSettings ren_oauth',
        'ExtlClntAppGlobalOauthSettings ren_glbloauth',
        'ExtlClntAppConfigurablePolicies ren_plcy',
        'ExtlClntAppOauthConfigurablePolicies ren_oauthPlcy',
      ]);
      const profiles = result.changes.find((c) => c.field === 'commaSeparatedProfile');
      expect(profiles).to.deep.include({ type: 'ExtlClntAppOauthConfigurablePolicies', after: 'Sales' });
      expect(profiles?.before).to.equal(undefined);
      // The human output: the verdict, a row per field the user set (the guide's settings counted, bookkeeping
      // left out), the id and the next step.
      const target = org.testOrg.username;
      expect(org.ux.logSuccess.args.flat()).to.deep.equal([`Created External Client App Ren (ren) in ${target}.`]);
      const rows = org.ux.table.firstCall.args[0].data as Array<Record<string, string>>;
      expect(rows).to.deep.equal([
        {
          Component: 'ExtlClntAppOauthConfigurablePolicies ren_oauthPlcy',
          Field: 'commaSeparatedProfile',
          Before: '—',
          After: 'Sales',
        },
      ]);
      const bookkeeping = result.changes.filter(
        (c) =>
          ['externalClientApplication', 'isProtected'].includes(c.field) ||
          (c.field === 'label' && c.fullName !== 'ren'),
      );
      expect(bookkeeping).to.have.length(9);
      const asGuide = result.changes.length - bookkeeping.length - 1;
      expect(org.ux.log.args.flat()).to.deep.equal([
        `Not listed: ${asGuide} settings that are as Ren's guide has them (--json lists every field).`,
        `Id: ${result.id ?? ''}`,
        `Next: hand Ren the Login URL, Consumer Key and Consumer Secret: sf ren connect --target-org ${target} ` +
          '--output-file ren.json --allow-secret-access (or see them in Setup > External Client App Manager > Ren > ' +
          'Settings > OAuth Settings).',
      ]);
    });

    it("another vendor's app: the next step hands off that app (--app) and names that vendor", async () => {
      const dir = await mkdtemp(join(tmpdir(), 'ren-create-'));
      const file = join(dir, 'acme.json');
      await writeFile(
        file,
        JSON.stringify({
          label: 'Acme Sync',
          apiName: 'acme_sync',
          contactEmail: 'help@acme.example',
          callbackUrl: 'https://acme.example/cb',
        }),
      );
      await RenAppCreate.run(org.argv('--definition', file));
      const next = org.ux.log.args
        .flat()
        .map(String)
        .find((line) => line.startsWith('Next:'));
      expect(next).to.equal(
        `Next: hand Acme Sync the Login URL, Consumer Key and Consumer Secret: sf ren connect --target-org ${org.testOrg.username} ` +
          '--app acme_sync --output-file acme_sync.json --allow-secret-access (or see them in Setup > External Client App ' +
          'Manager > Acme Sync > Settings > OAuth Settings).',
      );
    });

    it('--dry-run validates with a check-only deploy and creates nothing', async () => {
      const result = await RenAppCreate.run(org.argv('--dry-run', '--json'));
      expect(result).to.deep.include({ status: 'created', dryRun: true });
      expect(org.emulator.org.deploys.get(result.deployId ?? '')?.options.checkOnly).to.equal(true);
      expect(appIn()).to.equal(undefined);
    });

    it('an org that already has the app as the guide says: unchanged, nothing deployed', async () => {
      org.emulator.reset(renOrgSeed());
      const result = await RenAppCreate.run(org.argv('--profile', 'Sales', '--json'));
      expect(result.status).to.equal('unchanged');
      expect(result.changes).to.deep.equal([]);
      expect(result.deployId).to.equal(undefined);
      expect(org.writes()).to.deep.equal([]);
    });

    it('refuses an API version below 64.0 and deploys nothing', async () => {
      const error = await org.runExpectingError(RenAppCreate, ['--api-version', '63.0']);
      expect(error.name).to.equal('RenApiVersionError');
      expect(org.writes()).to.deep.equal([]);
    });

    it('refuses an unknown profile with close matches and deploys nothing', async () => {
      const error = await org.runExpectingError(RenAppCreate, ['--profile', 'Sails']);
      expect(error.name).to.equal('RenUnknownNameError');
      expect(error.message).to.include('profile "Sails"').and.include('"Sales"');
      expect(org.writes()).to.deep.equal([]);
      expect(appIn()).to.equal(undefined);
    });
  });
});
