/*
 * The org setting "Allow access to External Client App consumer secrets via REST API"
 * (ExternalClientAppSettings.enableClientSecretInRestApiAccess, docs/salesforce.md §1.7): reading and writing it,
 * nothing else. Salesforce's guidance is to keep it off; secretWindow.ts opens it for one read when the user allows.
 */
import type { Connection } from '@salesforce/core';
import { asArray } from '../shared/lists.js';
import { withRetry } from '../shared/retry.js';

const TYPE = 'ExternalClientAppSettings';
const FULL_NAME = 'ExternalClientApp';
const FIELD = 'enableClientSecretInRestApiAccess';

/** The setting's name as Setup shows it, for messages. */
export const SECRET_SETTING = `${TYPE}.${FIELD}`;

/** Where an admin changes it by hand. */
export const SECRET_SETTING_PAGE = '/lightning/setup/ExternalClientApplicationSettings/home';

/** The setting's value; undefined when the org does not say. */
export async function readSecretAccess(conn: Connection): Promise<boolean | undefined> {
  const settings = (await withRetry(() => conn.metadata.read(TYPE as never, FULL_NAME))) as unknown as
    Record<string, unknown> | undefined;
  const value = settings?.fullName ? settings[FIELD] : undefined;
  if (value === undefined || value === null) return undefined;
  return value === true || value === 'true';
}

export async function writeSecretAccess(conn: Connection, enabled: boolean): Promise<void> {
  const result = (await conn.metadata.update(TYPE as never, { fullName: FULL_NAME, [FIELD]: enabled } as never)) as
    { success?: boolean | string; errors?: { message?: string } | Array<{ message?: string }> } | undefined;
  const success = result?.success === true || result?.success === 'true';
  if (!success) {
    const errors = asArray(result?.errors);
    throw new Error(errors.map((e) => e.message).join('; ') || `the org did not save ${TYPE}.${FIELD}`);
  }
}
