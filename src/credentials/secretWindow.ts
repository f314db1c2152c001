/*
 * A "window": the secret setting (secretSetting.ts) turned on for one read, when the user allowed it
 * (--allow-secret-access), and put back to exactly the value read before, whatever happens:
 * - the normal way, right after the read (also when the read failed), read back to confirm;
 * - on a signal or a crash, through the process-wide guard (shared/interruptGuard.ts), which restores every open
 *   window at once, several orgs included;
 * - after a SIGKILL or a restore that could not finish, through the pending-restore record written before the
 *   setting was opened (pendingRestore.ts): the next command that changes the org completes it.
 */
import type { Connection } from '@salesforce/core';
import { guardChange, isInterrupted, type RestoreReport } from '../shared/interruptGuard.js';
import { withRetry } from '../shared/retry.js';
import { refusedForSetting } from './consumer.js';
import { credentialsError, credentialsMessage } from './messages.js';
import { clearPendingRestore, pendingFolder, recordPendingRestore } from './pendingRestore.js';
import { readSecretAccess, SECRET_SETTING_PAGE, writeSecretAccess } from './secretSetting.js';

export type SecretAccessWindow = {
  /** What the setting was before the command touched it. */
  before: boolean | undefined;
  /** The command turned it on (and put it back). */
  opened: boolean;
};

export type WindowOptions = {
  /** The user allowed the command to turn the setting on (--allow-secret-access). */
  allow: boolean;
  /** The setting as read before the window; undefined when the org did not say. */
  before: boolean | undefined;
  /** The org, for the pending-restore record and the messages: its id, username and name in messages. */
  org: { orgId: string; username?: string; instanceUrl?: string; target: string };
};

/**
 * Runs `read` with the setting on. When it is off and the user allowed it, turns it on first and puts the value
 * it found back right after `read`, whatever happens. Throws RenSecretAccessRestoreError when it cannot be put
 * back (the pending record then stays for the next command), RenSecretAccessUnknownError when the setting's value
 * was unknown and the read was refused (nothing is opened without a value to put back).
 */
export async function withSecretAccess<T>(
  conn: Connection,
  options: WindowOptions,
  read: (window: SecretAccessWindow) => Promise<T>,
): Promise<T> {
  const { before } = options;
  if (before === true) return read({ before, opened: false });
  if (!options.allow) {
    // Not allowed to open it: a refusal for the setting says so, with the flag that allows it.
    return read({ before, opened: false }).catch((error: unknown) => {
      throw before === false && refusedForSetting(error) ? credentialsError('error.RenSecretAccessOff') : error;
    });
  }
  if (before === undefined) {
    return read({ before, opened: false }).catch((error: unknown) => {
      throw refusedForSetting(error) ? credentialsError('error.RenSecretAccessUnknown') : error;
    });
  }

  const { org } = options;
  await recordPendingRestore({
    orgId: org.orgId,
    username: org.username,
    instanceUrl: org.instanceUrl,
    value: before,
  });
  const opening = writeSecretAccess(conn, true);
  let restoring: Promise<RestoreReport> | undefined;
  let failure = '';
  // Puts the value back once, after the opening write; the normal path and the guard wait for the same write.
  const restore = (): Promise<RestoreReport> => {
    restoring ??= opening
      .catch(() => undefined)
      .then(async () => {
        // Read first: when the opening write was refused, the org never changed and nothing needs writing.
        if ((await readSecretAccess(conn)) !== before) {
          await withRetry(() => writeSecretAccess(conn, before), { attempts: 3 });
        }
        const now = await readSecretAccess(conn);
        if (now !== before) throw new Error(`the org still shows ${String(now)}`);
        await clearPendingRestore(org.orgId);
        return { ok: true, line: credentialsMessage('interrupted.restored', [org.target, before ? 'on' : 'off']) };
      })
      .catch((error: unknown) => {
        failure = error instanceof Error ? error.message : String(error);
        return { ok: false, line: leftBehind(org.target, failure) };
      });
    return restoring;
  };
  const release = guardChange({ restore, leftBehind: () => leftBehind(org.target, 'not finished in time') });
  let outcome: { value: T } | { error: unknown };
  try {
    await opening.catch((error: unknown) => {
      throw credentialsError('error.RenSecretAccessOpen', [error instanceof Error ? error.message : String(error)]);
    });
    outcome = { value: await read({ before, opened: true }) };
  } catch (error) {
    outcome = { error };
  }
  const restored = await restore();
  // Interrupted meanwhile: the guard reports and ends the process; nothing more may happen (no hand-off).
  if (isInterrupted()) return new Promise<T>(() => {});
  release();
  if (!restored.ok) {
    throw credentialsError('error.RenSecretAccessRestore', [failure], [org.target]);
  }
  if ('error' in outcome) throw outcome.error;
  return outcome.value;
}

function leftBehind(target: string, why: string): string {
  return credentialsMessage('interrupted.notRestored', [target, why, SECRET_SETTING_PAGE, target, pendingFolder()]);
}
