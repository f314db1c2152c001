/*
 * End to end: --handoff-command through the real sf against the emulator. The program is a real one: a small node
 * script in the test HOME (in a folder whose name holds a space, so the command's quoting is exercised) that
 * records what it was given (stdin, argv, environment), prints its stdin and exits with the code it is asked for.
 * What it recorded is then checked: each format arrives on stdin exactly, and neither the secret nor Ren's token is
 * in its arguments or environment.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type { RenOnboardResult } from '../../src/commands/ren/onboard.js';
import { useConnectSession } from './connectSession.js';
import { REN_KEY, REN_SECRET, jsonOf, readHandoff } from './renOrg.js';

const TOKEN = 'ren-handoff-command-token-9c1f';

/** The program: records { input, argv, env } as one line of calls.jsonl beside it, prints its stdin, exits. */
const RECORDER = `const { appendFileSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const input = readFileSync(0, 'utf8');
appendFileSync(join(__dirname, 'calls.jsonl'), JSON.stringify({ input, argv: process.argv, env: process.env }) + '\\n');
process.stdout.write('received: ' + input + '\\n');
console.error('stored for ' + process.argv[2]);
const exit = process.argv.indexOf('--exit');
process.exit(exit > 0 ? Number(process.argv[exit + 1]) : 0);
`;

type Call = { input: string; argv: string[]; env: Record<string, string> };

describe('--handoff-command (end to end, real sf + emulator)', function () {
  this.timeout(300_000);
  const fx = useConnectSession();
  let folder: string;
  let script: string;
  const calls = (): Call[] => {
    const file = join(folder, 'calls.jsonl');
    if (!existsSync(file)) return [];
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Call);
  };
  const command = (...more: string[]): string => ['node', `"${script}"`, '{org}', '{orgId}', ...more].join(' ');
  /** The leak scan of what the program was given outside stdin. */
  const expectNoSecretOutsideStdin = (call: Call): void => {
    const outside = JSON.stringify({ argv: call.argv, env: call.env });
    expect(outside).to.not.include(REN_SECRET).and.not.include(TOKEN);
    expect(call.env).to.not.have.property('REN_API_TOKEN');
    // The rest of the user's environment is there.
    expect(call.env.HOME).to.equal(fx.session.home);
  };

  before(() => {
    folder = join(fx.session.home, 'hand off');
    mkdirSync(folder, { recursive: true });
    script = join(folder, 'record.js');
    writeFileSync(script, RECORDER);
  });
  beforeEach(() => rmSync(join(folder, 'calls.jsonl'), { force: true }));

  it('connect: each format arrives on stdin exactly; no secret and no token in the arguments or environment', async () => {
    const { emulator } = fx.session;
    const orgId = emulator.org.organization.Id;
    const expected = {
      ren: JSON.stringify({ loginUrl: emulator.url, consumerKey: REN_KEY, consumerSecret: REN_SECRET, orgId }),
      aws: JSON.stringify({
        consumerKey: REN_KEY,
        consumerSecret: REN_SECRET,
        baseUri: emulator.url,
        appId: emulator.org.getComponent('ExternalClientApplication', 'ren')?.id,
        consumerId: emulator.org.consumerForApp('ren')?.id,
      }),
      env: `REN_LOGIN_URL='${emulator.url}'\nREN_CONSUMER_KEY='${REN_KEY}'\nREN_CONSUMER_SECRET='${REN_SECRET}'\nREN_ORG_ID='${orgId}'\n`,
    };
    expect(expected.aws).to.match(/"appId":"0xI\w+","consumerId":"\w+"/);
    for (const format of ['ren', 'aws', 'env'] as const) {
      const run = await fx.connect(
        ['--allow-secret-access', '--handoff-command', command(), '--handoff-format', format, '--json'],
        { REN_API_TOKEN: TOKEN },
      );
      expect(run.code, run.stdout + run.stderr).to.equal(0);
      expect(run.body.result?.handedOffTo).to.deep.equal([`command: node '${script}' ${fx.session.alias} ${orgId}`]);
      expect(run.body.result?.consumerSecret).to.equal('***');
      const [call] = calls().slice(-1);
      expect(call.input, format).to.equal(expected[format]);
      expect(call.argv.slice(1)).to.deep.equal([script, fx.session.alias, orgId]);
      expectNoSecretOutsideStdin(call);
      expect(run.stdout + run.stderr)
        .to.not.include(REN_SECRET)
        .and.not.include(TOKEN);
    }
    expect(calls()).to.have.length(3);
  });

  it("connect: the program's output is shown under a header naming it, with the secret masked", async () => {
    const run = await fx.connect(['--allow-secret-access', '--handoff-command', command()], { REN_API_TOKEN: TOKEN });
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.include(`Output of the hand-off program (node '${script}' ${fx.session.alias} `);
    expect(run.stdout).to.include('"consumerSecret":"***"').and.include(`stored for ${fx.session.alias}`);
    expect(run.stdout).to.include(`Handed off to: command: node '${script}' ${fx.session.alias} `);
    expect(run.stdout + run.stderr)
      .to.not.include(REN_SECRET)
      .and.not.include(TOKEN);
    expect(calls()).to.have.length(1);
  });

  it('connect: a failing program fails the hand-off, naming it and its exit code; the file came first, Ren never', async () => {
    const file = fx.freshFile();
    const run = await fx.connect(
      [
        '--allow-secret-access',
        '--output-file',
        file,
        '--handoff-command',
        command('--exit', '3'),
        '--ren-url',
        fx.receiver.url,
        '--json',
      ],
      { REN_API_TOKEN: TOKEN },
    );
    expect(run.code).to.not.equal(0);
    expect(run.body.name).to.equal('RenHandoffCommandFailedError');
    expect(run.body.message).to.include(`node '${script}'`).and.include('exited with code 3');
    expect(run.body.message).to.include('"consumerSecret":"***"');
    expect(readHandoff(file).consumerSecret).to.equal(REN_SECRET);
    expect(fx.receiver.received).to.deep.equal([]);
    expect(calls()).to.have.length(1);
    expect(run.stdout + run.stderr)
      .to.not.include(REN_SECRET)
      .and.not.include(TOKEN);
  });

  it('connect: a command that cannot be split, or whose program is missing, is refused before the org is read', async () => {
    const before = fx.session.emulator.requests.length;
    const unbalanced = await fx.connect(['--handoff-command', `node "${script}`, '--json']);
    expect(unbalanced.body.name).to.equal('RenHandoffCommandInvalidError');
    const missing = await fx.connect(['--handoff-command', 'no-such-store put {org}', '--json']);
    expect(missing.body.name).to.equal('RenHandoffProgramNotFoundError');
    expect(missing.body.message).to.include('no-such-store');
    // sf itself may read the Organization record when it loads the org; the credentials are never read.
    const ours = fx.session.emulator.requests.slice(before).filter((r) => r.path.includes('/apps/oauth'));
    expect(ours).to.deep.equal([]);
    expect(calls()).to.deep.equal([]);
  });

  it("onboard: two orgs, each org's own call with {org} and {orgId} filled; a dry run only names them", async () => {
    const client2 = fx.session.others.get('client2') ?? (await fx.session.addOrg('client2'));
    const orgs = [
      { name: fx.session.alias, emulator: fx.session.emulator },
      { name: 'client2', emulator: client2 },
    ];
    const onboard = (...more: string[]) =>
      fx.session.sf(
        [
          'ren',
          'onboard',
          ...orgs.flatMap((o) => ['-o', o.name]),
          '--profile',
          'System Administrator',
          '--allow-secret-access',
          '--handoff-command',
          command(),
          '--json',
          ...more,
        ],
        { env: { REN_API_TOKEN: TOKEN } },
      );
    const planned = jsonOf<RenOnboardResult>(await onboard('--dry-run'));
    expect(planned.result?.orgs.map((o) => o.handoff)).to.deep.equal(
      orgs.map((o) => ({
        status: 'planned',
        to: [`command: node '${script}' ${o.name} ${o.emulator.org.organization.Id}`],
      })),
    );
    expect(calls()).to.deep.equal([]);

    const run = await onboard();
    const body = jsonOf<RenOnboardResult>(run);
    expect(run.code, run.stdout + run.stderr).to.equal(0);
    expect(body.result?.orgs.map((o) => o.handoff)).to.deep.equal(
      orgs.map((o) => ({
        status: 'done',
        to: [`command: node '${script}' ${o.name} ${o.emulator.org.organization.Id}`],
      })),
    );
    const recorded = calls();
    expect(recorded).to.have.length(2);
    for (const { name, emulator } of orgs) {
      const call = recorded.find((c) => c.argv[2] === name);
      const orgId = emulator.org.organization.Id;
      expect(call?.argv.slice(1), name).to.deep.equal([script, name, orgId]);
      const consumer = emulator.org.consumerForApp('ren');
      expect(JSON.parse(call?.input ?? '{}')).to.deep.equal({
        loginUrl: emulator.url,
        consumerKey: consumer?.key,
        consumerSecret: consumer?.secret,
        orgId,
      });
      expectNoSecretOutsideStdin(call!);
      expect(run.stdout + run.stderr).to.not.include(consumer?.secret);
    }
    expect(run.stdout + run.stderr).to.not.include(TOKEN);
  });
});
