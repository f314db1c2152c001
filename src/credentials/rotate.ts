/*
 * A new consumer secret (and key) for the app, without cutting the vendor off where the org allows it
 * (docs/salesforce.md §2 step 4, §10.1):
 * - Staged credentials (API 65.0+, the consumer names its staged URL): a new pair is staged and rotated in; the
 *   previous pair stays valid (a Rotated record, 30 days) until `--revoke-previous` deletes it, in the same run
 *   after the hand-off or in a later one. Staged credentials always issue a new key with the secret.
 * - Elsewhere, a deploy of the app's global OAuth settings with shouldRotateConsumerSecret (and
 *   shouldRotateConsumerKey for a new key), which needs ignoreWarnings: the old secret stops working at once, so
 *   the command asks first (connect's consent rule).
 * A leftover staged record blocks a new one (one per consumer): one this plugin made is finished or cleared (its
 * rotation record names it); one another tool left stops the rotation before anything changes.
 */
import type { Connection, SfError } from '@salesforce/core';
import { componentType, type MetadataRecord, sourceFile } from '../eca/components.js';
import { appNotFoundError } from '../eca/messages.js';
import { readExistingApp, similarAppNames } from '../eca/orgApp.js';
import { deployFailedError, deployFiles } from '../shared/deploy.js';
import type { Consumer } from './consumer.js';
import { credentialsError, credentialsMessage } from './messages.js';
import { type RotationRecord, readRotationRecord, writeRotationRecord } from './rotationRecord.js';
import { type StagedRecord, deleteStaged, listStaged, rotateStagedIn, stageNewPair } from './staged.js';

export type Rotation = {
  method: 'deploy' | 'staged';
  /** A new key as well as a new secret. */
  key: boolean;
  deployId?: string;
  /** Staged: the record that now holds the previous pair, valid until revoked or it expires. */
  previous?: StagedRecord;
  stagedUrl?: string;
  /** What the rotation cleared or finished on its way (a leftover record of an earlier run). */
  notes: string[];
};

/** Where a rotation left the app: its consumer and how it was rotated. */
export type RotationState = { consumer: Consumer; rotation: Rotation };

export type RotateOptions = {
  key: boolean;
  /** Told the rotation deploy's id once the org accepted it (a deploy rotation only). */
  onDeployStarted?: (deployId: string) => void;
};

export type AppRef = { orgId: string; app: string; target: string };

/** Staged credentials where the org offers them: API 65.0 or later, and a staged URL on the consumer. */
export function rotatesByStaging(conn: Connection, consumer: Consumer): boolean {
  return Boolean(consumer.stagedCredentialsUrl) && Number(conn.getApiVersion()) >= 65;
}

/** Refuses to rotate the app whose consumer key the current sf login itself uses: the login would break. */
export function assertNotOwnLogin(conn: Connection, consumer: Consumer, app: string): void {
  const clientId = conn.getAuthInfoFields().clientId;
  if (clientId && consumer.key && clientId === consumer.key) throw credentialsError('error.RenSelfRotation', [app]);
}

/**
 * Clears the way for a new staged pair: an expired record is deleted (it holds nothing usable); a record this
 * plugin made is finished (Active: rotated in) or cleared (Rotated: the pair before the current one); a record of
 * another tool stops the rotation before anything changes.
 */
async function clearLeftovers(
  conn: Connection,
  stagedUrl: string,
  ref: AppRef,
  record: RotationRecord | undefined,
): Promise<{ active?: StagedRecord; notes: string[] }> {
  const notes: string[] = [];
  let active: StagedRecord | undefined;
  const leftovers = await listStaged(conn, stagedUrl);
  // Checked before anything is deleted: the previous pair is the one the vendor still uses.
  const inUse = leftovers.find((l) => l.state === 'Rotated' && l.id === record?.stagedId && record.handedOff === false);
  if (inUse) {
    throw credentialsError('error.RenPreviousPairInUse', [ref.app, record?.rotatedAt ?? '?', inUse.id], [ref.target]);
  }
  for (const leftover of leftovers) {
    const ours = record?.stagedId === leftover.id;
    if (leftover.state === 'Active' && ours) {
      active = leftover;
      notes.push(credentialsMessage('rotation.finishing', [leftover.id]));
    } else if (leftover.state === 'Expired' || (leftover.state === 'Rotated' && ours)) {
      // eslint-disable-next-line no-await-in-loop
      await deleteStaged(conn, stagedUrl, leftover.id);
      notes.push(credentialsMessage(`rotation.cleared${leftover.state}`, [leftover.id, record?.rotatedAt ?? '']));
    } else {
      throw credentialsError(
        'error.RenStagedLeftover',
        [leftover.id, leftover.state, leftover.createdBy ?? '?', leftover.createdDate ?? '?'],
        [stagedUrl, leftover.id],
      );
    }
  }
  return { active, notes };
}

async function rotateByStaging(conn: Connection, consumer: Consumer, ref: AppRef): Promise<Rotation> {
  const stagedUrl = consumer.stagedCredentialsUrl ?? '';
  const record = await readRotationRecord(ref.orgId, ref.app);
  const { active, notes } = await clearLeftovers(conn, stagedUrl, ref, record);
  const staged = active ?? (await stageNewPair(conn, stagedUrl));
  // Remembered before the rotate, so a run interrupted here finishes it next time instead of being blocked by it.
  const base = { orgId: ref.orgId, app: ref.app, method: 'staged' as const };
  await writeRotationRecord({
    ...base,
    rotatedAt: record?.rotatedAt ?? new Date(0).toISOString(),
    stagedId: staged.id,
  });
  const previous = await rotateStagedIn(conn, stagedUrl, staged.id);
  await writeRotationRecord({ ...base, rotatedAt: new Date().toISOString(), stagedId: staged.id, handedOff: false });
  return { method: 'staged', key: true, previous, stagedUrl, notes };
}

async function rotateByDeploy(conn: Connection, ref: AppRef, options: RotateOptions): Promise<Rotation> {
  const apiVersion = conn.getApiVersion();
  const existing = await readExistingApp(conn, ref.app, apiVersion);
  const global = existing.children.globalOauth;
  if (!existing.app || !global) {
    throw appNotFoundError(ref.app, ref.target, await similarAppNames(conn, ref.app, existing.others));
  }
  const generated = new Set(componentType('globalOauth').generated);
  const record = Object.fromEntries(Object.entries(global.record).filter(([field]) => !generated.has(field)));
  // A secret-only rotation carries the current key, so the org keeps it (docs/salesforce.md §10.6).
  const currentKey = global.record.consumerKey;
  const key: MetadataRecord = !options.key && currentKey !== undefined ? { consumerKey: currentKey } : {};
  const component = {
    ...global,
    record: { ...record, ...key, shouldRotateConsumerKey: options.key, shouldRotateConsumerSecret: true },
  };
  const outcome = await deployFiles(conn, [sourceFile(component)], {
    apiVersion,
    ignoreWarnings: true,
    onStarted: options.onDeployStarted,
  });
  if (!outcome.success) throw deployFailedError(outcome.id, outcome.problems, outcome.errorMessage);
  await writeRotationRecord({ orgId: ref.orgId, app: ref.app, method: 'deploy', rotatedAt: new Date().toISOString() });
  return { method: 'deploy', key: options.key, deployId: outcome.id, notes: [] };
}

export async function rotateCredentials(
  conn: Connection,
  consumer: Consumer,
  ref: AppRef,
  options: RotateOptions,
): Promise<Rotation> {
  assertNotOwnLogin(conn, consumer, ref.app);
  if (rotatesByStaging(conn, consumer)) return rotateByStaging(conn, consumer, ref);
  return rotateByDeploy(conn, ref, options);
}

/** The staged record that holds a previous pair still valid, if any (for --revoke-previous and status). */
export async function previousPair(conn: Connection, consumer: Consumer): Promise<StagedRecord | undefined> {
  if (!rotatesByStaging(conn, consumer)) return undefined;
  return (await listStaged(conn, consumer.stagedCredentialsUrl ?? '')).find((r) => r.state === 'Rotated');
}

/** Revokes the previous pair: deletes its Rotated record and reads back that it is gone. */
export async function revokePreviousPair(
  conn: Connection,
  consumer: Consumer,
  ref: Pick<AppRef, 'orgId' | 'app'>,
): Promise<StagedRecord | undefined> {
  const previous = await previousPair(conn, consumer);
  if (previous) {
    await deleteStaged(conn, consumer.stagedCredentialsUrl ?? '', previous.id);
    await forgetStagedRecord(ref);
  }
  return previous;
}

/** After a revoke: the plugin's record no longer names a staged record (nothing of ours is left in the org). */
export async function forgetStagedRecord(ref: Pick<AppRef, 'orgId' | 'app'>): Promise<void> {
  const record = await readRotationRecord(ref.orgId, ref.app);
  if (record?.stagedId) await writeRotationRecord({ ...record, stagedId: undefined });
}

/**
 * How old the app's current pair is: from the org where it says (the Rotated record is as old as the pair that
 * replaced it), else from this plugin's rotation record; undefined when neither tells.
 */
export async function currentPairSince(
  conn: Connection,
  consumer: Consumer,
  ref: Pick<AppRef, 'orgId' | 'app'>,
): Promise<{ since: Date; source: 'org' | 'record' } | undefined> {
  const previous = await previousPair(conn, consumer).catch(() => undefined);
  if (previous?.createdDate && !Number.isNaN(Date.parse(previous.createdDate))) {
    return { since: new Date(previous.createdDate), source: 'org' };
  }
  const record = await readRotationRecord(ref.orgId, ref.app);
  const at = record ? Date.parse(record.rotatedAt) : Number.NaN;
  return at > 0 ? { since: new Date(at), source: 'record' } : undefined;
}

/**
 * The rotation worked but the new credentials did not reach the target: says which pair works now and how to
 * finish (hand off again without rotating).
 */
export function rotatedNotHandedOffError(
  state: RotationState,
  cause: Error,
  target: string,
  againFlags: string,
): SfError {
  const { rotation } = state;
  const what = credentialsMessage(rotation.key ? 'rotation.keyAndSecret' : 'rotation.secret');
  const error = credentialsError('error.RenRotatedNotHandedOff', [what, cause.message]);
  const until = rotation.previous?.expirationDate ?? credentialsMessage('rotation.thirtyDays');
  error.actions = [
    rotation.method === 'staged'
      ? credentialsMessage('rotation.previousStillWorks', [until])
      : credentialsMessage('rotation.previousGone'),
    credentialsMessage('rotation.handOffAgain', [target, againFlags]).trimEnd(),
  ];
  return error;
}
