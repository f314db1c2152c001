/*
 * A new consumer secret (and, when asked, a new key) for the app (docs/salesforce.md §2 step 4).
 * - Secret only: a deploy of the app's global OAuth settings with shouldRotateConsumerSecret, which needs
 *   ignoreWarnings (Salesforce warns that the old secret stops working).
 * - Key and secret: staged credentials where the org offers them (API 65.0+): create (or reuse) the staged
 *   pair, then rotate it in. Elsewhere, the same deploy with shouldRotateConsumerKey too.
 */
import type { Connection, SfError } from '@salesforce/core';
import { deployFailedError, deployFiles } from '../shared/deploy.js';
import { withRetry } from '../shared/retry.js';
import { appNotFoundError } from '../eca/messages.js';
import { componentType, sourceFile } from '../eca/components.js';
import { readExistingApp } from '../eca/orgApp.js';
import type { Consumer } from './consumer.js';
import { credentialsError, credentialsMessage } from './messages.js';

export type Rotation = { method: 'deploy' | 'staged'; key: boolean; deployId?: string; stagedId?: string };

async function rotateByDeploy(
  conn: Connection,
  apiName: string,
  key: boolean,
  onStarted?: (deployId: string) => void,
): Promise<Rotation> {
  const apiVersion = conn.getApiVersion();
  const existing = await readExistingApp(conn, apiName, apiVersion);
  const global = existing.children.globalOauth;
  if (!existing.app || !global) throw appNotFoundError(apiName);
  const generated = new Set(componentType('globalOauth').generated);
  const record = Object.fromEntries(Object.entries(global.record).filter(([field]) => !generated.has(field)));
  const component = {
    ...global,
    record: { ...record, shouldRotateConsumerKey: key, shouldRotateConsumerSecret: true },
  };
  const outcome = await deployFiles(conn, [sourceFile(component)], { apiVersion, ignoreWarnings: true, onStarted });
  if (!outcome.success) throw deployFailedError(outcome.id, outcome.problems, outcome.errorMessage);
  return { method: 'deploy', key, deployId: outcome.id };
}

type Staged = { id: string; state?: string };

async function rotateByStaging(conn: Connection, stagedUrl: string): Promise<Rotation> {
  const listed = await withRetry(() => conn.request<{ stagedCredentials?: Staged[] }>(stagedUrl));
  // An earlier run that stopped after staging left an active pair: finish with it rather than fail.
  const staged =
    listed.stagedCredentials?.find((s) => s.state === 'Active') ??
    (await conn.request<Staged>({ method: 'POST', url: stagedUrl, body: '' }));
  await conn.request({
    method: 'PATCH',
    url: `${stagedUrl}/${staged.id}`,
    body: JSON.stringify({ command: 'rotate' }),
    headers: { 'content-type': 'application/json' },
  });
  return { method: 'staged', key: true, stagedId: staged.id };
}

/** The staged record that holds the previous pair after a staged rotation, as a REST path; undefined for a deploy. */
export function previousPairUrl(consumer: Consumer, rotation: Rotation): string | undefined {
  if (rotation.method !== 'staged' || !rotation.stagedId || !consumer.stagedCredentialsUrl) return undefined;
  return `${consumer.stagedCredentialsUrl}/${rotation.stagedId}`;
}

/**
 * Once the new pair has been handed off: deletes the staged record that holds the previous pair, which stops it
 * working (a deploy rotation needs nothing: the old secret stopped working with the deploy).
 */
export async function forgetPreviousPair(conn: Connection, consumer: Consumer, rotation: Rotation): Promise<void> {
  const url = previousPairUrl(consumer, rotation);
  if (url) await conn.request({ method: 'DELETE', url });
}

/**
 * A key rotation goes through staged credentials where the org offers them (API 65.0+); those need the secret
 * setting.
 */
export function rotatesByStaging(conn: Connection, consumer: Consumer, options: { key: boolean }): boolean {
  return options.key && Boolean(consumer.stagedCredentialsUrl) && Number(conn.getApiVersion()) >= 65;
}

export type RotateOptions = {
  key: boolean;
  /** Told the rotation deploy's id once the org accepted it (a deploy rotation only). */
  onDeployStarted?: (deployId: string) => void;
};

export async function rotateCredentials(
  conn: Connection,
  apiName: string,
  consumer: Consumer,
  options: RotateOptions,
): Promise<Rotation> {
  if (rotatesByStaging(conn, consumer, options) && consumer.stagedCredentialsUrl) {
    return rotateByStaging(conn, consumer.stagedCredentialsUrl);
  }
  return rotateByDeploy(conn, apiName, options.key, options.onDeployStarted);
}

/** Where a rotation left the app: its consumer and how it was rotated. */
export type RotationState = { consumer: Consumer; rotation: Rotation };

/**
 * The rotation worked but the new credentials did not reach Ren: says what state the app is in (which pair
 * works now) and how to finish (hand off again without rotating; after a staged rotation, delete the staged
 * record that holds the previous pair).
 */
export function rotatedNotHandedOffError(
  state: RotationState,
  cause: Error,
  target: string,
  againFlags: string,
): SfError {
  const { rotation } = state;
  const what = credentialsMessage(rotation.key ? 'rotation.keyAndSecret' : 'rotation.secret');
  const staged = previousPairUrl(state.consumer, rotation);
  const error = credentialsError('error.RenRotatedNotHandedOff', [what, cause.message]);
  error.actions = [
    credentialsMessage(staged ? 'rotation.previousStillWorks' : 'rotation.previousGone'),
    credentialsMessage('rotation.handOffAgain', [target, againFlags]).trimEnd(),
    ...(staged ? [credentialsMessage('rotation.deleteStaged', [staged, target])] : []),
  ];
  return error;
}

/** After the hand-off, the staged record with the previous pair could not be deleted: that pair still works. */
export function previousPairLeftWarning(state: RotationState, target: string, error: unknown): string {
  const url = previousPairUrl(state.consumer, state.rotation) ?? '';
  return credentialsMessage('warning.previousPairLeft', [
    error instanceof Error ? error.message : String(error),
    url,
    target,
  ]);
}
