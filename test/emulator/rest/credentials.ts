/**
 * Connect REST OAuth credentials of External Client Apps (docs/salesforce.md §2):
 * - `GET /apps/oauth/usage` (v59+)
 * - `GET /apps/oauth/credentials/{ecaId}` (v60+): the app's consumers
 * - `GET /apps/oauth/credentials/{ecaId}/{consumerId}?part=key|secret|keyandsecret` (v60+)
 * - staged credentials (v65+): `GET|POST …/{consumerId}/staged`, `GET|PATCH|DELETE …/staged/{stagedId}` (staged.ts)
 * The secret is only returned when ExternalClientAppSettings.enableClientSecretInRestApiAccess is on and the user has
 * View Client Secret + External Client App Developer. The usage and the consumer list need the setting too under the
 * reading consumerListNeedsSecretSetting (the default).
 */
import type { EmulatorContext } from '../context.js';
import { type Reply, type Req, json, notFound, restError } from '../http.js';
import { sameId } from '../ids.js';
import type { StoredComponent } from '../metadata/store.js';
import { ExternalClientApplication } from '../metadata/types.js';
import type { OauthConsumer } from '../org/consumers.js';
import type { UserRow } from '../org/directory.js';
import { consumerUrl, methodNotAllowed, permissionRefusal, settingRefusal } from './credentialAccess.js';
import { stagedRoute } from './staged.js';

function appById(ctx: EmulatorContext, id: string): StoredComponent | undefined {
  return ctx.state.store.components(ExternalClientApplication.name).find((c) => sameId(c.id, id));
}

function canSeeApps(ctx: EmulatorContext, user: UserRow): boolean {
  const p = ctx.state.directory.userPermissions(user.Id);
  return (
    p.PermissionsExternalClientAppDeveloper ||
    p.PermissionsExternalClientAppAdmin ||
    p.PermissionsExternalClientAppViewer
  );
}

/** Why the secret may not be read, as a REST error; undefined when it may. */
function secretRefusal(ctx: EmulatorContext, user: UserRow): Reply | undefined {
  return settingRefusal(ctx) ?? permissionRefusal(ctx, user);
}

/** Under the reading consumerListNeedsSecretSetting, the usage and the consumer list refuse like a secret read. */
function listRefusal(ctx: EmulatorContext): Reply | undefined {
  return ctx.state.readings.consumerListNeedsSecretSetting ? settingRefusal(ctx) : undefined;
}

function withStagedUrl(version: string, app: StoredComponent, consumer: OauthConsumer): Record<string, string> {
  return Number(version) >= 65 ? { stagedCredentialsUrl: `${consumerUrl(version, app, consumer)}/staged` } : {};
}

/** `GET /apps/oauth/usage`: the OAuth-enabled apps of the org, paged. */
export function usage(ctx: EmulatorContext, req: Req, version: string, user: UserRow): Reply {
  if (!canSeeApps(ctx, user))
    return restError(403, 'INSUFFICIENT_ACCESS', "You don't have access to view external client apps.");
  const refusal = listRefusal(ctx);
  if (refusal) return refusal;
  const page = Math.max(0, Number(req.query.get('page') ?? 0) || 0);
  const pageSize = Math.max(1, Math.min(100, Number(req.query.get('pageSize') ?? 100) || 100));
  // A new app is listed as soon as it has OAuth settings (whether Salesforce waits for usage data is [?]).
  const apps = ctx.state.store
    .components(ExternalClientApplication.name)
    .filter((app) => ctx.state.consumers.allForApp(app.fullName).length > 0)
    .map((app) => {
      const tokens = ctx.state.oauthTokens.filter((t) => t.AppName === (app.record.label ?? app.fullName));
      return {
        developerName: app.fullName,
        identifier: app.id,
        label: String(app.record.label ?? app.fullName),
        type: 'ExternalClientApplication',
        userCount: new Set(tokens.map((t) => t.UserId)).size,
        url: `/services/data/v${version}/apps/oauth/credentials/${app.id}`,
      };
    });
  const base = `/services/data/v${version}/apps/oauth/usage`;
  const slice = apps.slice(page * pageSize, (page + 1) * pageSize);
  return json(200, {
    apps: slice,
    currentPageUrl: `${base}?page=${page}&pageSize=${pageSize}`,
    nextPageUrl: (page + 1) * pageSize < apps.length ? `${base}?page=${page + 1}&pageSize=${pageSize}` : null,
    previousPageUrl: page > 0 ? `${base}?page=${page - 1}&pageSize=${pageSize}` : null,
  });
}

/** Routes everything under `/apps/oauth/credentials/`. `rest` = the path after `credentials/`. */
export function credentials(ctx: EmulatorContext, req: Req, rest: string[], version: string, user: UserRow): Reply {
  if (Number(version) < 60) return notFound();
  if (!canSeeApps(ctx, user))
    return restError(403, 'INSUFFICIENT_ACCESS', "You don't have access to view external client apps.");
  const [appId, consumerId, staged, stagedId, ...extra] = rest;
  if (extra.length > 0) return notFound();
  const app = appById(ctx, appId ?? '');
  if (!app) return notFound();
  const consumers = ctx.state.consumers.allForApp(app.fullName);

  if (consumerId === undefined) {
    if (req.method !== 'GET') return methodNotAllowed(['GET']);
    const refusal = listRefusal(ctx);
    if (refusal) return refusal;
    return json(200, {
      consumers: consumers.map((c) => ({
        id: c.id,
        key: c.key,
        name: c.name,
        url: consumerUrl(version, app, c),
        ...withStagedUrl(version, app, c),
      })),
    });
  }
  const consumer = consumers.find((c) => sameId(c.id, consumerId));
  if (!consumer) return notFound();

  if (staged === undefined)
    return req.method === 'GET'
      ? consumerCredentials(ctx, req, version, user, app, consumer)
      : methodNotAllowed(['GET']);
  if (staged !== 'staged' || Number(version) < 65) return notFound();
  return stagedRoute(ctx, req, version, user, app, consumer, stagedId);
}

/** `GET …/credentials/{ecaId}/{consumerId}?part=key|secret|keyandsecret` (key only without part). */
function consumerCredentials(
  ctx: EmulatorContext,
  req: Req,
  version: string,
  user: UserRow,
  app: StoredComponent,
  consumer: OauthConsumer,
): Reply {
  const part = (req.query.get('part') ?? 'key').toLowerCase();
  if (!['key', 'secret', 'keyandsecret'].includes(part)) {
    return restError(
      400,
      'ILLEGAL_QUERY_PARAMETER_VALUE',
      `Value for parameter 'part' not one of [Key, Secret, KeyAndSecret]: ${req.query.get('part') ?? ''}`,
    );
  }
  const refusal = part === 'key' ? undefined : secretRefusal(ctx, user);
  if (refusal) return refusal;
  return json(200, {
    id: consumer.id,
    key: part === 'secret' ? null : consumer.key,
    name: consumer.name,
    secret: part === 'key' ? null : consumer.secret,
    url: consumerUrl(version, app, consumer),
    ...withStagedUrl(version, app, consumer),
  });
}
