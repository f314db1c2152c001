import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect } from 'chai';
import type { SfError } from '@salesforce/core';
import { useEmulatorOrg } from '../emulatorOrg.js';
import { useOfflineOrg } from '../offlineOrg.js';
import { useTerminal } from '../terminal.js';
import { REN_KEY, REN_SECRET, readHandoff, renOrgSeed } from '../../../e2e/renOrg.js';
import RenConnect from '../../../../src/commands/ren/connect.js';

const secretsOn = { settings: { ExternalClientAppSettings: { enableClientSecretInRestApiAccess: true } } };
const freshFile = (): string => join(mkdtempSync(join(tmpdir(), 'ren-connect-')), 'ren.json');

describe('sf ren connect (unit)', () => {
  const terminal = useTerminal();
  const savedToken = process.env.REN_API_TOKEN;
  afterEach(() => {
    if (savedToken === undefined) delete process.env.REN_API_TOKEN;
    else process.env.REN_API_TOKEN = savedToken;
  });

  describe('before the org is contacted', () => {
    const offline = useOfflineOrg();
    const runExpectingError = (args: string[]): Promise<SfError> => offline.runExpectingError(RenConnect, args);
    const argv = (...args: string[]): string[] => ['--target-org', offline.testOrg.username, ...args];

    it('needs a hand-off mode', async () => {
      const error = await runExpectingError([]);
      expect(error.name).to.equal('RenNoHandoffError');
      expect(offline.ours()).to.deep.equal([]);
    });

    it('checks --login-url and --ren-url before anything else', async () => {
      const login = await runExpectingError([
        '--show-secret',
        '--no-prompt',
        '--login-url',
        'https://acme.my.salesforce.com/path',
      ]);
      expect(login.name).to.equal('RenBadUrlError');
      expect(login.message).to.include('--login-url').and.include('without a path');
      process.env.REN_API_TOKEN = 'tok';
      const ren = await runExpectingError(['--ren-url', 'http://ren.example.com/x']);
      expect(ren.name).to.equal('RenBadUrlError');
      expect(ren.message).to.include('--ren-url').and.include('must use https');
      expect(offline.ours()).to.deep.equal([]);
    });

    it('--force needs --output-file', async () => {
      expect((await runExpectingError(['--show-secret', '--force'])).message).to.match(/--output-file/);
      expect(offline.ours()).to.deep.equal([]);
    });

    it('checks --handoff-command before the org is contacted; --handoff-format needs it', async () => {
      const unbalanced = await runExpectingError(['--handoff-command', 'vault kv put "secret/ren -']);
      expect(unbalanced.name).to.equal('RenHandoffCommandInvalidError');
      expect(unbalanced.message).to.include('never closed');
      const missing = await runExpectingError(['--handoff-command', 'no-such-program-ren-test put']);
      expect(missing.name).to.equal('RenHandoffProgramNotFoundError');
      expect((await runExpectingError(['--output-file', 'x.json', '--handoff-format', 'aws'])).message).to.match(
        /--handoff-command/,
      );
      expect((await runExpectingError(['--handoff-command', 'x', '--handoff-format', 'yaml'])).message).to.include(
        'ren, aws, env',
      );
      expect(offline.ours()).to.deep.equal([]);
    });

    it('refuses an --output-file that exists (without --force) or is a folder, and leaves it alone', async () => {
      const file = freshFile();
      writeFileSync(file, 'keep me');
      const exists = await runExpectingError(['--output-file', file]);
      expect(exists.name).to.equal('RenOutputExistsError');
      expect(readFileSync(file, 'utf8')).to.equal('keep me');
      const folder = await runExpectingError(['--output-file', dirname(file)]);
      expect(folder.name).to.equal('RenOutputIsDirectoryError');
      expect(offline.ours()).to.deep.equal([]);
    });

    it('--show-secret: a no at the terminal is a plain exit, and the org is not asked anything', async () => {
      terminal(true);
      offline.prompter.confirm.resolves(false);
      const result = await RenConnect.run(argv('--show-secret'));
      expect(offline.prompter.confirm.firstCall.args[0].message).to.equal(
        `The consumer secret of ren in ${offline.testOrg.username} will be shown in plain text. Do you want to continue?`,
      );
      expect(result).to.deep.equal({
        app: 'ren',
        status: 'declined',
        orgId: offline.testOrg.orgId,
        handedOffTo: [],
        secretAccess: { openedForRead: false },
        warnings: [],
      });
      expect(offline.ux.log.args.flat()).to.deep.equal(['You answered no: nothing was done.']);
      expect(process.exitCode ?? 0).to.equal(0);
      expect(offline.ours()).to.deep.equal([]);
    });

    it('--show-secret: --json never asks and refuses without --no-prompt', async () => {
      terminal(true);
      offline.prompter.confirm.resolves(true);
      const error = await runExpectingError(['--show-secret', '--json']);
      expect(error.name).to.equal('RenNeedsConsentError');
      expect(error.message).to.include('show the consumer secret in plain text').and.include('--json never asks');
      expect(error.actions?.join('\n')).to.include(
        `sf ren connect --target-org ${offline.testOrg.username} --show-secret --no-prompt`,
      );
      expect(offline.prompter.confirm.called).to.equal(false);
      expect(offline.ours()).to.deep.equal([]);
    });

    it('--show-secret: refuses without a terminal unless --no-prompt', async () => {
      terminal(false);
      const error = await runExpectingError(['--show-secret']);
      expect(error.name).to.equal('RenNeedsConsentError');
      expect(error.message).to.include('there is no terminal');
      expect(offline.prompter.confirm.called).to.equal(false);
      expect(offline.ours()).to.deep.equal([]);
    });

    it('--rotate: asks naming where the new secret goes; a no changes nothing and writes no file', async () => {
      terminal(true);
      offline.prompter.confirm.resolves(false);
      const file = freshFile();
      const result = await RenConnect.run(argv('--rotate', '--output-file', file));
      const question = offline.prompter.confirm.firstCall.args[0].message;
      expect(question).to.include(
        `Rotate the consumer secret of ren in ${offline.testOrg.username} (this run hands the new one to ${file})?`,
      );
      expect(question).to.include('Do you want to continue?');
      expect(result.status).to.equal('declined');
      expect(existsSync(file)).to.equal(false);
      expect(offline.ours()).to.deep.equal([]);
    });

    it('--rotate: the question reads as a sentence and names where the new pair goes', async () => {
      terminal(true);
      offline.prompter.confirm.resolves(false);
      const file = freshFile();
      await RenConnect.run(argv('--rotate', '--output-file', file));
      expect(offline.prompter.confirm.firstCall.args[0].message).to.equal(
        `Rotate the consumer secret of ren in ${offline.testOrg.username} (this run hands the new one to ${file})? ` +
          'Where the org offers staged credentials the previous key and secret keep working until you revoke them; ' +
          'where it does not, the previous secret stops working at once and Ren cannot connect until it has the new ' +
          'one. Do you want to continue?',
      );
    });

    it('--rotate: --json and no terminal refuse without --no-prompt; the fix repeats the run', async () => {
      const file = freshFile();
      terminal(true);
      const json = await runExpectingError(['--rotate-key', '--output-file', file, '--json']);
      expect(json.name).to.equal('RenNeedsConsentError');
      expect(json.actions?.join('\n')).to.include(
        `sf ren connect --target-org ${offline.testOrg.username} --output-file ${file} --rotate-key --no-prompt`,
      );
      terminal(false);
      const script = await runExpectingError(['--rotate', '--output-file', file]);
      expect(script.message).to.include('rotate the consumer secret').and.include('there is no terminal');
      expect(offline.prompter.confirm.called).to.equal(false);
      expect(offline.ours()).to.deep.equal([]);
    });
  });

  describe('against an org', () => {
    const org = useEmulatorOrg(() => renOrgSeed({}, secretsOn));
    const printed = (): string =>
      JSON.stringify([org.ux.log.args, org.ux.logSuccess.args, org.ux.table.args, org.ux.warn.args]);

    it('--output-file --json: the typed result with the secret masked, the pair in a 0600 file', async () => {
      const file = freshFile();
      const result = await RenConnect.run(org.argv('--output-file', file, '--json'));
      expect(result).to.deep.equal({
        app: 'ren',
        status: 'handed-off',
        loginUrl: org.emulator.url,
        consumerKey: REN_KEY,
        consumerSecret: '***',
        orgId: org.emulator.org.organization.Id,
        handedOffTo: [file],
        rotated: undefined,
        secretAccess: { before: true, openedForRead: false },
        warnings: [],
      });
      expect(readHandoff(file)).to.deep.equal({
        loginUrl: org.emulator.url,
        consumerKey: REN_KEY,
        consumerSecret: REN_SECRET,
        orgId: org.emulator.org.organization.Id,
      });
      expect(statSync(file).mode & 0o777).to.equal(0o600);
    });

    it('a mistyped --app: RenAppNotFoundError says which app is close; nothing is written', async () => {
      const file = freshFile();
      const error = await org.runExpectingError(RenConnect, ['--app', 'rne', '--output-file', file]);
      expect(error.name).to.equal('RenAppNotFoundError');
      expect(error.message).to.include('(did you mean "ren"?)');
      expect(error.actions?.[0]).to.include(`--target-org ${org.testOrg.username} --app rne`);
      expect(existsSync(file)).to.equal(false);
    });

    it('shows the credentials as a table with the secret masked, then where they went', async () => {
      const file = freshFile();
      await RenConnect.run(org.argv('--output-file', file));
      expect(org.ux.logSuccess.args.flat()).to.deep.equal(["Ren's credentials for External Client App ren:"]);
      expect(org.ux.table.firstCall.args[0].data).to.deep.equal([
        { Field: 'Login URL', Value: org.emulator.url },
        { Field: 'Consumer Key', Value: REN_KEY },
        { Field: 'Consumer Secret', Value: '***' },
        { Field: 'Org Id', Value: org.emulator.org.organization.Id },
      ]);
      expect(org.ux.log.args.flat()).to.deep.equal([
        `Handed off to: ${file}`,
        `Next: check the org end to end, the live login probe included: sf ren app status --target-org ${org.testOrg.username}`,
      ]);
      expect(printed()).to.not.include(REN_SECRET);
    });

    it('--show-secret: a yes at the terminal shows the secret, with a warning', async () => {
      terminal(true);
      org.prompter.confirm.resolves(true);
      const result = await RenConnect.run(org.argv('--show-secret'));
      expect(org.prompter.confirm.callCount).to.equal(1);
      expect(result.consumerSecret).to.equal(REN_SECRET);
      expect(result.handedOffTo).to.deep.equal([]);
      expect(org.ux.warn.args.flat()).to.include(
        "The consumer secret is shown in plain text. Make sure no one else can see this output, and don't keep it in logs.",
      );
      expect(org.ux.table.firstCall.args[0].data).to.deep.include({ Field: 'Consumer Secret', Value: REN_SECRET });
    });

    it('--show-secret --no-prompt --json never asks', async () => {
      terminal(false);
      const result = await RenConnect.run(org.argv('--show-secret', '--no-prompt', '--json'));
      expect(org.prompter.confirm.called).to.equal(false);
      expect(result.consumerSecret).to.equal(REN_SECRET);
    });

    it('--rotate where the org offers no staged credentials: a yes issues a new secret by deploy and hands it off', async () => {
      terminal(true);
      org.prompter.confirm.resolves(true);
      const file = freshFile();
      const result = await RenConnect.run(org.argv('--rotate', '--api-version', '64.0', '--output-file', file));
      expect(result.rotated).to.deep.include({ method: 'deploy', previousRevoked: true });
      const handed = readHandoff(file);
      expect(handed.consumerKey).to.equal(REN_KEY);
      expect(handed.consumerSecret).to.not.equal(REN_SECRET);
      expect(handed.consumerSecret).to.equal(org.emulator.org.consumerForApp('ren')?.secret);
      expect(org.ux.logSuccess.args.flat()).to.deep.equal(['New credentials of External Client App ren:']);
      expect(org.ux.log.args.flat()).to.include('The previous consumer secret no longer works.');
      expect(printed()).to.not.include(handed.consumerSecret);
    });

    it('--rotate --no-prompt --json where the org offers no staged credentials: rotated.key says false', async () => {
      const result = await RenConnect.run(
        org.argv('--rotate', '--no-prompt', '--api-version', '64.0', '--output-file', freshFile(), '--json'),
      );
      expect(result.rotated).to.deep.include({ method: 'deploy', key: false, previousRevoked: true });
    });

    it('opens the secret setting for the read with --allow-secret-access and says it is off again', async () => {
      org.emulator.reset(renOrgSeed());
      const file = freshFile();
      const result = await RenConnect.run(org.argv('--output-file', file, '--allow-secret-access'));
      expect(result.secretAccess).to.deep.equal({ before: false, openedForRead: true });
      expect(org.emulator.org.settings.ExternalClientAppSettings.enableClientSecretInRestApiAccess).to.equal(false);
      expect(org.ux.log.args.flat()).to.include(
        'The org setting "Allow access to External Client App consumer secrets via REST API" was turned on for the ' +
          'read and is off again.',
      );
    });

    it('refuses when the setting is off and --allow-secret-access was not given: nothing written', async () => {
      org.emulator.reset(renOrgSeed());
      const file = freshFile();
      const error = await org.runExpectingError(RenConnect, ['--output-file', file]);
      expect(error.name).to.equal('RenSecretAccessOffError');
      expect(existsSync(file)).to.equal(false);
      expect(org.writes()).to.deep.equal([]);
    });
  });
});
