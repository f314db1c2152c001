/*
 * Bounded retries for read-only calls: a 5xx or a dropped connection is often gone a moment later, and
 * reading twice changes nothing. Deploys are never retried here: SDR polls them, and a re-run of the
 * command is safe (it re-reads the org first).
 */
import { errorCode, isSessionError } from './errors.js';

const TRANSIENT_CODES = new Set(['SERVER_UNAVAILABLE', 'UNKNOWN_EXCEPTION', 'ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE']);
const TRANSIENT_TEXT = /\b50[0234]\b|Service Unavailable|Internal Server Error|socket hang up|ECONNRESET|ETIMEDOUT|fetch failed/i;

export function isTransientError(error: unknown): boolean {
  if (!(error instanceof Error) || isSessionError(error)) return false;
  const code = errorCode(error) ?? (error as Error & { code?: string }).code;
  return (code !== undefined && TRANSIENT_CODES.has(code)) || TRANSIENT_TEXT.test(error.message);
}

export type RetryOptions = { attempts?: number; baseDelayMs?: number };

export async function withRetry<T>(work: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 3;
  const baseDelayMs = options.baseDelayMs ?? 500;
  for (let attempt = 1; ; attempt++) {
    try {
      // eslint-disable-next-line no-await-in-loop
      return await work();
    } catch (error) {
      if (attempt >= attempts || !isTransientError(error)) throw error;
      // eslint-disable-next-line no-await-in-loop
      await new Promise((resolve) => setTimeout(resolve, baseDelayMs * 2 ** (attempt - 1)));
    }
  }
}
