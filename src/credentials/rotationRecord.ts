/*
 * What the plugin remembers of its own rotations, beside sf's state (~/.sf/plugin-ren/rotations/, mode 0600, no
 * secret): when an app's pair was last rotated and the staged record that holds the previous pair. It is the age
 * for `--if-older-than` when the org does not tell one, and it tells a staged record this plugin made from one
 * another tool left. It is never a file the user edits; a record that does not parse is ignored.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Global } from '@salesforce/core';

export type RotationRecord = {
  orgId: string;
  app: string;
  method: 'staged' | 'deploy';
  /** When the new pair became the app's pair (ISO). */
  rotatedAt: string;
  /** The staged record that holds the previous pair (staged rotations), or that this plugin staged and did not rotate in yet. */
  stagedId?: string;
  /**
   * Whether the pair of the last rotation reached a hand-off target. False from a staged rotation until a hand-off
   * succeeds: until then the vendor still uses the previous pair, which rotating again would revoke.
   */
  handedOff?: boolean;
};

const folder = (): string => join(Global.SF_DIR, 'plugin-ren', 'rotations');
const fileOf = (orgId: string, app: string): string =>
  join(folder(), `${orgId}-${app.replace(/[^A-Za-z0-9_]/g, '_')}.json`);

export async function readRotationRecord(orgId: string, app: string): Promise<RotationRecord | undefined> {
  try {
    const record = JSON.parse(await readFile(fileOf(orgId, app), 'utf8')) as RotationRecord;
    return record.orgId === orgId && record.app === app && !Number.isNaN(Date.parse(record.rotatedAt))
      ? record
      : undefined;
  } catch {
    return undefined;
  }
}

export async function writeRotationRecord(record: RotationRecord): Promise<void> {
  await mkdir(folder(), { recursive: true, mode: 0o700 });
  const file = fileOf(record.orgId, record.app);
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
  await rename(temporary, file);
}

/** A hand-off of the app's current pair succeeded: the last rotation's pair reached the vendor. */
export async function markHandedOff(orgId: string, app: string): Promise<void> {
  const record = await readRotationRecord(orgId, app);
  if (record && record.handedOff === false) await writeRotationRecord({ ...record, handedOff: true });
}
