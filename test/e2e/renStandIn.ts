/**
 * Ren's side of a live connection, for the rotation tests: Ren holds a refresh token of the admin, issued to its app's
 * consumer, and refreshes it at the org's token endpoint with the key and secret it holds (the refresh grant needs
 * them: isSecretRequiredForRefreshToken). `startRefreshLoop` keeps refreshing with WHATEVER pair it holds, back to
 * back, and switches to a new pair when told (when the hand-off reaches it), recording every answer: a rotation
 * without downtime is one during which no answer is a refusal.
 */
/* eslint-disable camelcase -- OAuth wire names */
import { expect } from 'chai';
import type { Emulator } from '../emulator/index.js';
import type { RenReceiver } from './renReceiver.js';

export type Pair = { key: string; secret: string };

/** One refresh: the pair used, the status, and whether that pair was the consumer's current one at the answer. */
export type Attempt = { key: string; status: number; error?: string; current: boolean };

export type RefreshLoop = {
  /** Switches to another pair (Ren received new credentials). */
  use(pair: Pair): void;
  /** Ends the loop after the refresh under way; every attempt, in order. */
  stop(): Promise<Attempt[]>;
};

/** A refresh token Ren holds for the org's admin, issued to the app's consumer. */
export function renRefreshToken(emulator: Emulator, app = 'ren'): string {
  const { org } = emulator;
  const consumer = org.consumerForApp(app);
  if (!consumer) throw new Error(`the emulated org has no consumer for ${app}`);
  return org.sessions.issueRefreshToken(org.sessionUser.Id, consumer.id);
}

/** Ren's refresh grant at the org's token endpoint: the status, and the OAuth error when refused. */
export async function refresh(
  emulator: Emulator,
  refreshToken: string,
  pair: Pair,
): Promise<{ status: number; error?: string }> {
  const response = await fetch(`${emulator.url}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: pair.key,
      client_secret: pair.secret,
    }).toString(),
  });
  const body = (await response.json().catch(() => ({}))) as { error?: string };
  return { status: response.status, error: body.error };
}

/** The status of one refresh grant with a pair. */
export async function refreshStatus(emulator: Emulator, refreshToken: string, pair: Pair): Promise<number> {
  return (await refresh(emulator, refreshToken, pair)).status;
}

export function startRefreshLoop(emulator: Emulator, refreshToken: string, first: Pair, app = 'ren'): RefreshLoop {
  let holding = first;
  let running = true;
  const attempts: Attempt[] = [];
  const loop = (async (): Promise<void> => {
    while (running) {
      const used = holding;
      // eslint-disable-next-line no-await-in-loop
      const answer = await refresh(emulator, refreshToken, used).catch((error: Error) => ({
        status: 0,
        error: error.message,
      }));
      attempts.push({ key: used.key, ...answer, current: emulator.org.consumerForApp(app)?.key === used.key });
      // A short pause: enough answers to see every moment of a run, without flooding the emulator's log.
      // eslint-disable-next-line no-await-in-loop
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  return {
    use: (pair): void => {
      holding = pair;
    },
    stop: async (): Promise<Attempt[]> => {
      running = false;
      await loop;
      return attempts;
    },
  };
}

/** The attempts the org refused (anything but 200). */
export const refused = (attempts: Attempt[]): Attempt[] => attempts.filter((a) => a.status !== 200);

/**
 * Runs `work` (an sf run) while Ren refreshes with the pair it holds (`first` to begin with), switching when the
 * receiver accepts a hand-off; a little after the run too, so the new pair is tried. Every attempt is returned.
 */
export async function duringRun<T>(
  emulator: Emulator,
  receiver: RenReceiver,
  first: Pair,
  work: () => Promise<T>,
): Promise<{ run: T; attempts: Attempt[] }> {
  const refreshToken = renRefreshToken(emulator);
  expect(await refreshStatus(emulator, refreshToken, first), 'Ren is connected before the run').to.equal(200);
  const loop = startRefreshLoop(emulator, refreshToken, first);
  receiver.listen((received, status) => {
    const body = received.body as Record<string, string>;
    if (status < 300) loop.use({ key: body.consumerKey, secret: body.consumerSecret });
  });
  try {
    const run = await work();
    await new Promise((resolve) => setTimeout(resolve, 150));
    return { run, attempts: await loop.stop() };
  } finally {
    receiver.listen(undefined);
    await loop.stop();
  }
}

/**
 * Widens the moment between a staged rotate and the hand-off: the org's next read of a consumer's key and secret
 * answers 400 ms late, so Ren's loop certainly refreshes with the old pair while the new one is already current.
 */
export function slowCredentialsRead(emulator: Emulator): void {
  emulator.faults.add({
    match: { method: 'GET', path: '/\\/apps\\/oauth\\/credentials\\/[^/]+\\/[^/]+$/' },
    fault: 'delay',
    delayMs: 400,
    times: 1,
  });
}
