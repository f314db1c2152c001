/*
 * Harness of the real-org suite (`npm run test:org`): the real `sf` binary of this repository's dev dependencies,
 * with this plugin linked, against an org the developer is already logged into under the alias (or username) in
 * REN_TEST_ORG.
 *
 * The developer's own sf logins, aliases and config are used as they are (HOME is not touched); only the plugin link
 * goes into a throwaway sf data directory, so the developer's sf installation (its installed and linked plugins) is
 * never changed.
 */
import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type SfResult, repoRoot, runSf, sfBin } from '../e2e/harness.js';

/** The org the suite runs against, or undefined (the suite is then skipped). */
export const TARGET_ORG = process.env.REN_TEST_ORG?.trim() ?? '';

/** Real deploys can take minutes. */
const COMMAND_TIMEOUT_MS = 15 * 60_000;

export type OrgSession = {
  target: string;
  /** Runs sf (`--target-org` is not added). */
  sf(args: string[], opts?: { cwd?: string }): Promise<SfResult>;
  /** Writes a throwaway sfdx project with these files (paths relative to the project) and returns its folder. */
  project(files: Record<string, string>): string;
  close(): void;
};

function sessionEnv(dataDir: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    SF_DATA_DIR: join(dataDir, 'data'),
    SF_CACHE_DIR: join(dataDir, 'cache'),
    XDG_DATA_HOME: join(dataDir, 'xdg-data'),
    XDG_CACHE_HOME: join(dataDir, 'xdg-cache'),
    SF_DISABLE_AUTOUPDATE: 'true',
    SF_AUTOUPDATE_DISABLE: 'true',
    SF_SKIP_NEW_VERSION_CHECK: 'true',
    SF_DISABLE_TELEMETRY: 'true',
    SF_HIDE_RELEASE_NOTES: 'true',
    SF_HIDE_RELEASE_NOTES_FOOTER: 'true',
    FORCE_COLOR: '0',
  };
}

/**
 * Links the built plugin into a throwaway sf data directory and checks that sf can reach the org; throws with what
 * to do when it cannot.
 */
export async function startOrgSession(target: string): Promise<OrgSession> {
  if (!existsSync(sfBin)) throw new Error(`The sf binary is missing (${sfBin}): run npm run setup.`);
  if (!existsSync(join(repoRoot, 'lib', 'commands')))
    throw new Error('plugin-ren is not built: run npm run build (npm run test:org does).');
  const dataDir = mkdtempSync(join(tmpdir(), 'ren-org-sf-'));
  const env = sessionEnv(dataDir);
  const sf = (args: string[], opts: { cwd?: string } = {}): Promise<SfResult> =>
    runSf(args, env, { cwd: opts.cwd ?? dataDir, timeoutMs: COMMAND_TIMEOUT_MS });
  const projects: string[] = [];
  const session: OrgSession = {
    target,
    sf,
    project: (files) => {
      const root = mkdtempSync(join(tmpdir(), 'ren-org-project-'));
      projects.push(root);
      const all = {
        'sfdx-project.json': JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }] }),
        ...files,
      };
      for (const [path, content] of Object.entries(all)) {
        mkdirSync(dirname(join(root, path)), { recursive: true });
        writeFileSync(join(root, path), content);
      }
      return root;
    },
    close: () => {
      for (const dir of [dataDir, ...projects]) rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    const display = await sf(['org', 'display', '--target-org', target, '--json']);
    const status = (display.json as { result?: { connectedStatus?: string } } | undefined)?.result?.connectedStatus;
    if (display.code !== 0 || (status !== undefined && status !== 'Connected')) {
      throw new Error(
        `sf cannot reach the org "${target}" (${status ?? `exit code ${display.code}`}). Log in first: sf org login web --alias ${target}\n${display.stderr}`,
      );
    }
    const link = await sf(['plugins', 'link', repoRoot, '--no-install']);
    if (link.code !== 0) throw new Error(`sf plugins link failed (${link.code}):\n${link.stdout}\n${link.stderr}`);
  } catch (error) {
    session.close();
    throw error;
  }
  return session;
}

/** A name no other run uses: `<prefix>_<time><random>`, within the 40 characters of an app's API name. */
export function uniqueName(prefix: string): string {
  const stamp = Date.now().toString(36) + Math.floor(Math.random() * 36 ** 3).toString(36);
  return `${prefix}_${stamp}`.slice(0, 40);
}
