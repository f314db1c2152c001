import { chmod, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { expect } from 'chai';
import type { SfError } from '@salesforce/core';
import {
  type CommandTarget,
  OUTPUT_LIMITS,
  checkHandoffCommand,
  childEnvironment,
  fillPlaceholders,
  findProgram,
  maskSecrets,
  runHandoffCommand,
  splitCommand,
} from '../../../src/credentials/handoffCommand.js';
import { formatHandoff } from '../../../src/credentials/payload.js';
import { TOKEN_ENV } from '../../../src/credentials/token.js';

const payload = {
  loginUrl: 'https://acme.my.salesforce.com',
  consumerKey: '3MVGkey',
  consumerSecret: 'S3CR3T-value-XYZ',
  orgId: '00D000000000001AAA',
  appId: '0xI000000000001',
  consumerId: '0Oo000000000001',
};
const TOKEN = 'ren-token-0123';

const failure = async (work: Promise<unknown>): Promise<SfError> =>
  work.then(
    () => expect.fail('should have failed'),
    (error: SfError) => error,
  );
const thrown = (work: () => unknown): SfError => {
  try {
    work();
  } catch (error) {
    return error as SfError;
  }
  return expect.fail('should have thrown');
};

/**
 * A hand-off program written for a test: it records what it was given (stdin, argv, environment) into
 * `record.json` beside it, then runs `body` (JavaScript, with `input` holding stdin).
 */
async function program(dir: string, body = ''): Promise<string> {
  const path = join(dir, `program-${Math.random().toString(36).slice(2)}.mjs`);
  await writeFile(
    path,
    `import { writeFileSync } from 'node:fs';
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const input = Buffer.concat(chunks).toString('utf8');
writeFileSync(${JSON.stringify(join(dir, 'record.json'))}, JSON.stringify({ input, argv: process.argv.slice(2), env: process.env }));
${body}
`,
  );
  return path;
}

type Record = { input: string; argv: string[]; env: NodeJS.ProcessEnv };
const record = async (dir: string): Promise<Record> =>
  JSON.parse(await readFile(join(dir, 'record.json'), 'utf8')) as Record;

describe('--handoff-command: splitting the command line', () => {
  it('splits at blanks; quotes group words; quoted and unquoted parts next to each other make one word', () => {
    expect(splitCommand('  gh   secret set\tREN_CREDENTIALS\n')).to.deep.equal([
      'gh',
      'secret',
      'set',
      'REN_CREDENTIALS',
    ]);
    expect(splitCommand("vault kv put 'secret/ren/my org' -")).to.deep.equal([
      'vault',
      'kv',
      'put',
      'secret/ren/my org',
      '-',
    ]);
    expect(splitCommand('tool --name="a b"c \'\' ""')).to.deep.equal(['tool', '--name=a bc', '', '']);
  });

  it('single quotes keep everything literally; in double quotes a backslash escapes " \\ $ and ` only', () => {
    expect(splitCommand('p \'a\\"b\' "x\\"y" "\\\\" "\\$HOME" "\\n" "it\'s"')).to.deep.equal([
      'p',
      'a\\"b',
      'x"y',
      '\\',
      '$HOME',
      '\\n',
      "it's",
    ]);
  });

  it('expands nothing: variables, wildcards, ~ and pipes are plain characters; a backslash outside quotes too', () => {
    expect(splitCommand('echo $HOME *.json ~ | tee; C:\\tools\\vault.exe')).to.deep.equal([
      'echo',
      '$HOME',
      '*.json',
      '~',
      '|',
      'tee;',
      'C:\\tools\\vault.exe',
    ]);
  });

  it('refuses an empty command and an unbalanced quote, naming the quote and where it opened', () => {
    for (const text of ['', '   ', "''", '""']) {
      const error = thrown(() => splitCommand(text));
      expect(error.name, JSON.stringify(text)).to.equal('RenHandoffCommandInvalidError');
      expect(error.message).to.include('empty').and.include('Nothing was read from the org');
    }
    const single = thrown(() => splitCommand("gh secret set 'REN"));
    expect(single.name).to.equal('RenHandoffCommandInvalidError');
    expect(single.message).to.include("a ' (at character 15) that is never closed");
    expect(thrown(() => splitCommand('p "a\\"')).message).to.include('a " (at character 3)');
    expect(thrown(() => splitCommand('p "a')).actions?.join(' ')).to.include('no variables');
  });
});

describe('--handoff-command: finding the program before anything is contacted', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ren-program-'));
  });

  it('finds a name on PATH, and a path (absolute or from the current folder) only when it is executable', async () => {
    const script = join(dir, 'store.sh');
    await writeFile(script, '#!/bin/sh\ncat >/dev/null\n');
    expect(await findProgram('store.sh', { PATH: dir })).to.equal(undefined);
    await chmod(script, 0o755);
    expect(await findProgram('store.sh', { PATH: `/nonexistent:${dir}` })).to.equal(script);
    expect(await findProgram(script, { PATH: '' })).to.equal(script);
    expect(await findProgram(`./${relative(process.cwd(), script)}`, { PATH: '' })).to.equal(script);
    expect(await findProgram('store.sh', { PATH: '' })).to.equal(undefined);
    expect(await findProgram(dir, { PATH: '' })).to.equal(undefined);
  });

  it('checks the command: split, and its program found; the format defaults to ren', async () => {
    expect(await checkHandoffCommand(`"${process.execPath}" script.js {org}`)).to.deep.equal({
      argv: [process.execPath, 'script.js', '{org}'],
      format: 'ren',
    });
    expect((await checkHandoffCommand(`"${process.execPath}"`, 'aws')).format).to.equal('aws');
    const missing = await failure(checkHandoffCommand('no-such-program-ren-test secret set'));
    expect(missing.name).to.equal('RenHandoffProgramNotFoundError');
    expect(missing.message).to.include('no-such-program-ren-test');
    expect((await failure(checkHandoffCommand('gh "x'))).name).to.equal('RenHandoffCommandInvalidError');
  });
});

describe('--handoff-command: placeholders, formats, masking, environment', () => {
  it('fills {org} and {orgId} in the arguments only, once, leaving other braces alone', () => {
    const values = { org: 'client1', orgId: '00D000000000001AAA' };
    expect(fillPlaceholders(['{org}', 'ren/{org}', '--id={orgId}', '{}', '{"a":1}', '{ org }'], values)).to.deep.equal([
      '{org}',
      'ren/client1',
      '--id=00D000000000001AAA',
      '{}',
      '{"a":1}',
      '{ org }',
    ]);
    // A name that looks like a placeholder is not filled in again.
    expect(fillPlaceholders(['p', '{org}-{orgId}'], { org: '{orgId}', orgId: 'X' })).to.deep.equal(['p', '{orgId}-X']);
  });

  it('ren: the JSON of the file and the POST, compact, without the ids', () => {
    const text = formatHandoff(payload, 'ren');
    expect(text).to.equal(
      '{"loginUrl":"https://acme.my.salesforce.com","consumerKey":"3MVGkey","consumerSecret":"S3CR3T-value-XYZ","orgId":"00D000000000001AAA"}',
    );
  });

  it("aws: AWS Secrets Manager's Salesforce client secret, which needs the app's and the consumer's ids", () => {
    expect(JSON.parse(formatHandoff(payload, 'aws'))).to.deep.equal({
      consumerKey: '3MVGkey',
      consumerSecret: 'S3CR3T-value-XYZ',
      baseUri: 'https://acme.my.salesforce.com',
      appId: '0xI000000000001',
      consumerId: '0Oo000000000001',
    });
    expect(formatHandoff(payload, 'aws')).to.not.include('\n');
    const { appId, ...withoutApp } = payload;
    expect(appId).to.be.a('string');
    expect(thrown(() => formatHandoff(withoutApp, 'aws')).name).to.equal('RenHandoffFormatIncompleteError');
  });

  it("env: NAME='value' lines; a value holding a quote or a line break is refused, naming only the variable", () => {
    expect(formatHandoff(payload, 'env')).to.equal(
      [
        "REN_LOGIN_URL='https://acme.my.salesforce.com'",
        "REN_CONSUMER_KEY='3MVGkey'",
        "REN_CONSUMER_SECRET='S3CR3T-value-XYZ'",
        "REN_ORG_ID='00D000000000001AAA'",
        '',
      ].join('\n'),
    );
    for (const consumerSecret of ["it's", 'a\nb', 'a\rb']) {
      const error = thrown(() => formatHandoff({ ...payload, consumerSecret }, 'env'));
      expect(error.name).to.equal('RenHandoffEnvValueError');
      expect(error.message).to.include('REN_CONSUMER_SECRET').and.not.include(consumerSecret);
    }
  });

  it('masks every occurrence of every secret', () => {
    expect(
      maskSecrets(`a ${payload.consumerSecret} b ${TOKEN}${payload.consumerSecret}`, [payload.consumerSecret, TOKEN]),
    ).to.equal('a *** b ******');
    expect(maskSecrets('nothing', ['', 'x'])).to.equal('nothing');
    // One secret inside another: the longer is masked whole, not left with pieces around a mask.
    expect(maskSecrets('tok-S3CR3T-end', ['S3CR3T', 'tok-S3CR3T-end'])).to.equal('***');
  });

  it("gives the program the user's environment without Ren's token, in any letter case", () => {
    const env = childEnvironment({ PATH: '/bin', [TOKEN_ENV]: TOKEN, ren_api_token: TOKEN, VAULT_ADDR: 'https://v' });
    expect(env).to.deep.equal({ PATH: '/bin', VAULT_ADDR: 'https://v' });
  });
});

describe('--handoff-command: running the program', function () {
  this.timeout(30_000);
  let dir: string;
  const saved = process.env[TOKEN_ENV];
  const target = (script: string, more: Partial<CommandTarget> = {}): CommandTarget => ({
    argv: [process.execPath, script, '{org}', 'id={orgId}'],
    format: 'ren',
    org: 'client 1',
    ...more,
  });
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ren-run-'));
    process.env[TOKEN_ENV] = TOKEN;
    process.env.REN_TEST_VISIBLE = 'kept';
  });
  afterEach(() => {
    if (saved === undefined) delete process.env[TOKEN_ENV];
    else process.env[TOKEN_ENV] = saved;
    delete process.env.REN_TEST_VISIBLE;
  });

  for (const format of ['ren', 'aws', 'env'] as const) {
    it(`writes the ${format} format to stdin exactly; the secret and the token are in no argument and no variable`, async () => {
      const script = await program(dir);
      const label = await runHandoffCommand(payload, target(script, { format }), [TOKEN]);
      const got = await record(dir);
      expect(got.input).to.equal(formatHandoff(payload, format));
      expect(got.argv).to.deep.equal(['client 1', 'id=00D000000000001AAA']);
      expect(got.env.REN_TEST_VISIBLE).to.equal('kept');
      expect(got.env).to.not.have.property(TOKEN_ENV);
      const outside = JSON.stringify({ argv: got.argv, env: got.env });
      expect(outside).to.not.include(payload.consumerSecret).and.not.include(TOKEN);
      expect(label).to.equal(`command: ${process.execPath} ${script} 'client 1' id=00D000000000001AAA`);
    });
  }

  it('shows what the program printed, under a header naming it and the org, with the secret and the token masked', async () => {
    // The secret is written in two pieces, apart in time, so it arrives in two chunks.
    const script = await program(
      dir,
      `const secret = JSON.parse(input).consumerSecret;
process.stdout.write('stored ' + secret.slice(0, 5));
await new Promise((r) => setTimeout(r, 100));
process.stdout.write(secret.slice(5) + ' for ' + process.argv[2] + '\\r\\n');
process.stderr.write('warning: token ${TOKEN} is not used\\n');
process.stdout.write('done');`,
    );
    const shown: string[][] = [];
    await runHandoffCommand(payload, target(script, { onOutput: (lines) => shown.push(lines) }), [TOKEN]);
    expect(shown).to.have.length(1);
    const [header, ...lines] = shown[0];
    expect(header).to.include(script).and.include('for client 1').and.include('secrets masked');
    expect(lines).to.have.members(['  stored *** for client 1', '  warning: token *** is not used', '  done']);
    expect(lines.indexOf('  stored *** for client 1')).to.be.below(lines.indexOf('  done'));
    expect(JSON.stringify(shown)).to.not.include('S3CR3').and.not.include(TOKEN);
  });

  it('says nothing when the program printed nothing', async () => {
    const shown: string[][] = [];
    await runHandoffCommand(payload, target(await program(dir), { onOutput: (lines) => shown.push(lines) }));
    expect(shown).to.deep.equal([]);
  });

  it('keeps the last lines and cuts a long line without showing any piece of a secret', async () => {
    const { lineLength, lines } = OUTPUT_LIMITS;
    // One long line written whole, one written in two parts (the first part alone is longer than a line).
    const script = await program(
      dir,
      `const secret = JSON.parse(input).consumerSecret;
for (let i = 0; i < ${lines + 5}; i++) console.log('line ' + i);
console.log('a'.repeat(${lineLength - 5}) + secret + 'b'.repeat(50000));
process.stdout.write('c'.repeat(${lineLength - 5}) + secret + 'd'.repeat(50000));
await new Promise((r) => setTimeout(r, 100));
console.log('end of the long line');
console.log('last');`,
    );
    const shown: string[] = [];
    await runHandoffCommand(payload, target(script, { onOutput: (l) => shown.push(...l) }));
    expect(shown[1]).to.equal('  (earlier lines not shown: 8)');
    expect(shown).to.include('  line 204').and.not.include('  line 7');
    // Masked first, then cut: the secret that straddles the cut shows as the mask, never as its first characters.
    expect(shown.slice(-3)).to.deep.equal([
      `  ${'a'.repeat(lineLength - 5)}***bb …`,
      `  ${'c'.repeat(lineLength - 5)}***dd …`,
      '  last',
    ]);
    expect(JSON.stringify(shown)).to.not.include('S3CR3');
  });

  it('fails on a non-zero exit code, naming the program and the code, with its last output masked', async () => {
    const script = await program(
      dir,
      "console.error('cannot store ' + JSON.parse(input).consumerSecret); process.exit(3);",
    );
    const shown: string[][] = [];
    const error = await failure(runHandoffCommand(payload, target(script, { onOutput: (l) => shown.push(l) })));
    expect(error.name).to.equal('RenHandoffCommandFailedError');
    expect(error.message).to.include(script).and.include('exited with code 3').and.include('cannot store ***');
    expect(error.message).to.not.include(payload.consumerSecret);
    expect(shown).to.deep.equal([]);
  });

  it('fails when the program is stopped by a signal', async () => {
    const script = await program(dir, "process.kill(process.pid, 'SIGKILL');");
    const error = await failure(runHandoffCommand(payload, target(script)));
    expect(error.name).to.equal('RenHandoffCommandFailedError');
    expect(error.message).to.include('was stopped by SIGKILL');
  });

  it('fails, naming the program, when it cannot be started', async () => {
    const error = await failure(runHandoffCommand(payload, { ...target(''), argv: [join(dir, 'gone'), 'x'] }));
    expect(error.name).to.equal('RenHandoffCommandNotStartedError');
    expect(error.message).to.include(join(dir, 'gone')).and.include('ENOENT');
  });

  it('a program that does not read its stdin: its exit code still decides', async () => {
    const argv = [process.execPath, '-e', 'process.exit(0)'];
    expect(await runHandoffCommand(payload, { ...target(''), argv })).to.equal(
      `command: ${process.execPath} -e 'process.exit(0)'`,
    );
  });

  it('stops a program that runs too long, even one that ignores SIGTERM, and fails', async () => {
    const script = await program(
      dir,
      "process.on('SIGTERM', () => undefined); console.log('waiting'); setInterval(() => undefined, 1000);",
    );
    const started = Date.now();
    const error = await failure(runHandoffCommand(payload, target(script, { timeoutMs: 500 })));
    expect(error.name).to.equal('RenHandoffCommandTimeoutError');
    expect(error.message).to.include(script).and.include('0.5 seconds').and.include('waiting');
    expect(Date.now() - started).to.be.below(10_000);
    const quick = await program(dir, 'setInterval(() => undefined, 1000);');
    expect((await failure(runHandoffCommand(payload, target(quick, { timeoutMs: 300 })))).name).to.equal(
      'RenHandoffCommandTimeoutError',
    );
  });

  it('refuses, before starting the program, a payload its format cannot carry', async () => {
    const script = await program(dir);
    const error = await failure(
      runHandoffCommand({ ...payload, consumerSecret: "it's" }, target(script, { format: 'env' })),
    );
    expect(error.name).to.equal('RenHandoffEnvValueError');
    expect(await readFile(join(dir, 'record.json')).catch(() => 'not run')).to.equal('not run');
  });
});
