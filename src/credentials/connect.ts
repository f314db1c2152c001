/*
 * Collects what Ren needs: the org's Login URL, and the app's Consumer Key and Consumer Secret (optionally
 * new ones, rotated first). Checks come first so a refusal changes nothing: the app exists, the user may read
 * the secret, and the org allows reading it (or the user let the command open that setting for the read).
 */
import type { Connection } from '@salesforce/core';
import { appNotFoundError } from '../eca/messages.js';
import { findAppId, similarAppNames } from '../eca/orgApp.js';
import { checkApiVersion } from '../eca/preconditions.js';
import { optionalRead } from '../shared/errors.js';
import { userPermissions } from '../shared/permissions.js';
import {
  type Consumer,
  findConsumer,
  readCredentials,
  refusedForSetting,
  SECRET_PERMISSIONS,
  secretReadError,
} from './consumer.js';
import type { HandoffPayload } from './handoff.js';
import { normalizeLoginUrl, orgLoginUrl } from './loginUrl.js';
import {
  type AppRef,
  type Rotation,
  type RotateOptions,
  type RotationState,
  currentPairSince,
  forgetStagedRecord,
  revokePreviousPair,
  rotateCredentials,
  rotatesByStaging,
} from './rotate.js';
import { deleteStaged, type StagedRecord } from './staged.js';
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
  /** Rotate first; with `ifOlderThanMs`, only when the current pair is older than that. */
  rotate?: RotateOptions & { ifOlderThanMs?: number };
  /** Told as soon as the app has new credentials, so a later failure can say so. */
  onRotated?: (state: RotationState) => void;
};

export type Collected = {
  status: 'collected';
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

/** `--if-older-than`: the current pair is younger, so nothing was rotated, read or handed off. */
export type NotDue = {
  status: 'not-due';
  app: string;
  since: string;
  source: 'org' | 'record';
  secretAccess: { before?: boolean; opened: boolean };
};

export const ROTATION_PERMISSION = 'PermissionsClientSecretRotation';

/**
 * "Allow consumer key and secret rotation" where the org has that permission field; an org without the field
 * (INVALID_FIELD) is not asked (docs/salesforce.md §10.9).
 */
async function checkRotationPermission(conn: Connection): Promise<void> {
  const granted = await optionalRead(userPermissions(conn, [ROTATION_PERMISSION]));
  if (granted.value && !granted.value.has(ROTATION_PERMISSION)) {
    throw credentialsError('error.RenRotationPermission', [conn.getUsername() ?? '']);
  }
}

export async function collectCredentials(conn: Connection, request: ConnectRequest): Promise<Collected | NotDue> {
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
    request.rotate ? checkRotationPermission(conn) : undefined,
  ]);
  if (!appId) throw appNotFoundError(request.app, request.org.target, await similarAppNames(conn, request.app));
  const missing = granted.value
    ? SECRET_PERMISSIONS.filter((p) => !granted.value?.has(p.field)).map((p) => p.label)
    : [];
  if (missing.length > 0)
    throw credentialsError('error.RenSecretPermission', [missing.map((p) => `  - ${p}`).join('\n')]);
  if (before.value === false && !request.allowSecretAccess) throw credentialsError('error.RenSecretAccessOff');

  // The consumer list is read before the setting opens; an org that wants the setting for it is asked inside.
  const early = await optionalRead(findConsumer(conn, appId, request.app));
  if (early.error && !refusedForSetting(early.error)) throw early.error;
  const ref = { orgId: request.org.orgId, app: request.app, target: request.org.target };
  // A deploy rotation needs no secret access: it happens before the setting opens.
  const deployed =
    early.value?.consumer && request.rotate && !rotatesByStaging(conn, early.value.consumer)
      ? await rotationIfDue(conn, early.value.consumer, ref, request)
      : undefined;
  // Not due: nothing to read, so the setting is never opened (a scheduled --if-older-than run writes nothing).
  if (deployed && 'notDue' in deployed) {
    const secretAccess = { before: before.value, opened: false };
    return { status: 'not-due', app: request.app, ...deployed.notDue, secretAccess };
  }

  const window = { allow: request.allowSecretAccess, before: before.value, org: request.org };
  return withSecretAccess(conn, window, async (opened): Promise<Collected | NotDue> => {
    const listed = early.value ?? (await findConsumer(conn, appId, request.app));
    const { consumer, others } = listed;
    if (!consumer) throw credentialsError('error.RenNoConsumer', [request.app], [request.app]);
    const secretAccess = { before: opened.before, opened: opened.opened };
    const due =
      deployed ?? (request.rotate ? await rotationIfDue(conn, consumer, ref, request) : { rotation: undefined });
    if ('notDue' in due) return { status: 'not-due', app: request.app, ...due.notDue, secretAccess };
    const read = await readCredentials(conn, appId, consumer.id, 'keyandsecret').catch((error: unknown) => {
      throw secretReadError(error, missing) ?? error;
    });
    if (!read.consumerSecret) throw credentialsError('error.RenSecretAccessOff');
    const several = others.length > 0;
    return {
      status: 'collected',
      app: request.app,
      appId,
      consumer,
      payload: {
        loginUrl,
        consumerKey: read.consumerKey,
        consumerSecret: read.consumerSecret,
        orgId: request.org.orgId,
      },
      secretAccess,
      rotation: due.rotation,
      warnings: [
        ...(several
          ? [credentialsMessage('warning.severalConsumers', [String(others.length + 1), consumer.name ?? consumer.id])]
          : []),
        ...(due.rotation?.notes ?? []),
      ],
    };
  });
}

type Due = { rotation?: Rotation } | { notDue: { since: string; source: 'org' | 'record' } };

/** Rotates unless --if-older-than finds the current pair younger (the age from the org, else the plugin's record). */
async function rotationIfDue(conn: Connection, consumer: Consumer, ref: AppRef, request: ConnectRequest): Promise<Due> {
  const options = request.rotate;
  if (!options) return {};
  if (options.ifOlderThanMs !== undefined) {
    const age = await currentPairSince(conn, consumer, ref);
    if (age && Date.now() - age.since.getTime() < options.ifOlderThanMs) {
      return { notDue: { since: age.since.toISOString(), source: age.source } };
    }
  }
  const rotation = await rotateCredentials(conn, consumer, ref, options);
  request.onRotated?.({ consumer, rotation });
  return { rotation };
}

export type FinishedRotation = { previousRevoked: boolean; previousValidUntil?: string; warning?: string };

/**
 * After the hand-off. A deploy rotation needs nothing (the old secret stopped working with the deploy). After a
 * staged one the previous pair stays valid until --revoke-previous: with it, its record is deleted now, inside its
 * own short window when the org wants the setting for it. Failing that is a warning, not an error: the target
 * already has the new pair.
 */
export async function finishRotation(
  conn: Connection,
  state: RotationState,
  options: {
    revokePrevious: boolean;
    allowSecretAccess: boolean;
    before?: boolean;
    org: WindowOptions['org'];
    app: string;
  },
): Promise<FinishedRotation> {
  const { rotation } = state;
  if (rotation.method !== 'staged') return { previousRevoked: true };
  const until = rotation.previous?.expirationDate;
  if (!options.revokePrevious) return { previousRevoked: false, previousValidUntil: until };
  let revoked = false;
  try {
    const window = { allow: options.allowSecretAccess, before: options.before, org: options.org };
    await withSecretAccess(conn, window, async () => {
      if (rotation.previous && rotation.stagedUrl) await deleteStaged(conn, rotation.stagedUrl, rotation.previous.id);
      revoked = true;
      await forgetStagedRecord({ orgId: options.org.orgId, app: options.app });
    });
    return { previousRevoked: true };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // The pair may be gone while the setting could not be put back: that error is its own warning.
    if (revoked) return { previousRevoked: true, warning: message };
    const warning = credentialsMessage('warning.previousPairLeft', [message, options.org.target]);
    return { previousRevoked: false, previousValidUntil: until, warning };
  }
}

/**
 * `sf ren connect --revoke-previous` on its own: deletes the record that holds the previous pair of an earlier
 * rotation (inside a window when the org wants the setting), read back; undefined when there is none.
 */
export async function revokePrevious(
  conn: Connection,
  request: Omit<ConnectRequest, 'rotate' | 'onRotated' | 'loginUrl'>,
): Promise<{ revoked?: StagedRecord; secretAccess: { before?: boolean; opened: boolean } }> {
  await checkApiVersion(conn);
  const [appId, before] = await Promise.all([findAppId(conn, request.app), optionalRead(readSecretAccess(conn))]);
  if (!appId) throw appNotFoundError(request.app, request.org.target, await similarAppNames(conn, request.app));
  const window = { allow: request.allowSecretAccess, before: before.value, org: request.org };
  return withSecretAccess(conn, window, async (opened) => {
    const { consumer } = await findConsumer(conn, appId, request.app);
    if (!consumer) throw credentialsError('error.RenNoConsumer', [request.app], [request.app]);
    const revoked = await revokePreviousPair(conn, consumer, { orgId: request.org.orgId, app: request.app });
    return { revoked, secretAccess: { before: opened.before, opened: opened.opened } };
  });
}
