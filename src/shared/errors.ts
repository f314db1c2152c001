/*
 * Turns what Salesforce (through jsforce) throws into errors that say what is wrong and what to do
 * (docs/salesforce.md §8). Errors we raise ourselves are already SfErrors named Ren…Error and pass through.
 *
 * Every error of this plugin comes from a messages file through `messages.createError(key)`: its name is
 * the key's last part plus "Error" (`error.RenSessionExpired` → `RenSessionExpiredError`), its actions the
 * `<key>.actions` entry.
 */
import { Messages, SfError } from '@salesforce/core';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@rensystems/plugin-ren', 'errors');

type RawError = Error & { errorCode?: string; statusCode?: number; code?: string; data?: unknown };

/** The Salesforce error code of an error thrown by jsforce or the sf libraries, if it has one. */
/**
 * The org refused the read itself (INSUFFICIENT_ACCESS, INSUFFICIENT_ACCESS_OR_READONLY, …): the user lacks what the
 * read was about to check.
 */
export function isAccessRefused(error: unknown): boolean {
  return (errorCode(error) ?? '').startsWith('INSUFFICIENT_ACCESS');
}

export function errorCode(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const raw = error as RawError;
  // SOAP faults name their code with a namespace prefix: "sf:INVALID_SESSION_ID".
  const candidates = [raw.errorCode, raw.name, /^([A-Z_]{5,}):/.exec(raw.message)?.[1]].map((c) =>
    typeof c === 'string' ? c.replace(/^[a-z]+:/, '') : c,
  );
  return candidates.find((c): c is string => typeof c === 'string' && /^[A-Z][A-Z_]+$/.test(c));
}

// /refresh.*token/ also covers "No refresh token found" and "expired access/refresh token".
const SESSION_HINTS = [/INVALID_SESSION_ID/, /Session expired or invalid/i, /refresh.*token/i];

/** True for an expired or revoked session: the one error no check may swallow, and never worth a retry. */
export function isSessionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return (
    errorCode(error) === 'INVALID_SESSION_ID' ||
    SESSION_HINTS.some((hint) => hint.test(error.message) || hint.test(error.name))
  );
}

const TRANSIENT_CODES = new Set([
  'SERVER_UNAVAILABLE',
  'UNKNOWN_EXCEPTION',
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
]);
const TRANSIENT_TEXT = new RegExp(
  [
    '\\b5\\d\\d\\b',
    'Service Unavailable',
    'Internal Server Error',
    'Bad Gateway',
    'SERVER_UNAVAILABLE',
    'UNKNOWN_EXCEPTION',
    'ECONNRESET',
    'ECONNREFUSED',
    'ETIMEDOUT',
    'socket hang up',
    'fetch failed',
    'timed? ?out',
  ].join('|'),
  'i',
);

/**
 * The one definition of "transient": the org or the network failed in a way that is often gone a moment
 * later (a 5xx, a dropped or refused connection, a timeout). Read-only calls are retried on it (retry.ts),
 * and when it persists the user is told the org did not answer and a re-run is safe (toRenError).
 */
export function isTransientError(error: unknown): boolean {
  if (!(error instanceof Error) || isSessionError(error)) return false;
  const raw = error as RawError;
  const code = errorCode(error) ?? raw.code;
  if (code !== undefined && (TRANSIENT_CODES.has(code) || /^ERROR_HTTP_5\d\d$/.test(code))) return true;
  if (typeof raw.statusCode === 'number' && raw.statusCode >= 500) return true;
  return TRANSIENT_TEXT.test(error.message);
}

const INSUFFICIENT = new Set(['INSUFFICIENT_ACCESS', 'INSUFFICIENT_ACCESS_OR_READONLY', 'INSUFFICIENT_PRIVILEGES']);
const API_DISABLED = new Set(['API_DISABLED_FOR_ORG', 'API_CURRENTLY_DISABLED']);

/**
 * Maps an error from the org to a clear SfError. `target` is the alias or username the user logged in
 * with, used in the "log in again" hint.
 */
export function toRenError(error: unknown, target: string): Error {
  if (error instanceof SfError && error.name.startsWith('Ren')) return error;
  const raw = error instanceof Error ? (error as RawError) : new Error(String(error));
  const code = errorCode(raw) ?? '';
  const message = raw.message;
  const create = (key: string, tokens: string[], actionTokens: string[] = []): SfError =>
    messages.createError(key, tokens, actionTokens, raw);
  if (isSessionError(raw)) return create('error.RenSessionExpired', [target], [target]);
  if (INSUFFICIENT.has(code)) return create('error.RenInsufficientAccess', [target, message]);
  if (API_DISABLED.has(code)) return create('error.RenApiDisabled', [message]);
  if (code === 'REQUEST_LIMIT_EXCEEDED') return create('error.RenRequestLimit', [message]);
  if (code === 'UNSUPPORTED_API_VERSION') return create('error.RenUnsupportedApiVersion', [message]);
  if (code === 'INVALID_TYPE') return create('error.RenInvalidType', [message]);
  if (isTransientError(raw)) return create('error.RenOrgUnavailable', [message.split('\n')[0]]);
  return error instanceof SfError ? error : SfError.wrap(raw);
}

/** Runs a step against the org, turning what it throws into a named error (see toRenError). */
export async function withNamedErrors<T>(target: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toRenError(error, target);
  }
}

export type Reading<T> = { value?: T; error?: Error };

/**
 * Runs an optional read: its value, or the error it failed with, so the caller can report "unknown" instead of
 * failing. An expired session is never swallowed: it ends the command with its own error.
 */
export async function optionalRead<T>(work: Promise<T>): Promise<Reading<T>> {
  try {
    return { value: await work };
  } catch (error) {
    if (isSessionError(error)) throw error;
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }
}
