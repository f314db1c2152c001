/*
 * Crash recovery for the secret setting: before a command opens it, it records "restore pending" (which org, which
 * value to put back) in a small file under sf's own folder (~/.sf/plugin-ren/pending/, mode 0600; it holds no
 * secret); a confirmed restore removes the record. When the process died in between (SIGKILL, a power cut, a
 * restore that timed out), the next `sf ren` command that changes that org completes the restore first and says so;
 * read-only commands (status, sf doctor) report it.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Global, type Connection } from '@salesforce/core';
import { credentialsMessage } from './messages.js';
import { readSecretAccess, SECRET_SETTING, SECRET_SETTING_PAGE, writeSecretAccess } from './secretSetting.js';

export type PendingRestore = {
  orgId: string;
  username?: string;
  instanceUrl?: string;
  setting: string;
  /** The value read before the command opened the setting: what to put back. */
  value: boolean;
  openedAt: string;
  pid: number;
  host: string;
};

/** A record from another machine (a shared home folder) is taken over only after this long. */
const OTHER_HOST_STALE_MS = 15 * 60_000;

export const pendingFolder = (): string => join(Global.SF_DIR, 'plugin-ren', 'pending');
const fileOf = (orgId: string, pid: number): string => join(pendingFolder(), `${orgId}.${pid}.json`);

/** Records that the setting of `orgId` must go back to `value`, before it is opened. */
export async function recordPendingRestore(
  record: Omit<PendingRestore, 'setting' | 'openedAt' | 'pid' | 'host'>,
): Promise<void> {
  const full: PendingRestore = {
    ...record,
    setting: SECRET_SETTING,
    openedAt: new Date().toISOString(),
    pid: process.pid,
    host: hostname(),
  };
  await mkdir(pendingFolder(), { recursive: true, mode: 0o700 });
  const file = fileOf(record.orgId, process.pid);
  const temporary = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, `${JSON.stringify(full, null, 2)}\n`, { mode: 0o600 });
  await rename(temporary, file);
}

/** Removes this process's record for the org, once the restore is confirmed. */
export async function clearPendingRestore(orgId: string): Promise<void> {
  await rm(fileOf(orgId, process.pid), { force: true });
}

/** Every pending record (for sf doctor), or those of one org. */
export async function listPendingRestores(orgId?: string): Promise<PendingRestore[]> {
  const names = await readdir(pendingFolder()).catch(() => [] as string[]);
  const records = await Promise.all(
    names
      .filter((name) => name.endsWith('.json') && (!orgId || name.startsWith(`${orgId}.`)))
      .map(async (name) => {
        try {
          return JSON.parse(await readFile(join(pendingFolder(), name), 'utf8')) as PendingRestore;
        } catch {
          return undefined;
        }
      }),
  );
  return records.filter((r): r is PendingRestore => r !== undefined && (!orgId || r.orgId === orgId));
}

/** Whether the run that wrote the record may still be going on (then its own restore is in charge). */
export function isHeldByLiveRun(record: PendingRestore): boolean {
  if (record.pid === process.pid && record.host === hostname()) return true;
  if (record.host !== hostname()) return Date.now() - Date.parse(record.openedAt) < OTHER_HOST_STALE_MS;
  try {
    process.kill(record.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export type CompletedRestore = { record: PendingRestore; ok: boolean; error?: string };

/**
 * Completes the restores an earlier, interrupted run left for this org: puts each value back, reads it back, and
 * removes the record only when the org holds the value. Records of a run still going on are left to it.
 */
export async function completePendingRestores(conn: Connection, orgId: string): Promise<CompletedRestore[]> {
  const records = (await listPendingRestores(orgId)).filter((r) => !isHeldByLiveRun(r));
  const done: CompletedRestore[] = [];
  for (const record of records) {
    try {
      // eslint-disable-next-line no-await-in-loop
      if ((await readSecretAccess(conn)) !== record.value) await writeSecretAccess(conn, record.value);
      // eslint-disable-next-line no-await-in-loop
      const now = await readSecretAccess(conn);
      if (now !== record.value) throw new Error(`the org still shows ${String(now)}`);
      // eslint-disable-next-line no-await-in-loop
      await rm(fileOf(record.orgId, record.pid), { force: true });
      done.push({ record, ok: true });
    } catch (error) {
      done.push({ record, ok: false, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return done;
}

/**
 * What every command that changes an org does first: completes the restores an interrupted run left for it, and
 * returns what to tell the user (a warning per record).
 */
export async function restoreLeftovers(conn: Connection, orgId: string): Promise<string[]> {
  const done = await completePendingRestores(conn, orgId);
  return done.map(({ record, ok, error }) =>
    ok
      ? credentialsMessage('warning.restoredEarlier', [record.openedAt, record.value ? 'on' : 'off'])
      : credentialsMessage('warning.restoreEarlierFailed', [record.openedAt, error ?? '', SECRET_SETTING_PAGE]),
  );
}
