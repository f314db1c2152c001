/*
 * Collects what Ren needs: the org's Login URL, and the app's Consumer Key and Consumer Secret (optionally
 * new ones, rotated first). Checks come first so a refusal changes nothing: the app exists, the user may read
 * the secret, and the org allows reading it (or the user let the command open that setting for the read).
 */
import type { Connection } from '@salesforce/core';
import { appNotFoundError } from '../eca/messages.js';
import { findAppId } from '../eca/orgApp.js';
import { checkApiVersion } from '../eca/preconditions.js';
import { optionalRead } from '../shared/errors.js';
import { userPermissions } from '../shared/permissions.js';
import { type Consumer, findConsumer, readCredentials, SECRET_PERMISSIONS, secretReadError } from './consumer.js';
import type { HandoffPayload } from './handoff.js';
import { normalizeLoginUrl, orgLoginUrl } from './loginUrl.js';
import {
  type Rotation,
  type RotateOptions,
  type RotationState,
  forgetPreviousPair,
  previousPairLeftWarning,
  rotateCredentials,
  rotatesByStaging,
} from './rotate.js';
import { readSecretAccess } from './secretSetting.js';
import { type WindowOptions, withSecretAccess } from './secretWindow.js';
import { credentialsError, credentialsMessage } from './messages.js';

export type ConnectRequest = {
  app: string;
  /** Overrides the org's own login URL (already validated). */
  loginUrl?: string;
  /** Turn the org's secret-access setting on for the read when it is off. */
  allowSecretAccess: boolean;
  /** The org: its id goes into the hand-off; the rest into the pending-restore record and the messages. */
  org: WindowOptions['org'];
  rotate?: RotateOptions;
  /** Told as soon as the app has new credentials, so a later failure can say so. */
  onRotated?: (state: RotationState) => void;
};

export type Collected = {
  app: string;
  appId: string;
  consumer: Consumer;
  /** What Ren gets: the login URL, the key and secret, and the org id. */
  payload: HandoffPayload;
  /** The org setting before the run, and whether the command opened (and put back) it. */
  secretAccess: { before?: boolean; opened: boolean };
  rotation?: Rotation;
  warnings: string[];
};

export async function collectCredentials(conn: Connection, request: ConnectRequest): Promise<Collected> {
  await checkApiVersion(conn);
  const [appId, before, granted, loginUrl] = await Promise.all([
    findAppId(conn, request.app),
    optionalRead(readSecretAccess(conn)),
    optionalRead(
      userPermissions(
        conn,
        SECRET_PERMISSIONS.map((p) => p.field),
      ),
    ),
    request.loginUrl ? normalizeLoginUrl(request.loginUrl) : orgLoginUrl(conn),
  ]);
  if (!appId) throw appNotFoundError(request.app);
  const missing = granted.value
    ? SECRET_PERMISSIONS.filter((p) => !granted.value?.has(p.field)).map((p) => p.label)
    : [];
  if (missing.length > 0)
    throw credentialsError('error.RenSecretPermission', [missing.map((p) => `  - ${p}`).join('\n')]);
  if (before.value === false && !request.allowSecretAccess) throw credentialsError('error.RenSecretAccessOff');

  // Listing consumers needs no secret access, nor does a rotation by deploy: both happen before the setting opens.
  const { consumer, others } = await findConsumer(conn, appId, request.app);
  if (!consumer) throw credentialsError('error.RenNoConsumer', [request.app], [request.app]);
  const warnings =
    others.length > 0
      ? [credentialsMessage('warning.severalConsumers', [String(others.length + 1), consumer.name ?? consumer.id])]
      : [];
  const rotate = async (): Promise<Rotation | undefined> => {
    if (!request.rotate) return undefined;
    const done = await rotateCredentials(conn, request.app, consumer, request.rotate);
    request.onRotated?.({ consumer, rotation: done });
    return done;
  };
  const staged = request.rotate !== undefined && rotatesByStaging(conn, consumer, request.rotate);
  const deployed = staged ? undefined : await rotate();

  const window = { allow: request.allowSecretAccess, before: before.value, org: request.org };
  return withSecretAccess(conn, window, async (opened) => {
    const rotation = staged ? await rotate() : deployed;
    const read = await readCredentials(conn, appId, consumer.id, 'keyandsecret').catch((error: unknown) => {
      throw secretReadError(error, missing) ?? error;
    });
    if (!read.consumerSecret) throw credentialsError('error.RenSecretAccessOff');
    return {
      app: request.app,
      appId,
      consumer,
      payload: {
        loginUrl,
        consumerKey: read.consumerKey,
        consumerSecret: read.consumerSecret,
        orgId: request.org.orgId,
      },
      secretAccess: { before: opened.before, opened: opened.opened },
      rotation,
      warnings,
    };
  });
}

/**
 * Finishes a rotation after the hand-off. A deploy rotation needs nothing (the old secret stopped working with
 * the deploy); after a staged one the record holding the previous pair is deleted, which needs the same org
 * setting as reading the secret, so it gets its own short window when the user allowed one. Failing that is a
 * warning, not an error: Ren already has the new pair.
 */
export async function finishRotation(
  conn: Connection,
  state: RotationState,
  options: { allowSecretAccess: boolean; before?: boolean; org: WindowOptions['org'] },
): Promise<{ previousRevoked: boolean; warning?: string }> {
  if (state.rotation.method !== 'staged') return { previousRevoked: true };
  let deleted = false;
  try {
    const window = { allow: options.allowSecretAccess, before: options.before, org: options.org };
    await withSecretAccess(conn, window, async () => {
      await forgetPreviousPair(conn, state.consumer, state.rotation);
      deleted = true;
    });
    return { previousRevoked: true };
  } catch (error) {
    // The pair may be gone while the setting could not be put back: that error is its own warning.
    if (deleted) return { previousRevoked: true, warning: error instanceof Error ? error.message : String(error) };
    return { previousRevoked: false, warning: previousPairLeftWarning(state, options.org.target, error) };
  }
}
