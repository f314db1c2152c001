/*
 * The org setting "Allow access to External Client App consumer secrets via REST API"
 * (ExternalClientAppSettings.enableClientSecretInRestApiAccess, salesforce-api.md §1.7). Salesforce's
 * guidance is to keep it off, so the command turns it on only when asked (--allow-secret-access), for the
 * one read, and puts back what it found as soon as the read is over: also when the read fails, and on
 * Ctrl-C or SIGTERM. When putting it back fails, the error says so, with the Setup page.
 */
import type { Connection } from '@salesforce/core';
import { withRetry } from '../shared/retry.js';
import { credentialsError, credentialsMessage } from './messages.js';

const TYPE = 'ExternalClientAppSettings';
const FULL_NAME = 'ExternalClientApp';
const FIELD = 'enableClientSecretInRestApiAccess';

/** The setting's value; undefined when the org does not say. */
export async function readSecretAccess(conn: Connection): Promise<boolean | undefined> {
  const settings = (await withRetry(() => conn.metadata.read(TYPE as never, FULL_NAME))) as unknown as
    Record<string, unknown> | undefined;
  const value = settings?.fullName ? settings[FIELD] : undefined;
  if (value === undefined || value === null) return undefined;
  return value === true || value === 'true';
}

export async function writeSecretAccess(conn: Connection, enabled: boolean): Promise<void> {
  const result = (await conn.metadata.update(
    TYPE as never,
    { fullName: FULL_NAME, [FIELD]: enabled } as never,
  )) as unknown as
    { success?: boolean | string; errors?: { message?: string } | Array<{ message?: string }> } | undefined;
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

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const EXIT_CODES: Record<(typeof SIGNALS)[number], number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

/**
 * While the setting is open, a signal must put it back before the process ends. sf's own handlers end the
 * process at once (SfCommand exits on SIGINT/SIGTERM), so they are set aside for that time and ours alone
 * answers: it waits for the opening write, puts the value back, says so, and exits with the signal's code.
 * Returns `release`, which gives the signals back to their previous handlers, and whether a signal came.
 */
function guardSignals(restoreNow: () => Promise<void>): { release: () => void; interrupted: () => boolean } {
  const saved = SIGNALS.map((signal) => ({ signal, listeners: process.listeners(signal) }));
  let interrupted = false;
  const onSignal = (signal: (typeof SIGNALS)[number]): void => {
    if (interrupted) return;
    interrupted = true;
    restoreNow().then(
      () => {
        process.stderr.write(`${credentialsMessage('interrupted.restored', [signal])}\n`);
        process.exit(EXIT_CODES[signal]);
      },
      (error: unknown) => {
        process.stderr.write(`${restoreError(error).message}\n`);
        process.exit(EXIT_CODES[signal]);
      },
    );
  };
  const handlers = saved.map(({ signal }) => ({ signal, handler: (): void => onSignal(signal) }));
  for (const { signal, handler } of handlers) {
    process.removeAllListeners(signal);
    process.on(signal, handler);
  }
  const release = (): void => {
    for (const [index, { signal, listeners }] of saved.entries()) {
      process.off(signal, handlers[index].handler);
      for (const listener of listeners) process.on(signal, listener as (...args: unknown[]) => void);
    }
  };
  return { release, interrupted: () => interrupted };
}

/**
 * Runs `read` with the setting on. When it is off and `allow` is set, turns it on first and puts the value it
 * found back right after `read`, whatever happens, including on SIGINT/SIGTERM (then the process exits with
 * the signal's code once the setting is back). Throws RenSecretAccessRestoreError when it cannot be put back.
 */
export async function withSecretAccess<T>(
  conn: Connection,
  options: { allow: boolean; before?: boolean },
  read: (window: SecretAccessWindow) => Promise<T>,
): Promise<T> {
  const before = options.before;
  if (before === true || !options.allow) return read({ before, opened: false });

  const opening = writeSecretAccess(conn, true);
  let restoring: Promise<void> | undefined;
  // Puts the value back once, after the opening write; every caller waits for the same write. When the opening
  // write failed, nothing was opened as far as we know: one quiet write in case the org applied it anyway.
  const restore = (): Promise<void> => {
    restoring ??= opening.then(
      () => withRetry(() => writeSecretAccess(conn, false), { attempts: 3 }),
      () => writeSecretAccess(conn, false).catch(() => undefined),
    );
    return restoring;
  };
  const signals = guardSignals(restore);
  let outcome: { value: T } | { error: unknown };
  try {
    await opening.catch((error: unknown) => {
      throw credentialsError('error.RenSecretAccessOpen', [error instanceof Error ? error.message : String(error)]);
    });
    outcome = { value: await read({ before, opened: true }) };
  } catch (error) {
    outcome = { error };
  }
  const restored = await restore().then(
    () => ({ ok: true as const }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  // Interrupted: the signal's handler reports and ends the process; nothing more may happen (no hand-off).
  if (signals.interrupted()) return new Promise<T>(() => {});
  signals.release();
  if (!restored.ok) throw restoreError(restored.error);
  if ('error' in outcome) throw outcome.error;
  return outcome.value;
}

function restoreError(error: unknown): Error {
  return credentialsError('error.RenSecretAccessRestore', [error instanceof Error ? error.message : String(error)]);
}
