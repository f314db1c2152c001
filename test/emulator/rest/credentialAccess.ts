/**
 * What the Connect REST credential resources share (credentials.ts, staged.ts): who may see secrets (the org setting
 * "Allow access to External Client App consumer secrets via REST API", and View Client Secret + External Client App
 * Developer), a consumer's URL, and the 405 answer.
 */
import type { EmulatorContext } from '../context.js';
import { type Reply, restError } from '../http.js';
import type { StoredComponent } from '../metadata/store.js';
import type { OauthConsumer } from '../org/consumers.js';
import type { UserRow } from '../org/directory.js';

/** The refusal while "Allow access to External Client App consumer secrets via REST API" is off; undefined when on. */
export function settingRefusal(ctx: EmulatorContext): Reply | undefined {
  if (ctx.state.settings.ExternalClientAppSettings.enableClientSecretInRestApiAccess === true) return undefined;
  // Message per field reports ("not currently enabled"); the exact text is [?].
  return restError(
    403,
    'FUNCTIONALITY_NOT_ENABLED',
    'Access to consumer secrets through the REST API is not currently enabled for this org. Turn on "Allow access to External Client App consumer secrets via REST API" in External Client App Settings.',
  );
}

/** The refusal to a user without View Client Secret + External Client App Developer; undefined when they have both. */
export function permissionRefusal(ctx: EmulatorContext, user: UserRow): Reply | undefined {
  const p = ctx.state.directory.userPermissions(user.Id);
  if (!p.PermissionsViewClientSecret || !p.PermissionsExternalClientAppDeveloper) {
    return restError(
      403,
      'INSUFFICIENT_ACCESS',
      'You don\'t have permission to view consumer secrets. You need the "View Client Secret" and "Create, edit, and delete External Client Apps" user permissions.',
    );
  }
  return undefined;
}

export function consumerUrl(version: string, app: StoredComponent, consumer: OauthConsumer): string {
  return `/services/data/v${version}/apps/oauth/credentials/${app.id}/${consumer.id}`;
}

export function methodNotAllowed(allowed: string[]): Reply {
  return restError(405, 'METHOD_NOT_ALLOWED', `HTTP Method not allowed. Allowed are ${allowed.join(',')}`);
}
