/**
 * End-to-end helpers for the connect, status and delete tests: an org seed holding Ren's app exactly as its guide
 * sets it up (with a pinned consumer key and secret, so tests know what to look for), drift of that app, a raw sf
 * child process (to send it signals), and reading the emulator's view of the credentials.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OrgSeed } from '../emulator/index.js';
import { type SfSession, sfBin } from './harness.js';

export const REN_KEY = '3MVG9renE2eConsumerKey0000000000000000000000000000000000000000000000000000000000000';
export const REN_SECRET = 'E2E0SECRET0000000000000000000000000000000000000000000000000000AA';
export const CALLBACK = 'https://app.rensystems.com/api/salesforce/auth_callback';
const ICON = 'https://app.rensystems.com/images/ios-icon-512.png';

type Fields = Record<string, unknown>;

/** Changes to Ren's five components (a field set to undefined is removed); `without` leaves whole types out. */
export type RenDrift = {
  app?: Fields;
  oauth?: Fields;
  global?: Fields;
  policies?: Fields;
  oauthPolicies?: Fields;
  without?: string[];
};

const merge = (base: Fields, change: Fields = {}): Fields =>
  Object.fromEntries(Object.entries({ ...base, ...change }).filter(([, v]) => v !== undefined));

/** Ren's app as its guide sets it up, with the profile Sales pre-authorized; `drift` changes it; `extra` adds to the seed. */
export function renOrgSeed(drift: RenDrift = {}, extra: OrgSeed = {}): OrgSeed {
  const parent = { externalClientApplication: 'ren' };
  const metadata = {
    ExternalClientApplication: {
      ren: merge(
        {
          contactEmail: 'support@rensystems.com',
          description: 'Sync Salesforce contacts to Ren',
          distributionState: 'Local',
          iconUrl: ICON,
          infoUrl: 'https://rensystems.com',
          isProtected: false,
          label: 'Ren',
          logoUrl: ICON,
        },
        drift.app,
      ),
    },
    ExtlClntAppOauthSettings: {
      ren_oauth: merge(
        { ...parent, commaSeparatedOauthScopes: 'Basic, Api, RefreshToken', label: 'ren_oauth' },
        drift.oauth,
      ),
    },
    ExtlClntAppGlobalOauthSettings: {
      ren_glbloauth: merge(
        {
          ...parent,
          callbackUrl: CALLBACK,
          consumerKey: REN_KEY,
          consumerSecret: REN_SECRET,
          isCodeCredFlowEnabled: true,
          isConsumerSecretOptional: false,
          isPkceRequired: true,
          isSecretRequiredForRefreshToken: true,
          label: 'ren_glbloauth',
        },
        drift.global,
      ),
    },
    ExtlClntAppConfigurablePolicies: {
      ren_plcy: merge(
        { ...parent, isEnabled: true, isOauthPluginEnabled: true, label: 'ren_plcy', startPage: 'None' },
        drift.policies,
      ),
    },
    ExtlClntAppOauthConfigurablePolicies: {
      ren_oauthPlcy: merge(
        {
          ...parent,
          commaSeparatedProfile: 'Sales',
          ipRelaxationPolicyType: 'Enforce',
          label: 'ren_oauthPlcy',
          permittedUsersPolicyType: 'AdminApprovedPreAuthorized',
          refreshTokenPolicyType: 'Infinite',
        },
        drift.oauthPolicies,
      ),
    },
  };
  for (const type of drift.without ?? []) delete (metadata as Record<string, unknown>)[type];
  return { ...extra, metadata: { ...(metadata as OrgSeed['metadata']), ...extra.metadata } };
}

/** The secret-access setting of the emulated org. */
export function secretAccessSetting(session: SfSession): unknown {
  return session.emulator.org.settings.ExternalClientAppSettings.enableClientSecretInRestApiAccess;
}

/** The Metadata API calls (SOAP method names) the org received since `from` (an index into the request log). */
export function soapCalls(session: SfSession, from = 0): string[] {
  return session.emulator.requests.slice(from).flatMap((r) => (r.soapMethod ? [r.soapMethod] : []));
}

/** Starts sf as a child process the test can signal; `done` resolves when it exits. */
export function spawnSf(
  session: SfSession,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): {
  child: ChildProcess;
  output: () => { stdout: string; stderr: string };
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
} {
  const child = spawn(sfBin, args, {
    env: { ...session.env, ...env },
    cwd: session.home,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr?.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  child.stdin?.end();
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => ({ stdout, stderr }), done };
}

/** Polls `condition` every 50 ms until it holds (or fails after `timeoutMs`). */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    // eslint-disable-next-line no-await-in-loop
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Every regular file under a folder (recursively, not following links), with its text. */
export function filesUnder(dir: string): Array<{ path: string; text: string }> {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    const stats = lstatSync(path, { throwIfNoEntry: false });
    if (!stats) return [];
    if (stats.isDirectory()) return filesUnder(path);
    return stats.isFile() ? [{ path, text: readFileSync(path).toString('latin1') }] : [];
  });
}

/** sf's --json envelope: the result on success, the error's name, message and actions on failure. */
export type SfJson<R> = {
  status: number;
  name?: string;
  message?: string;
  actions?: string[];
  result?: R;
  warnings?: string[];
};

/** The --json envelope of a run, typed. */
export function jsonOf<R>(run: { json?: unknown }): SfJson<R> {
  return (run.json ?? { status: -1 }) as SfJson<R>;
}

/** A hand-off file's content. */
export function readHandoff(path: string): Record<string, string> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>;
}
