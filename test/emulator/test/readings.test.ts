/**
 * Readings (readings.ts): how they are set (seed, control API, in process, command line), reset, checked; the org's
 * clock; and the strict preset, with the org answering every question the hard way at once. Each reading's values are
 * tested where the behaviour lives: readings-staged, readings-deploy, readings-oauth, and open-questions (Q6).
 */
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { DEFAULT_READINGS, READING_NAMES, READING_SPECS, STRICT_READINGS } from '../index.js';
import { deploy, failures } from './deployHelpers.js';
import { packageXml, renPackage, settingsFile } from './fixtures.js';
import { connect, useEmulator } from './helpers.js';
import { controlCall } from './oauthHelpers.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Runs the emulator's command line; resolves when it exits, or (with `until`) once stdout matches and it is killed. */
function runCli(args: string[], until?: RegExp): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, reject) => {
    const child = spawn(
      process.execPath,
      ['--loader', 'ts-node/esm', '--no-warnings', join('test', 'emulator', 'cli.ts'), ...args],
      { cwd: repoRoot, env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (until?.test(stdout)) child.kill('SIGTERM');
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

describe('emulator: readings', () => {
  const env = useEmulator();
  beforeEach(() => env.emulator.reset());

  it('every reading has a default and a strict value it allows; a new org answers with the defaults', () => {
    expect(Object.keys(DEFAULT_READINGS).sort()).to.deep.equal([...READING_NAMES].sort());
    for (const name of READING_NAMES) {
      const { values } = READING_SPECS[name];
      for (const value of [DEFAULT_READINGS[name], STRICT_READINGS[name]]) {
        if (values === 'boolean') expect(value, name).to.be.a('boolean');
        else if (values === 'number') expect(value, name).to.be.a('number').and.at.least(0);
        else expect(values as readonly unknown[], name).to.include(value);
      }
    }
    expect(env.emulator.org.readings).to.deep.equal(DEFAULT_READINGS);
  });

  it('a seed sets readings, setReadings changes them, and reset(seed) goes back to the seed', () => {
    env.emulator.reset({ readings: { stagedGetWhenNone: '404', propagationDelayMs: 5000 } });
    expect(env.emulator.org.readings).to.include({ stagedGetWhenNone: '404', propagationDelayMs: 5000 });
    expect(env.emulator.org.readings.additiveAccessLists).to.equal(DEFAULT_READINGS.additiveAccessLists);
    env.emulator.org.setReadings({ apiAccessControl: true });
    expect(env.emulator.org.readings.apiAccessControl).to.equal(true);
    expect(() => env.emulator.org.setReadings({ apiAccessControl: 'yes' } as never)).to.throw(/true \| false/);
    env.emulator.reset();
    expect(env.emulator.org.readings).to.deep.equal(DEFAULT_READINGS);
  });

  it('a seed with an unknown reading or a bad value is refused', () => {
    expect(() => env.emulator.reset({ readings: { stagedGetWhenNothing: '404' } as never })).to.throw(
      /Unknown reading stagedGetWhenNothing/,
    );
    expect(() => env.emulator.reset({ readings: { propagationDelayMs: -1 } })).to.throw(/a number >= 0/);
  });

  it('control API: GET the readings, POST some to change them; a bad one answers 400 and changes nothing', async () => {
    expect((await controlCall(env.emulator, 'readings')).body.readings).to.deep.equal(DEFAULT_READINGS);
    const changed = await controlCall(env.emulator, 'readings', { deleteNamingChildren: 'fails' });
    expect(changed.status).to.equal(200);
    expect(changed.body.readings).to.include({ deleteNamingChildren: 'fails', deleteParentCascades: true });
    const bad = await controlCall(env.emulator, 'readings', { deleteParentCascades: false, stagedPostAnswer: 'list' });
    expect(bad.status).to.equal(400);
    expect(bad.body.error).to.match(/stagedPostAnswer must be collection \| object/);
    expect(env.emulator.org.readings.deleteParentCascades).to.equal(true);
    const state = await controlCall(env.emulator, 'state');
    expect(state.body.readings).to.include({ deleteNamingChildren: 'fails' });
  });

  it("control API: the org's clock moves ahead, never back; reset brings real time back", async () => {
    const before = Date.parse(String((await controlCall(env.emulator, 'clock')).body.now));
    const moved = await controlCall(env.emulator, 'clock', { advanceMs: 86_400_000 });
    expect(moved.body.offsetMs).to.equal(86_400_000);
    expect(Date.parse(String(moved.body.now)) - before).to.be.at.least(86_400_000);
    expect((await controlCall(env.emulator, 'clock', { advanceMs: -5 })).status).to.equal(400);
    env.emulator.reset();
    expect(env.emulator.org.clock.offset).to.equal(0);
  });

  it('under all strict readings at once the org answers each question the hard way', async () => {
    env.emulator.reset({
      readings: STRICT_READINGS,
      settings: {
        OauthOidcSettings: { oAuthCdCrdtFlowEnable: false },
        ExternalClientAppSettings: { enableClientSecretInRestApiAccess: true },
      },
    });
    expect(env.emulator.org.readings).to.deep.equal(STRICT_READINGS);
    const conn = await connect(env.emulator, '65.0');
    // Q2: the flow switch in the same deploy as the app that needs it does not help.
    const files = renPackage();
    files['package.xml'] = packageXml({
      ExternalClientApplication: ['ren'],
      ExtlClntAppGlobalOauthSettings: ['ren_glbloauth'],
      ExtlClntAppOauthSettings: ['ren_oauth'],
      ExtlClntAppConfigurablePolicies: ['ren_plcy'],
      ExtlClntAppOauthConfigurablePolicies: ['ren_oauthPlcy'],
      Settings: ['OauthOidc'],
    });
    files['settings/OauthOidc.settings'] = settingsFile('OauthOidcSettings', { oAuthCdCrdtFlowEnable: 'true' });
    const together = await deploy(conn, files);
    expect(failures(together).map((f) => f.fullName)).to.deep.equal(['ren_glbloauth']);
    // Deployed in two steps it works; Q1: nothing staged answers 404.
    const settingsOnly = {
      'package.xml': packageXml({ Settings: ['OauthOidc'] }),
      'settings/OauthOidc.settings': files['settings/OauthOidc.settings'],
    };
    expect((await deploy(conn, settingsOnly)).status).to.equal('Succeeded');
    expect((await deploy(conn, renPackage())).status).to.equal('Succeeded');
    const org = env.emulator.org;
    const appId = org.getComponent('ExternalClientApplication', 'ren')!.id;
    const staged = `/services/data/v65.0/apps/oauth/credentials/${appId}/${org.consumerForApp('ren')!.id}/staged`;
    const none = await conn.request(staged).catch((e: Error & { errorCode?: string }) => e);
    expect((none as { errorCode?: string }).errorCode).to.equal('NOT_FOUND');
    // Q5: re-sending the granted profile fails.
    const again = await deploy(conn, renPackage());
    expect(failures(again).map((f) => f.problem)).to.include(
      'In field: commaSeparatedProfile - profile names are already taken: Sales',
    );
  });
});

describe('emulator: command line', () => {
  it('--help prints every option and every reading, and exits 0', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).to.equal(0);
    for (const option of ['--port', '--seed', '--cert-dir', '--reading', '--strict', '--json', '--quiet', '--help'])
      expect(stdout).to.include(option);
    for (const name of READING_NAMES) expect(stdout).to.include(`${name} = `);
  });

  it('an unknown option or a bad reading prints a short error and the usage, exit 2', async () => {
    const unknown = await runCli(['--bogus']);
    expect(unknown.code).to.equal(2);
    expect(unknown.stderr).to.match(/^Unknown option '--bogus'/);
    expect(unknown.stderr).to.include('Usage: npm run emulator');
    expect(unknown.stderr).to.not.match(/\n\s+at /);
    const bad = await runCli(['--reading', 'stagedPostAnswer=list']);
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.match(/^Reading stagedPostAnswer must be collection \| object/);
  });

  it('--strict and --reading set the readings the emulator starts with', async () => {
    const { stdout } = await runCli(
      ['--json', '--quiet', '--strict', '--reading', 'propagationDelayMs=5', '--reading', 'stagedPostAnswer=object'],
      /"url"/,
    );
    const info = JSON.parse(stdout.split('\n').find((line) => line.startsWith('{')) ?? '{}') as {
      readings: Record<string, unknown>;
    };
    expect(info.readings).to.deep.equal({ ...STRICT_READINGS, propagationDelayMs: 5, stagedPostAnswer: 'object' });
    expect(stdout).to.match(/^Readings: .*propagationDelayMs=5/m);
  });
});
