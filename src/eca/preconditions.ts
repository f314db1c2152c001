/*
 * What the org must allow before the app is deployed, checked up front so the admin gets the fix
 * instead of a failed deploy: API version >= 64.0, the org-wide Authorization Code and Credentials
 * Flow switch (when the app uses that flow) and a user who may deploy metadata.
 */
import { Messages, type Connection, type SfError } from '@salesforce/core';
import { errorCode, isSessionError } from '../shared/errors.js';
import { withRetry } from '../shared/retry.js';
import { soqlString } from '../shared/soql.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-ren', 'eca.preconditions');

export const MIN_API_VERSION = 64;

export type PreconditionResult = {
  failures: SfError[];
  /** Checks that could not run (e.g. the user may not query PermissionSet); the deploy decides then. */
  warnings: string[];
};

async function apiVersionFailure(conn: Connection): Promise<SfError | undefined> {
  const version = conn.getApiVersion();
  if (Number(version) >= MIN_API_VERSION) return undefined;
  const orgMax = await conn.retrieveMaxApiVersion().catch(() => undefined);
  if (orgMax && Number(orgMax) < MIN_API_VERSION) {
    return messages.createError('error.RenOrgApiVersion', [orgMax]);
  }
  return messages.createError('error.RenApiVersion', [version]);
}

/**
 * True/false when the org says whether the Authorization Code and Credentials Flow is allowed; throws when
 * it doesn't say (no settings record, or the field left out), so the check is reported as skipped and the
 * deploy decides, rather than refusing an org that may well allow it.
 */
async function codeCredentialsFlowAllowed(conn: Connection): Promise<boolean> {
  const settings = (await withRetry(() => conn.metadata.read('OauthOidcSettings' as never, 'OauthOidc'))) as unknown as
    | Record<string, unknown>
    | undefined;
  const value = settings?.fullName ? settings.oAuthCdCrdtFlowEnable : undefined;
  if (value === undefined || value === null) throw new Error('the org returned no OauthOidcSettings.oAuthCdCrdtFlowEnable');
  return value === true || value === 'true';
}

async function currentUserId(conn: Connection): Promise<string> {
  const fromAuth = conn.getAuthInfoFields().userId;
  if (fromAuth) return fromAuth;
  const username = conn.getUsername() ?? '';
  const users = await conn.query<{ Id: string }>(`SELECT Id FROM User WHERE Username = ${soqlString(username)}`);
  return users.records[0]?.Id ?? '';
}

/** True when any permission set assigned to the user (its profile's included) may deploy metadata. */
async function canDeployMetadata(conn: Connection): Promise<boolean> {
  const userId = await currentUserId(conn);
  const result = await withRetry(async () =>
    conn.query<Record<string, unknown>>(
    'SELECT PermissionsCustomizeApplication, PermissionsModifyMetadata, PermissionsModifyAllData FROM PermissionSet ' +
        `WHERE Id IN (SELECT PermissionSetId FROM PermissionSetAssignment WHERE AssigneeId = ${soqlString(userId)})`
    )
  );
  // Every user has at least their profile's permission set; no rows means the org told us nothing.
  if (result.records.length === 0) throw new Error('no permission set assignments were returned');
  return result.records.some(
    (r) => r.PermissionsCustomizeApplication === true || r.PermissionsModifyMetadata === true || r.PermissionsModifyAllData === true
  );
}

export async function checkOrgPreconditions(
  conn: Connection,
  options: {
    needsCodeCredentialsFlow: boolean;
    /** Called once the API version is known to be good, so the caller may start its own reads alongside. */
    whenVersionOk?: () => unknown;
  }
): Promise<PreconditionResult> {
  const result: PreconditionResult = { failures: [], warnings: [] };
  const versionFailure = await apiVersionFailure(conn);
  // Nothing else can be read reliably below the minimum version.
  if (versionFailure) return { failures: [versionFailure], warnings: [] };
  options.whenVersionOk?.();

  let refused = false;
  const skipped = (what: string) => (error: unknown): undefined => {
    if (isSessionError(error)) throw error;
    // Being refused the reads themselves means the user lacks the permissions we were about to check.
    if ((errorCode(error) ?? '').startsWith('INSUFFICIENT_ACCESS')) {
      refused = true;
      return undefined;
    }
    result.warnings.push(messages.getMessage('check.skipped', [what, (error as Error).message]));
    return undefined;
  };
  const [flowAllowed, deployAllowed] = await Promise.all([
    options.needsCodeCredentialsFlow
      ? codeCredentialsFlowAllowed(conn).catch(skipped('the org setting "Allow Authorization Code and Credentials Flows"'))
      : Promise.resolve(true),
    canDeployMetadata(conn).catch(skipped("your user's permissions")),
  ]);
  if (flowAllowed === false) {
    result.failures.push(messages.createError('error.RenOrgSetting'));
  }
  if (deployAllowed === false || refused) {
    result.failures.push(messages.createError('error.RenPermission', [conn.getUsername() ?? 'unknown']));
  }
  return result;
}
