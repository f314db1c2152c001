/*
 * The app's OAuth consumer and its key and secret, through the Connect REST credentials resources
 * (docs/salesforce.md §2): the app's consumers, then the key and secret. Nothing here logs a response: the secret
 * only ever lives in the returned object.
 *
 * The REST reads are GETs, which jsforce itself retries on a 5xx or a dropped connection (five times, with
 * backoff): they are not wrapped in withRetry again, so a failing read (made while the org setting may be open for
 * it) ends as soon as jsforce gives up.
 */
import type { Connection, SfError } from '@salesforce/core';
import { errorCode, isAccessRefused } from '../shared/errors.js';
import { sameName } from '../shared/lists.js';
import { credentialsError } from './messages.js';

export type Consumer = { id: string; key?: string; name?: string; url?: string; stagedCredentialsUrl?: string };
export type Credentials = { consumerId: string; consumerKey: string; consumerSecret?: string };

/** The permissions reading the secret needs (docs/salesforce.md §2 step 3), as PermissionSet fields and as Setup names. */
export const SECRET_PERMISSIONS: ReadonlyArray<{ field: string; label: string }> = [
  { field: 'PermissionsViewClientSecret', label: '"View Client Secret" (ViewClientSecret)' },
  {
    field: 'PermissionsExternalClientAppDeveloper',
    label: '"Create, edit, and delete External Client Apps" (ExternalClientAppDeveloper)',
  },
];

export const oauthBase = (conn: Connection): string => `/services/data/v${conn.getApiVersion()}/apps/oauth`;

/**
 * The app's OAuth consumer. An app has one as a rule; when the org lists several, the one named after the app is
 * taken (else the first), and `others` names the rest so the caller can say which was used.
 */
export async function findConsumer(
  conn: Connection,
  appId: string,
  apiName: string,
): Promise<{ consumer?: Consumer; others: Consumer[] }> {
  const listed = await conn.request<{ consumers?: Consumer[] }>(`${oauthBase(conn)}/credentials/${appId}`);
  const consumers = listed.consumers ?? [];
  const consumer = consumers.find((c) => sameName(c.name, apiName)) ?? consumers[0];
  return { consumer, others: consumers.filter((c) => c !== consumer) };
}

type CredentialsBody = { id: string; key?: string | null; secret?: string | null };

/** The consumer key, and the secret unless `part` is 'key'. Errors are the org's, mapped by secretReadError. */
export async function readCredentials(
  conn: Connection,
  appId: string,
  consumerId: string,
  part: 'key' | 'keyandsecret',
): Promise<Credentials> {
  const body = await conn.request<CredentialsBody>(
    `${oauthBase(conn)}/credentials/${appId}/${consumerId}?part=${part}`,
  );
  if (!body.key) throw credentialsError('error.RenNoConsumerKey', [appId]);
  return { consumerId, consumerKey: body.key, consumerSecret: body.secret ?? undefined };
}

/** What the org's refusal to show the secret means for the user, or undefined when it is another error. */
/** A refusal that only says the org setting is off, raw from the org or already named (docs/salesforce.md §10.4). */
export function refusedForSetting(error: unknown): boolean {
  if (error instanceof Error && error.name === 'RenSecretAccessOffError') return true;
  return secretReadError(error, [])?.name === 'RenSecretAccessOffError';
}

export function secretReadError(error: unknown, missingPermissions: string[]): SfError | undefined {
  const code = errorCode(error) ?? '';
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'FUNCTIONALITY_NOT_ENABLED' || /not (currently )?enabled/i.test(message)) {
    return credentialsError('error.RenSecretAccessOff');
  }
  if (isAccessRefused(error)) {
    const named =
      missingPermissions.length > 0 ? missingPermissions.map((p) => `  - ${p}`).join('\n') : `  - ${message}`;
    return credentialsError('error.RenSecretPermission', [named]);
  }
  return undefined;
}
