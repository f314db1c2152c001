/*
 * Stand-ins for the credentials tests: an org that holds only the secret setting
 * (ExternalClientAppSettings.enableClientSecretInRestApiAccess) through metadata.read/update, recording every call;
 * and a temporary home folder, since the window writes its pending-restore records under ~/.sf.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection } from '@salesforce/core';

/**
 * Decides a write before it lands: throwing makes the org answer success false with the error's message,
 * 'ignore' makes it answer success without changing the value, a promise that never settles makes it hang.
 */
export type WriteRule = (value: boolean, org: SettingOrg) => void | 'ignore' | Promise<void | 'ignore'>;

export type SettingOrg = {
  conn: Connection;
  /** The setting as the org holds it now; undefined: the org does not say. */
  value: boolean | undefined;
  /** Every call in order: `read:<value>` and `write:<value>` (a write is logged when it is asked for). */
  log: string[];
  /** The values written and accepted, in order. */
  writes: boolean[];
};

export function settingOrg(initial: boolean | undefined, rule: WriteRule = () => undefined): SettingOrg {
  const org: SettingOrg = { conn: undefined as unknown as Connection, value: initial, log: [], writes: [] };
  org.conn = {
    metadata: {
      read: async () => {
        org.log.push(`read:${String(org.value)}`);
        return org.value === undefined
          ? {}
          : { fullName: 'ExternalClientApp', enableClientSecretInRestApiAccess: String(org.value) };
      },
      update: async (_type: string, record: { enableClientSecretInRestApiAccess: boolean }) => {
        const value = record.enableClientSecretInRestApiAccess;
        org.log.push(`write:${String(value)}`);
        try {
          if ((await rule(value, org)) === 'ignore') return { success: 'true', fullName: 'ExternalClientApp' };
        } catch (error) {
          return { success: 'false', errors: { message: (error as Error).message } };
        }
        org.writes.push(value);
        org.value = value;
        return { success: 'true', fullName: 'ExternalClientApp' };
      },
    },
  } as unknown as Connection;
  return org;
}

/** A write rule that refuses every write with an error that is not worth a retry. */
export const refuseWrites: WriteRule = () => {
  throw new Error('INSUFFICIENT_ACCESS: no');
};

/** A write rule that refuses only the writes putting `value` back. */
export const refuseWritesOf =
  (refused: boolean): WriteRule =>
  (value) => {
    if (value === refused) throw new Error('INSUFFICIENT_ACCESS: no');
  };

/** A write rule that hangs the writes of `value` (the restore never finishes). */
export const hangWritesOf =
  (hung: boolean): WriteRule =>
  (value) =>
    value === hung ? new Promise<void>(() => {}) : undefined;

/**
 * Points HOME (so Global.SF_DIR, and the pending records) at a fresh temporary folder for the suite it is called
 * in, and puts HOME back after. Returns a getter for the folder.
 */
export function useTemporaryHome(): () => string {
  const saved = process.env.HOME;
  let home = '';
  before(async () => {
    home = await mkdtemp(join(tmpdir(), 'ren-home-'));
    process.env.HOME = home;
  });
  after(async () => {
    if (saved === undefined) delete process.env.HOME;
    else process.env.HOME = saved;
    await rm(home, { recursive: true, force: true });
  });
  return () => home;
}
