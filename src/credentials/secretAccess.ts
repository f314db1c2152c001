/*
 * The org setting "Allow access to External Client App consumer secrets via REST API"
 * (ExternalClientAppSettings.enableClientSecretInRestApiAccess, salesforce-api.md §1.7). Salesforce's
 * guidance is to keep it off, so the command turns it on only when asked (--allow-secret-access), for the
 * one read, and puts back what it found as soon as the read is over: also when the read fails, and on
 * Ctrl-C or SIGTERM. When putting it back fails, the error says so, with the Setup page.
 */
import type { Connection } from '@salesforce/core';
import { withRetry } from '../shared/retry.js';
import { credentialsError } from './messages.js';

const TYPE = 'ExternalClientAppSettings';
const FULL_NAME = 'ExternalClientApp';
const FIELD = 'enableClientSecretInRestApiAccess';

/** The setting's value; undefined when the org does not say. */
export async function readSecretAccess(conn: Connection): Promise<boolean | undefined> {
  const settings = (await withRetry(() => conn.metadata.read(TYPE as never, FULL_NAME))) as unknown as Record<string, unknown> | undefined;
  const value = settings?.fullName ? settings[FIELD] : undefined;
  if (value === undefined || value === null) return undefined;
  return value === true || value === 'true';
}

export async function writeSecretAccess(conn: Connection, enabled: boolean): Promise<void> {
  const result = (await conn.metadata.update(TYPE as never, { fullName: FULL_NAME, [FIELD]: enabled } as never)) as unknown as
    | { success?: boolean | string; errors?: { message?: string } | Array<{ message?: string }> }
    | undefined;
  const success = result?.success === true || result?.success === 'true';
  if (!success) {
    const errors = result?.errors === undefined ? [] : Array.isArray(result.errors) ? result.errors : [result.errors];
    throw new Error(errors.map((e) => e.message).join('; ') || `the org did not save ${TYPE}.${FIELD}`);
  }
}

export type SecretAccessWindow = {
  /** What the setting was before the command touched it. */
  before: boolean | undefined;
  /** The command turned it on and must put it back. */
  opened: boolean;
};

/**
 * Runs `read` with the setting on. When it is off and `allow` is set, turns it on first and puts the value it
 * found back right after `read`, whatever happens, including on SIGINT/SIGTERM (then the process exits with
 * the signal's code once the setting is back). Throws RenSecretAccessRestoreError when it cannot be put back.
 */
export async function withSecretAccess<T>(
  conn: Connection,
  options: { allow: boolean; before?: boolean },
  read: (window: SecretAccessWindow) => Promise<T>
): Promise<T> {
  const before = options.before;
  if (before === true || !options.allow) return read({ before, opened: false });

  await writeSecretAccess(conn, true);
  let restoring: Promise<void> | undefined;
  const restore = (): Promise<void> => {
    restoring ??= withRetry(() => writeSecretAccess(conn, false), { attempts: 3 });
    return restoring;
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    const code = signal === 'SIGINT' ? 130 : 143;
    restore().then(
      () => process.exit(code),
      (error: unknown) => {
        process.stderr.write(`${restoreError(error).message}\n`);
        process.exit(code);
      }
    );
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let outcome: { value: T } | { error: unknown };
  try {
    outcome = { value: await read({ before, opened: true }) };
  } catch (error) {
    outcome = { error };
  }
  try {
    await restore();
  } catch (error) {
    throw restoreError(error);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  if ('error' in outcome) throw outcome.error;
  return outcome.value;
}

function restoreError(error: unknown): Error {
  return credentialsError('error.RenSecretAccessRestore', [error instanceof Error ? error.message : String(error)]);
}
