/*
 * Whether a previous key and secret of the app still work: after a rotation through staged credentials the previous
 * pair stays valid (a Rotated record, 30 days) until `sf ren connect --revoke-previous`. Reading it may need the
 * REST secret setting (docs/salesforce.md §10.1, §10.4), which status never opens: then it cannot verify.
 */
import type { Connection } from '@salesforce/core';
import { findConsumer } from '../credentials/consumer.js';
import { previousPair, rotatesByStaging } from '../credentials/rotate.js';
import { readRotationRecord } from '../credentials/rotationRecord.js';
import { findAppId } from '../eca/orgApp.js';
import type { Check } from '../shared/checks.js';
import { optionalRead } from '../shared/errors.js';
import { connectFix, type FixContext } from './fixes.js';
import { statusCheck, statusMessages as messages } from './messages.js';

/** How long Salesforce keeps a previous pair valid after a staged rotation. */
const PREVIOUS_PAIR_MS = 30 * 86_400_000;

/**
 * The check, or none: when the org does not let status read the staged records (it never opens the setting), the
 * check is shown only if this plugin rotated the app through staged credentials in the last 30 days without
 * revoking the previous pair (then it cannot verify); otherwise there is nothing to say.
 */
export async function previousPairCheck(conn: Connection, app: string, ctx: FixContext): Promise<Check[]> {
  const expected = messages.getMessage('expected.previousPair');
  const revokeFix = connectFix(ctx, [['--revoke-previous', true]]);
  const read = await optionalRead(
    (async (): Promise<{ staged: boolean; previous?: { createdDate?: string; expirationDate?: string } }> => {
      const appId = await findAppId(conn, app);
      const consumer = appId ? (await findConsumer(conn, appId, app)).consumer : undefined;
      if (!consumer || !rotatesByStaging(conn, consumer)) return { staged: false };
      return { staged: true, previous: await previousPair(conn, consumer) };
    })(),
  );
  if (read.error) {
    const record = await readRotationRecord(conn.getAuthInfoFields().orgId ?? '', app);
    const recent =
      record?.method === 'staged' &&
      Boolean(record.stagedId) &&
      Date.now() - Date.parse(record.rotatedAt) < PREVIOUS_PAIR_MS;
    if (!recent) return [];
    const actual = messages.getMessage('actual.cannotRead', [read.error.message]);
    return [statusCheck('previousPair', 'unverified', expected, actual, revokeFix)];
  }
  const previous = read.value?.previous;
  if (!previous) {
    const actual = messages.getMessage(read.value?.staged ? 'actual.noPreviousPair' : 'actual.noStagedCredentials');
    return [statusCheck('previousPair', 'pass', expected, actual)];
  }
  const actual = messages.getMessage('actual.previousPair', [
    previous.createdDate ?? '?',
    previous.expirationDate ?? '?',
  ]);
  return [statusCheck('previousPair', 'warn', expected, actual, revokeFix)];
}
