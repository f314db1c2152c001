/*
 * End to end: `sf ren connect` through the real sf, against the emulator holding Ren's app (renOrgSeed). Each
 * hand-off mode, masking, the org setting for reading secrets (refused, opened and put back, also after a failed
 * read and after SIGTERM), permissions, the Ren endpoint's answers, and the errors that must change nothing.
 */
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { useConnectSession } from './connectSession.js';
import {
  REN_KEY,
  REN_SECRET,
  readHandoff,
  renOrgSeed,
  secretAccessSetting,
  soapCalls,
  spawnSf,
  waitFor,
} from './renOrg.js';

const TOKEN = 'ren-e2e-token-7f3a9c';
/** A fault rule path (a regular expression) that matches only the key-and-secret read of a consumer. */
const SECRET_READ = '/^\\/services\\/data\\/v[\\d.]+\\/apps\\/oauth\\/credentials\\/\\w+\\/\\w+$/';
const secretsOn = { settings: { ExternalClientAppSettings: { enableClientSecretInRestApiAccess: true } } };

describe('sf ren connect (end to end, real sf + emulator)', function () {
  this.timeout(240_000);
  const fx = useConnectSession();
  const connect = fx.connect;
  const freshFile = fx.freshFile;

  describe('hand-off modes', () => {
    it('--output-file: the exact login URL, key and secret in a 0600 file; the secret is masked in the output', async () => {
      fx.session.emulator.reset(renOrgSeed({}, secretsOn));
      const file = freshFile();
      const run = await connect(['--output-file', file]);
      expect(run.code, run.stderr).to.equal(0);
      expect(readHandoff(file)).to.deep.equal({
        loginUrl: fx.session.emulator.url,
        consumerKey: REN_KEY,
        consumerSecret: REN_SECRET,
        orgId: fx.session.emulator.org.organization.Id,
      });
      expect(statSync(file).mode & 0o777).to.equal(0o600);
      expect(run.stdout).to.include(REN_KEY);
      expect(run.stdout).to.include('***');
      expect(`${run.stdout}${run.stderr}`).to.not.include(REN_SECRET);
      expect(run.stdout).to.include(`Handed off to: ${file}`);
    });

    it('--json: the secret is masked, the result names where it went', async () => {
      fx.session.emulator.reset(renOrgSeed({}, secretsOn));
      const file = freshFile();
      const run = await connect(['--output-file', file, '--json']);
      expect(run.code, run.stderr).to.equal(0);
      expect(run.body.result).to.deep.include({
        app: 'ren',
        loginUrl: fx.session.emulator.url,
        consumerKey: REN_KEY,
        consumerSecret: '***',
        orgId: fx.session.emulator.org.organization.Id,
        handedOffTo: [file],
      });
      expect(`${run.stdout}${run.stderr}`).to.not.include(REN_SECRET);
    });

    it('--ren-url: POSTs the credentials with the bearer token from REN_API_TOKEN', async () => {
      fx.session.emulator.reset(renOrgSeed({}, secretsOn));
      const run = await connect(['--ren-url', fx.receiver.url, '--json'], { REN_API_TOKEN: TOKEN });
      expect(run.code, run.stderr).to.equal(0);
      expect(fx.receiver.received).to.have.length(1);
      const [request] = fx.receiver.received;
      expect(request.method).to.equal('POST');
      expect(request.headers.authorization).to.equal(`Bearer ${TOKEN}`);
      expect(request.headers['content-type']).to.equal('application/json');
      expect(request.body).to.deep.equal({
        loginUrl: fx.session.emulator.url,
        consumerKey: REN_KEY,
        consumerSecret: REN_SECRET,
        orgId: fx.session.emulator.org.organization.Id,
      });
      expect(run.body.result?.handedOffTo).to.deep.equal([fx.receiver.url]);
      expect(`${run.stdout}${run.stderr}`).to.not.include(REN_SECRET).and.not.include(TOKEN);
    });

    it('--ren-url: the token can come on stdin instead', async () => {
      fx.session.emulator.reset(renOrgSeed({}, secretsOn));
      const run = await connect(['--ren-url', fx.receiver.url], { REN_API_TOKEN: undefined }, `${TOKEN}\n`);
      expect(run.code, run.stderr).to.equal(0);
      expect(fx.receiver.received[0].headers.authorization).to.equal(`Bearer ${TOKEN}`);
    });

    it('--ren-url without a token: refused before the org is asked anything', async () => {
      const before = fx.session.emulator.requests.length;
      const run = await connect(['--ren-url', fx.receiver.url, '--json'], { REN_API_TOKEN: undefined }, '');
      expect(run.code).to.not.equal(0);
      expect(run.body.name).to.equal('RenTokenMissingError');
      expect(fx.session.emulator.requests.length).to.equal(before);
      expect(fx.receiver.received).to.have.length(0);
    });

    it('--ren-url over plain http to another host is refused', async () => {
      const run = await connect(['--ren-url', 'http://ren.example.com/api', '--json'], { REN_API_TOKEN: TOKEN });
      expect(run.code).to.not.equal(0);
      expect(run.body.name).to.equal('RenBadUrlError');
      expect(run.body.message).to.include('--ren-url');
    });

    it('--show-secret with --no-prompt prints the secret with a warning; without a terminal or with --json only --no-prompt agrees', async () => {
      fx.session.emulator.reset(renOrgSeed({}, secretsOn));
      const run = await connect(['--show-secret', '--no-prompt']);
      expect(run.code, run.stderr).to.equal(0);
      expect(run.stdout).to.include(REN_SECRET);
      expect(run.stderr).to.match(/consumer secret is shown in plain text/i);
      const json = await connect(['--show-secret', '--no-prompt', '--json']);
      expect(json.body.result?.consumerSecret).to.equal(REN_SECRET);
      for (const args of [['--show-secret'], ['--show-secret', '--json']]) {
        // eslint-disable-next-line no-await-in-loop
        const refused = await connect(args);
        expect(refused.code).to.equal(1);
        expect(`${refused.stdout}${refused.stderr}`).to.include('RenNeedsConsentError').and.include('--no-prompt');
        expect(`${refused.stdout}${refused.stderr}`).not.to.include(REN_SECRET);
      }
    });

    it('an app with several consumers: the one named after the app is handed off, and a warning says so', async () => {
      fx.session.emulator.reset(
        renOrgSeed(
          {},
          {
            ...secretsOn,
            consumers: [{ app: 'ren', name: 'ren_mobile', key: '3MVG9mobile', secret: 'MOBILE_SECRET' }],
          },
        ),
      );
      const file = freshFile();
      const run = await connect(['--output-file', file, '--json']);
      expect(run.code, run.stderr).to.equal(0);
      expect(readHandoff(file)).to.include({ consumerKey: REN_KEY, consumerSecret: REN_SECRET });
      expect(run.body.warnings?.join('\n')).to.include('2 OAuth consumers').and.include('"ren"');
    });

    it('no hand-off mode: an error, and the org is not asked anything', async () => {
      const before = fx.session.emulator.requests.length;
      const run = await connect(['--json']);
      expect(run.code).to.not.equal(0);
      expect(run.body.name).to.equal('RenNoHandoffError');
      expect(run.body.actions?.join('\n')).to.include('--output-file');
      expect(fx.session.emulator.requests.length).to.equal(before);
    });
  });

  describe('the org setting "Allow access to External Client App consumer secrets via REST API"', () => {
    it('off, without --allow-secret-access: an error naming the setting and the flag; nothing written', async () => {
      const file = freshFile();
      const from = fx.session.emulator.requests.length;
      const run = await connect(['--output-file', file, '--json']);
      expect(run.code).to.not.equal(0);
      expect(run.body.name).to.equal('RenSecretAccessOffError');
      expect(run.body.message).to.include('Allow access to External Client App consumer secrets via REST API');
      expect(run.body.actions?.join('\n')).to.include('--allow-secret-access');
      expect(() => statSync(file)).to.throw();
      expect(soapCalls(fx.session, from)).to.not.include('updateMetadata');
      expect(secretAccessSetting(fx.session)).to.equal(false);
    });

    it('off, with --allow-secret-access: opened for the read and put back; the output says so', async () => {
      const file = freshFile();
      const from = fx.session.emulator.requests.length;
      const run = await connect(['--output-file', file, '--allow-secret-access']);
      expect(run.code, run.stderr).to.equal(0);
      expect(readHandoff(file).consumerSecret).to.equal(REN_SECRET);
      expect(soapCalls(fx.session, from).filter((m) => m === 'updateMetadata')).to.have.length(2);
      expect(secretAccessSetting(fx.session)).to.equal(false);
      expect(run.stdout).to.include('is off again');
    });

    it('already on: left alone (no write), even with --allow-secret-access', async () => {
      fx.session.emulator.reset(renOrgSeed({}, secretsOn));
      const from = fx.session.emulator.requests.length;
      const run = await connect(['--output-file', freshFile(), '--allow-secret-access', '--json']);
      expect(run.code, run.stderr).to.equal(0);
      expect(run.body.result?.secretAccess).to.deep.equal({ before: true, openedForRead: false });
      expect(soapCalls(fx.session, from)).to.not.include('updateMetadata');
      expect(secretAccessSetting(fx.session)).to.equal(true);
    });

    it('put back after a failed read (a fault on the credentials read); nothing written', async () => {
      const file = freshFile();
      fx.session.emulator.faults.add({ match: { path: SECRET_READ }, fault: 'http-500' });
      const run = await connect(['--output-file', file, '--allow-secret-access', '--json']);
      expect(run.code).to.not.equal(0);
      expect(run.body.name).to.equal('RenOrgUnavailableError');
      expect(secretAccessSetting(fx.session)).to.equal(false);
      expect(() => statSync(file)).to.throw();
      expect(`${run.stdout}${run.stderr}`).to.not.include(REN_SECRET);
    });

    it('the org answers 503 once on the secret read: retried, handed off, the setting put back', async () => {
      const file = freshFile();
      fx.session.emulator.faults.add({ match: { path: SECRET_READ }, fault: 'http-503', times: 1 });
      const from = fx.session.emulator.requests.length;
      const run = await connect(['--output-file', file, '--allow-secret-access']);
      expect(run.code, run.stderr).to.equal(0);
      expect(readHandoff(file).consumerSecret).to.equal(REN_SECRET);
      const reads = fx.session.emulator.requests
        .slice(from)
        .filter((r) => new RegExp(SECRET_READ.slice(1, -1)).test(r.path));
      expect(reads.map((r) => r.status)).to.deep.equal([503, 200]);
      expect(secretAccessSetting(fx.session)).to.equal(false);
    });

    it('put back after SIGTERM while the read is slow; nothing written', async () => {
      const file = freshFile();
      fx.session.emulator.faults.add({ match: { path: SECRET_READ }, fault: 'delay', delayMs: 30_000 });
      const from = fx.session.emulator.requests.length;
      const sf = spawnSf(fx.session, [
        'ren',
        'connect',
        '--target-org',
        fx.session.alias,
        '--output-file',
        file,
        '--allow-secret-access',
      ]);
      // The setting is open and the key-and-secret read is under way.
      const reading = (): boolean =>
        fx.session.emulator.requests.slice(from).some((r) => new RegExp(SECRET_READ.slice(1, -1)).test(r.path));
      await waitFor(() => secretAccessSetting(fx.session) === true && reading(), 'the read');
      sf.child.kill('SIGTERM');
      const exit = await sf.done;
      expect(exit.code, sf.output().stderr).to.equal(143);
      expect(secretAccessSetting(fx.session)).to.equal(false);
      expect(sf.output().stderr).to.include('is back to off (read back from the org)');
      expect(() => statSync(file)).to.throw();
    });
  });

  describe('failures that change nothing', () => {
    it('a user without "View Client Secret": the missing permission is named', async () => {
      fx.session.emulator.reset(
        renOrgSeed(
          {},
          {
            ...secretsOn,
            profiles: [
              {
                Name: 'System Administrator',
                permissions: {
                  PermissionsApiEnabled: true,
                  PermissionsModifyAllData: true,
                  PermissionsCustomizeApplication: true,
                  PermissionsExternalClientAppDeveloper: true,
                  PermissionsExternalClientAppAdmin: true,
                  PermissionsViewSetup: true,
                },
              },
              { Name: 'Sales' },
            ],
          },
        ),
      );
      const file = freshFile();
      const run = await connect(['--output-file', file, '--json']);
      expect(run.code).to.not.equal(0);
      expect(run.body.name).to.equal('RenSecretPermissionError');
      expect(run.body.message).to.include('View Client Secret').and.include('ViewClientSecret');
      expect(run.body.message).to.not.include('ExternalClientAppDeveloper');
      expect(() => statSync(file)).to.throw();
    });

    it('Ren answers 503 once, then accepts: retried, handed off', async () => {
      fx.session.emulator.reset(renOrgSeed({}, secretsOn));
      fx.receiver.answer([503]);
      const run = await connect(['--ren-url', fx.receiver.url, '--json'], { REN_API_TOKEN: TOKEN });
      expect(run.code, run.stderr).to.equal(0);
      expect(fx.receiver.received).to.have.length(2);
      expect(run.body.result?.handedOffTo).to.deep.equal([fx.receiver.url]);
    });

    it('Ren answers 401: the status is shown, the token never', async () => {
      fx.session.emulator.reset(renOrgSeed({}, secretsOn));
      fx.receiver.answer([401]);
      const run = await connect(['--ren-url', fx.receiver.url], { REN_API_TOKEN: TOKEN });
      expect(run.code).to.not.equal(0);
      expect(fx.receiver.received).to.have.length(1);
      expect(run.stderr).to.include('RenHandoffRejectedError').and.include('401');
      expect(`${run.stdout}${run.stderr}`).to.not.include(TOKEN).and.not.include(REN_SECRET);
    });

    it('an existing file is refused without --force (and left as it is), replaced with it', async () => {
      fx.session.emulator.reset(renOrgSeed({}, secretsOn));
      const file = freshFile();
      writeFileSync(file, 'keep me');
      const refused = await connect(['--output-file', file, '--json']);
      expect(refused.code).to.not.equal(0);
      expect(refused.body.name).to.equal('RenOutputExistsError');
      expect(refused.body.actions?.join('\n')).to.include('--force');
      expect(readFileSync(file, 'utf8')).to.equal('keep me');
      const forced = await connect(['--output-file', file, '--force']);
      expect(forced.code, forced.stderr).to.equal(0);
      expect(readHandoff(file).consumerSecret).to.equal(REN_SECRET);
      expect(statSync(file).mode & 0o777).to.equal(0o600);
    });

    it('a folder that does not exist: a clear error, no stack trace', async () => {
      const missing = join(fx.session.home, 'no-such-folder', 'ren.json');
      const run = await connect(['--output-file', missing]);
      expect(run.code).to.not.equal(0);
      expect(run.stderr).to.include('RenOutputDirMissingError').and.include(join(fx.session.home, 'no-such-folder'));
      expect(run.stderr).to.include('mkdir -p');
      expect(run.stderr).to.not.match(/\n\s+at .*\(.*:\d+:\d+\)/);
    });

    it('an app that does not exist points to sf ren app create', async () => {
      fx.session.emulator.reset({});
      const dir = join(fx.session.home, 'absent');
      mkdirSync(dir, { recursive: true });
      const run = await connect(['--output-file', join(dir, 'ren.json'), '--json']);
      expect(run.code).to.not.equal(0);
      expect(run.body.name).to.equal('RenAppNotFoundError');
      expect(run.body.actions?.join('\n')).to.include('sf ren app create');
    });
  });
});
