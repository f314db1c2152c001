/*
 * Bounded retries for read-only calls: a transient fault (errors.ts isTransientError) is often gone a
 * moment later, and reading twice changes nothing. Deploys are never retried here: SDR polls them, and a
 * re-run of the command is safe (it re-reads the org first).
 */
import { isTransientError } from './errors.js';

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
