/**
 * What the end-to-end files about the secret-access window share (secret-window-signals, restore-recovery,
 * onboard-truth): an sf session over several emulator orgs whose temporary files go inside the test HOME (so the
 * leak scan covers them), the org setting and the pending-restore records read directly, fault rules that hold a
 * run at a chosen moment, and the leak scan itself.
 */
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Emulator, OrgSeed } from '../emulator/index.js';
import { type SfSession, startSfSession } from './harness.js';
import { filesUnder } from './renOrg.js';

/** A fault rule path (a regular expression) that matches only the key-and-secret read of a consumer. */
export const SECRET_READ = '/^\\/services\\/data\\/v[\\d.]+\\/apps\\/oauth\\/credentials\\/\\w+\\/\\w+$/';
const secretRead = new RegExp(SECRET_READ.slice(1, -1));

export type OrgUnderTest = { alias: string; emulator: Emulator };

export type WindowSession = {
  session: SfSession;
  /** The session's own org first, then the others, each under the alias sf knows it by. */
  orgs: OrgUnderTest[];
  /** The sf session's TMPDIR, inside its HOME. */
  tmp: string;
};

/**
 * One sf HOME over the session org (alias `alias`) and one more emulator per name in `others`, each seeded with
 * `seed` (its own org id and admin come from the harness); TMPDIR points inside the HOME for every later sf run.
 */
export async function startWindowSession(others: string[], seed?: OrgSeed, alias = 'org1'): Promise<WindowSession> {
  const session = await startSfSession({ linkPlugin: true, seed, alias });
  const tmp = join(session.home, 'tmp');
  mkdirSync(tmp);
  session.env.TMPDIR = tmp;
  const orgs: OrgUnderTest[] = [{ alias, emulator: session.emulator }];
  for (const name of others) {
    // eslint-disable-next-line no-await-in-loop
    orgs.push({ alias: name, emulator: await session.addOrg(name, seed) });
  }
  return { session, orgs, tmp };
}

/** "Allow access to External Client App consumer secrets via REST API", as the emulated org holds it now. */
export function secretSettingOf(emulator: Emulator): unknown {
  return emulator.org.settings.ExternalClientAppSettings.enableClientSecretInRestApiAccess;
}

/** Whether the org has received a key-and-secret read since request `from`. */
export function secretReadStarted(emulator: Emulator, from = 0): boolean {
  return emulator.requests.slice(from).some((r) => secretRead.test(r.path));
}

/** Holds every key-and-secret read of these orgs for `ms` (the org answers afterwards; a read changes nothing). */
export function slowSecretReads(orgs: OrgUnderTest[], ms = 60_000): void {
  for (const { emulator } of orgs) emulator.faults.add({ match: { path: SECRET_READ }, fault: 'delay', delayMs: ms });
}

export type PendingRecord = { file: string; orgId: string; value: boolean; pid: number; text: string };

/** The pending-restore records under the session HOME's .sf/plugin-ren/pending. */
export function pendingRecords(session: SfSession): PendingRecord[] {
  const folder = join(session.home, '.sf', 'plugin-ren', 'pending');
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  return names
    .filter((name) => name.endsWith('.json'))
    .map((name) => {
      const file = join(folder, name);
      const text = readFileSync(file, 'utf8');
      const record = JSON.parse(text) as { orgId: string; value: boolean; pid: number };
      return { file, orgId: record.orgId, value: record.value, pid: record.pid, text };
    });
}

/** The consumer secret each org's Ren app has now (none when it has no app). */
export function currentSecrets(orgs: OrgUnderTest[], app = 'ren'): string[] {
  return orgs.flatMap(({ emulator }) => {
    const secret = emulator.org.consumerForApp(app)?.secret;
    return secret ? [secret] : [];
  });
}

/**
 * The leak scan: every regular file under the HOME (TMPDIR included) holding one of `secrets`, except the
 * hand-off files in `handoffDirs` that are private to the user (mode 0600). Returns the offending paths.
 */
export function leaksUnder(home: string, secrets: string[], handoffDirs: string[]): string[] {
  const wanted = secrets.filter((s) => s.length > 0);
  return filesUnder(home)
    .filter((f) => wanted.some((secret) => f.text.includes(secret)))
    .filter((f) => {
      const isHandoff = handoffDirs.some((dir) => f.path.startsWith(`${dir}/`)) && f.path.endsWith('.json');
      return !(isHandoff && (statSync(f.path).mode & 0o777) === 0o600);
    })
    .map((f) => f.path);
}
