/*
 * Turns what Salesforce (through jsforce) throws into errors that say what is wrong and what to do
 * (salesforce-api.md §8). Errors we raise ourselves are already SfErrors and pass through.
 */
import { Messages, SfError } from '@salesforce/core';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-ren', 'errors');

/**
 * An SfError with our own name, its message and actions from a messages file.
 * (SfError.name is read-only after construction, so createError can't be renamed.)
 */
export function renError(
  bundle: Messages<string>,
  key: string,
  name: string,
  tokens: string[] = [],
  actionTokens: string[] = [],
  cause?: unknown
): SfError {
  const actionKey = `${key}.actions`;
  const actions = bundle.getMessages(actionKey, actionTokens).length > 0 ? bundle.getMessages(actionKey, actionTokens) : undefined;
  return new SfError(bundle.getMessage(key, tokens), name, actions, 1, cause);
}

type RawError = Error & { errorCode?: string; statusCode?: number; data?: unknown };

/** The Salesforce error code of an error thrown by jsforce or the sf libraries, if it has one. */
export function errorCode(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const raw = error as RawError;
  // SOAP faults name their code with a namespace prefix: "sf:INVALID_SESSION_ID".
  const candidates = [raw.errorCode, raw.name, /^([A-Z_]{5,}):/.exec(raw.message)?.[1]].map((c) =>
    typeof c === 'string' ? c.replace(/^[a-z]+:/, '') : c
  );
  return candidates.find((c): c is string => typeof c === 'string' && /^[A-Z][A-Z_]+$/.test(c));
}

// /refresh.*token/ also covers "No refresh token found" and "expired access/refresh token".
const SESSION_HINTS = [/INVALID_SESSION_ID/, /Session expired or invalid/i, /refresh.*token/i];
const UNAVAILABLE = /\b(5\d\d)\b|SERVER_UNAVAILABLE|UNKNOWN_EXCEPTION|ECONNRESET|ECONNREFUSED|ETIMEDOUT|socket hang up|timed? ?out/i;

/** True for an expired or revoked session: the one error no check may swallow. */
export function isSessionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return errorCode(error) === 'INVALID_SESSION_ID' || SESSION_HINTS.some((hint) => hint.test(error.message) || hint.test(error.name));
}

/**
 * Maps an error from the org to a clear SfError. `target` is the alias or username the user logged in
 * with, used in the "log in again" hint.
 */
export function toRenError(error: unknown, target: string): Error {
  if (error instanceof SfError && error.name.startsWith('Ren')) return error;
  const raw = error instanceof Error ? (error as RawError) : new Error(String(error));
  const code = errorCode(raw) ?? '';
  const message = raw.message;
  const wrap = (key: string, name: string, tokens: string[], actionTokens: string[] = []): SfError =>
    renError(messages, key, name, tokens, actionTokens, raw);
  if (isSessionError(raw)) {
    return wrap('error.InvalidSession', 'RenSessionExpiredError', [target], [target]);
  }
  if (code === 'INSUFFICIENT_ACCESS' || code === 'INSUFFICIENT_ACCESS_OR_READONLY' || code === 'INSUFFICIENT_PRIVILEGES') {
    return wrap('error.InsufficientAccess', 'RenInsufficientAccessError', [target, message]);
  }
  if (code === 'API_DISABLED_FOR_ORG' || code === 'API_CURRENTLY_DISABLED') {
    return wrap('error.ApiDisabled', 'RenApiDisabledError', [message]);
  }
  if (code === 'REQUEST_LIMIT_EXCEEDED') {
    return wrap('error.RequestLimit', 'RenRequestLimitError', [message]);
  }
  if (code === 'UNSUPPORTED_API_VERSION') {
    return wrap('error.UnsupportedApiVersion', 'RenApiVersionError', [message]);
  }
  if (code === 'INVALID_TYPE') {
    return wrap('error.InvalidType', 'RenInvalidTypeError', [message]);
  }
  if (UNAVAILABLE.test(code) || UNAVAILABLE.test(message)) {
    return wrap('error.Unavailable', 'RenOrgUnavailableError', [message.split('\n')[0]]);
  }
  return error instanceof SfError ? error : SfError.wrap(raw);
}
