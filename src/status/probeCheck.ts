/*
 * The live OAuth probe as a status check: Salesforce's authorize endpoint is asked what Ren's login would ask
 * (the app's consumer key, Ren's own callback URL, PKCE as the guide says) without logging in, and its answer is
 * read as accepted or rejected with a reason and a fix.
 */
import type { Connection } from '@salesforce/core';
import type { Check } from '../shared/checks.js';
import { optionalRead } from '../shared/errors.js';
import { findConsumer, readCredentials } from '../credentials/consumer.js';
import { type AppDefinition, vendorName } from '../eca/definition.js';
import { type ExistingApp, findAppId } from '../eca/orgApp.js';
import { createFix, type FixContext, statusFix } from './fixes.js';
import { statusMessages as messages } from './messages.js';
import { probeAuthorize } from './probe.js';

/** The consumer key: from the app's global OAuth settings when the org shows it there, else the credentials API. */
async function consumerKey(conn: Connection, existing: ExistingApp): Promise<{ key?: string; why?: string }> {
  const global = existing.children.globalOauth?.record ?? {};
  if (typeof global.consumerKey === 'string' && global.consumerKey) return { key: global.consumerKey };
  const apiName = existing.app?.fullName ?? '';
  const read = await optionalRead(
    (async (): Promise<string | undefined> => {
      const appId = await findAppId(conn, apiName);
      if (!appId) return undefined;
      const { consumer } = await findConsumer(conn, appId, apiName);
      return consumer ? (await readCredentials(conn, appId, consumer.id, 'key')).consumerKey : undefined;
    })(),
  );
  return { key: read.value, why: read.error?.message ?? messages.getMessage('probe.noConsumer') };
}

/** What repairs a rejected login: the app's own settings are create's job, the rest a page or a wait. */
function probeFix(error: string, ctx: FixContext): string {
  if (error === 'redirect_uri_mismatch' || error === 'OAUTH_APP_BLOCKED') return createFix(ctx);
  if (error === 'invalid_client_id') return messages.getMessage('fix.probeClientId');
  if (error === 'invalid_request') return messages.getMessage('fix.probeRequest');
  return messages.getMessage('fix.probe');
}

/** Salesforce takes minutes to make a new app or a changed callback known to its login (§10.7; reports say 5–10). */
export const PROPAGATION_WINDOW_MS = 15 * 60_000;

/** When the app or its callback last changed, if the org says and it was within the propagation window. */
export function recentChange(existing: ExistingApp, now = Date.now()): string | undefined {
  const dates = [existing.app?.createdDate, existing.children.globalOauth?.lastModifiedDate]
    .filter((d): d is string => typeof d === 'string' && !Number.isNaN(Date.parse(d)))
    .sort();
  const latest = dates.at(-1);
  return latest && now - Date.parse(latest) < PROPAGATION_WINDOW_MS ? latest : undefined;
}

/** The answers Salesforce gives while a new app or callback is not known to its login yet. */
const NOT_PROPAGATED = new Set(['invalid_client_id', 'redirect_uri_mismatch']);

export type ProbeWait = { waitMs: number; pollMs?: number; onWaiting?: (since: string) => void };

/**
 * The probe as a check; a rejection that a recent change explains is `pending`. With `wait`, a pending probe is
 * asked again every `pollMs` until it is accepted, fails for another reason, or the wait is over.
 */
export async function probeCheck(
  conn: Connection,
  existing: ExistingApp,
  def: AppDefinition,
  loginUrl: string,
  ctx: FixContext,
  wait: ProbeWait = { waitMs: 0 },
): Promise<Check> {
  const deadline = Date.now() + wait.waitMs;
  let check = await probeOnce(conn, existing, def, loginUrl, ctx);
  while (check.status === 'pending' && Date.now() < deadline) {
    wait.onWaiting?.(recentChange(existing) ?? '');
    // eslint-disable-next-line no-await-in-loop
    await new Promise((resolve) => setTimeout(resolve, Math.min(wait.pollMs ?? 15_000, deadline - Date.now())));
    // eslint-disable-next-line no-await-in-loop
    check = await probeOnce(conn, existing, def, loginUrl, ctx);
  }
  return check;
}

async function probeOnce(
  conn: Connection,
  existing: ExistingApp,
  def: AppDefinition,
  loginUrl: string,
  ctx: FixContext,
): Promise<Check> {
  const name = messages.getMessage('check.probe', [vendorName(def)]);
  const expected = messages.getMessage('expected.probe');
  const { key, why } = await consumerKey(conn, existing);
  if (!key) return { name, status: 'warn', expected, actual: messages.getMessage('probe.noKey', [why ?? '']) };
  // What Ren's login sends: its own callback URL (not the app's, which may have drifted), PKCE as its guide says.
  const outcome = await probeAuthorize({
    loginUrl,
    clientId: key,
    redirectUri: def.callbackUrl,
    pkce: def.requirePkce,
  });
  if (outcome.accepted) {
    return { name, status: 'pass', expected, actual: messages.getMessage('probe.accepted', [loginUrl]) };
  }
  const meaning = messages
    .getMessages('probe.meanings')
    .find((line) => line.startsWith(`${outcome.error}:`))
    ?.replace(/^[^:]+:\s*/, '');
  const described = outcome.description ? ` (${outcome.description})` : '';
  const actual = `${outcome.error}${described}${meaning ? `: ${meaning}` : ''}`;
  const changed = NOT_PROPAGATED.has(outcome.error) ? recentChange(existing) : undefined;
  if (changed) {
    const fix = messages.getMessage('fix.pending', [statusFix(ctx, [['--probe-wait', '10']])]);
    return { name, status: 'pending', expected, actual: messages.getMessage('probe.pending', [actual, changed]), fix };
  }
  return { name, status: 'fail', expected, actual, fix: probeFix(outcome.error, ctx) };
}
