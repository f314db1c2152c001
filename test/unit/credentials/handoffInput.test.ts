import { mkdtemp, readdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { expect } from 'chai';
import sinon from 'sinon';
import type { SfError } from '@salesforce/core';
import {
  checkHandoffInput,
  checkOutputFile,
  prepareOutputDir,
  type HandoffInput,
} from '../../../src/credentials/handoffInput.js';
import { TOKEN_ENV } from '../../../src/credentials/token.js';

const failure = async (work: Promise<unknown>): Promise<SfError> =>
  work.then(
    () => expect.fail('should have failed'),
    (error: SfError) => error,
  );

const REN_URL = 'https://app.rensystems.com/api/salesforce/credentials';

describe('the hand-off input', () => {
  const saved = { token: process.env[TOKEN_ENV], tls: process.env.NODE_TLS_REJECT_UNAUTHORIZED };
  let dir: string;
  let askToken: sinon.SinonSpy<[], Promise<string>>;
  const check = (input: Partial<HandoffInput>, options?: { existingFileAllowed?: boolean }) =>
    checkHandoffInput({ force: false, dryRun: false, targets: '--output-file FILE', ...input }, askToken, options);

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ren-input-'));
    process.env[TOKEN_ENV] = 'env-token';
    delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    askToken = sinon.spy(async () => expect.fail('no prompt expected'));
  });
  afterEach(() => {
    for (const [name, value] of [
      [TOKEN_ENV, saved.token],
      ['NODE_TLS_REJECT_UNAUTHORIZED', saved.tls],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('needs somewhere to hand off to, unless the credentials go another way', async () => {
    const error = await failure(check({}));
    expect(error.name).to.equal('RenNoHandoffError');
    expect(error.actions?.join(' ')).to.include('--output-file');
    expect(await check({ otherWay: true })).to.deep.equal({
      file: undefined,
      dir: undefined,
      renUrl: undefined,
      loginUrl: undefined,
      token: undefined,
      command: undefined,
    });
    expect((await failure(check({ otherWay: false }))).name).to.equal('RenNoHandoffError');
  });

  it('a --handoff-command alone is a hand-off; it is split and its program found here, no token read', async () => {
    const checked = await check({ command: `"${process.execPath}" store.js {org}`, format: 'env' });
    expect(checked.command).to.deep.equal({ argv: [process.execPath, 'store.js', '{org}'], format: 'env' });
    expect(checked.token).to.equal(undefined);
    expect((await check({ command: `"${process.execPath}"` })).command?.format).to.equal('ren');
  });

  it('refuses a bad --handoff-command before the token is read or a folder is created', async () => {
    const outputDir = join(dir, 'handoffs');
    for (const [command, name] of [
      ['', 'RenHandoffCommandInvalidError'],
      ["gh secret set 'REN", 'RenHandoffCommandInvalidError'],
      ['no-such-program-ren-test x', 'RenHandoffProgramNotFoundError'],
    ]) {
      const error = await failure(check({ command, renUrl: REN_URL, outputDir }));
      expect(error.name, command).to.equal(name);
      expect(error.message).to.include('Nothing was read from the org');
    }
    expect(await readdir(dir)).to.deep.equal([]);
    expect(askToken.called).to.equal(false);
  });

  it('a bad --ren-url or --login-url: RenBadUrlError naming the flag, and nothing created', async () => {
    const outputDir = join(dir, 'handoffs');
    for (const [input, flag] of [
      [{ renUrl: 'http://app.rensystems.com/x' }, '--ren-url'],
      [{ renUrl: 'https://user:pw@app.rensystems.com/x' }, '--ren-url'],
      [{ renUrl: 'not a url' }, '--ren-url'],
      [{ renUrl: REN_URL, loginUrl: 'https://acme.my.salesforce.com/services' }, '--login-url'],
      [{ renUrl: REN_URL, loginUrl: 'http://acme.my.salesforce.com' }, '--login-url'],
    ] as const) {
      const error = await failure(check({ ...input, outputDir }));
      expect(error.name, JSON.stringify(input)).to.equal('RenBadUrlError');
      expect(error.message, JSON.stringify(input)).to.match(new RegExp(`^${flag}: `));
      expect(error.message).to.not.include('pw@');
    }
    expect(await readdir(dir)).to.deep.equal([]);
  });

  it('sends over plain http only to a literal loopback address: http://localhost is refused', async () => {
    for (const renUrl of ['http://127.0.0.1:8080/x', 'http://[::1]:8080/x', REN_URL]) {
      expect((await check({ renUrl })).renUrl, renUrl).to.equal(renUrl);
    }
    const error = await failure(check({ renUrl: 'http://localhost:8080/x' }));
    expect(error.name).to.equal('RenBadUrlError');
    expect(error.message).to.include('--ren-url').and.include('loopback');
  });

  it('refuses --ren-url while NODE_TLS_REJECT_UNAUTHORIZED=0 turns certificate checks off', async () => {
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
    const error = await failure(check({ renUrl: REN_URL }));
    expect(error.name).to.equal('RenTlsVerificationOffError');
    expect(error.actions?.join(' ')).to.include('NODE_EXTRA_CA_CERTS');
    // A file hand-off sends nothing over the network.
    expect((await check({ outputFile: join(dir, 'ren.json') })).file).to.equal(join(dir, 'ren.json'));
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '1';
    expect((await check({ renUrl: REN_URL })).token).to.equal('env-token');
  });

  it('reads the token only for --ren-url, and not in a dry run', async () => {
    expect((await check({ renUrl: REN_URL })).token).to.equal('env-token');
    expect((await check({ renUrl: REN_URL, dryRun: true })).token).to.equal(undefined);
    expect((await check({ outputFile: join(dir, 'ren.json') })).token).to.equal(undefined);
    expect(askToken.called).to.equal(false);
  });

  it('gives the login URL as its origin', async () => {
    const checked = await check({ renUrl: REN_URL, loginUrl: 'https://Acme.my.salesforce.com/' });
    expect(checked.loginUrl).to.equal('https://acme.my.salesforce.com');
  });

  it('checks --output-file: its folder exists, the file does not unless --force (or allowed), absolute', async () => {
    const file = join(dir, 'ren.json');
    const missing = await failure(checkOutputFile(join(dir, 'nope', 'ren.json'), false));
    expect(missing.name).to.equal('RenOutputDirMissingError');
    expect(missing.actions?.join(' ')).to.include(`mkdir -p ${join(dir, 'nope')}`);
    expect((await failure(checkOutputFile(dir, true))).name).to.equal('RenOutputIsDirectoryError');
    expect(await checkOutputFile(relative(process.cwd(), file), false)).to.equal(file);
    await writeFile(file, 'keep me');
    expect((await failure(checkOutputFile(file, false))).name).to.equal('RenOutputExistsError');
    expect(await checkOutputFile(file, true)).to.equal(file);
    expect((await failure(check({ outputFile: file }))).name).to.equal('RenOutputExistsError');
    expect((await check({ outputFile: file }, { existingFileAllowed: true })).file).to.equal(file);
  });

  it('creates --output-dir (private) when its parent exists, but not in a dry run', async () => {
    const outputDir = join(dir, 'handoffs');
    expect((await check({ outputDir, dryRun: true })).dir).to.equal(outputDir);
    expect(await readdir(dir)).to.deep.equal([]);
    expect((await check({ outputDir })).dir).to.equal(outputDir);
    const info = await stat(outputDir);
    expect(info.isDirectory()).to.equal(true);
    expect(info.mode & 0o777).to.equal(0o700);
    // An existing folder is taken as it is.
    expect(await prepareOutputDir(outputDir, true)).to.equal(outputDir);
  });

  it('refuses --output-dir whose parent is missing, or that is a file', async () => {
    const orphan = join(dir, 'nope', 'handoffs');
    const missing = await failure(check({ outputDir: orphan }));
    expect(missing.name).to.equal('RenOutputDirMissingError');
    expect(missing.actions?.join(' ')).to.include(`mkdir -p ${join(dir, 'nope')}`);
    expect((await failure(check({ outputDir: orphan, dryRun: true }))).name).to.equal('RenOutputDirMissingError');
    const file = join(dir, 'handoffs');
    await writeFile(file, '');
    expect((await failure(check({ outputDir: file }))).name).to.equal('RenOutputDirIsFileError');
    expect(await readdir(dir)).to.deep.equal(['handoffs']);
  });
});
