/*
 * `POST /services/oauth2/token` (docs/salesforce.md §8). Grants:
 * - `refresh_token`: a token sf's own login holds needs nothing else; a token issued to an app's consumer
 *   (Sessions.issueRefreshToken) needs that app's `client_id`, and its `client_secret` when the app requires the
 *   secret for the refresh token flow (isSecretRequiredForRefreshToken, default true).
 * - `client_credentials`: `client_id` + `client_secret`, and the app must allow the flow with a run-as user.
 * - others: the answers Salesforce gives a grant that cannot succeed here (no user logs in to the emulator).
 * Errors are JSON `{ error, error_description }` with HTTP 400, Salesforce's codes and texts (H-OAERR, README.md).
 */
/* eslint-disable camelcase -- the OAuth wire format is snake_case */
import { type EmulatorContext, identityUrl, myDomainUrl } from './context.js';
import { type Reply, type Req, json } from './http.js';
import { type OauthClient, appEnabled, clientById, secretMatches } from './oauthClients.js';
import type { UserRow } from './org/directory.js';
import { makeAccessToken } from './org/sessions.js';

export const TOKEN_ERRORS = {
  invalidClientId: { error: 'invalid_client_id', error_description: 'client identifier invalid' },
  invalidClient: { error: 'invalid_client', error_description: 'invalid client credentials' },
  expiredToken: { error: 'invalid_grant', error_description: 'expired access/refresh token' },
  authenticationFailure: { error: 'invalid_grant', error_description: 'authentication failure' },
  noClientCredentialsUser: { error: 'invalid_grant', error_description: 'no client credentials user enabled' },
  appBlocked: { error: 'invalid_grant', error_description: 'this app is blocked by admin' },
  unsupportedGrant: { error: 'unsupported_grant_type', error_description: 'grant type not supported' },
} as const;

/** The form parameters of an OAuth POST (urlencoded, or JSON as some clients send), query parameters filling gaps. */
export function oauthParams(req: Req): URLSearchParams {
  const type = String(req.headers['content-type'] ?? '');
  const params = type.includes('application/json')
    ? new URLSearchParams(JSON.parse(req.body.toString('utf8') || '{}') as Record<string, string>)
    : new URLSearchParams(req.body.toString('utf8'));
  for (const [k, v] of req.query) if (!params.has(k)) params.set(k, v);
  return params;
}

const fail = (e: { error: string; error_description: string }): Reply => json(400, e);

function accessToken(ctx: EmulatorContext, user: UserRow, scope: string): Reply {
  const { state } = ctx;
  return json(200, {
    access_token: state.sessions.open(makeAccessToken(state.organization.Id), user.Id),
    signature: 'emulator',
    scope,
    instance_url: myDomainUrl(ctx),
    id: identityUrl(ctx, user),
    token_type: 'Bearer',
    issued_at: String(state.clock.now()),
  });
}

/** The client of a request that authenticates with client_id and client_secret, or the error to answer. */
function authenticatedClient(
  ctx: EmulatorContext,
  params: URLSearchParams,
  secretRequired: (c: OauthClient) => boolean,
): OauthClient | Reply {
  const clientId = params.get('client_id') ?? '';
  const client = clientById(ctx.state, clientId);
  if (!client) return fail(TOKEN_ERRORS.invalidClientId);
  if (secretRequired(client) && !secretMatches(client, clientId, params.get('client_secret')))
    return fail(TOKEN_ERRORS.invalidClient);
  return client;
}

const isReply = (value: OauthClient | Reply): value is Reply => 'status' in value;

function refreshGrant(ctx: EmulatorContext, params: URLSearchParams): Reply {
  const grant = ctx.state.sessions.refreshGrant(params.get('refresh_token') ?? '');
  const user = grant ? ctx.state.directory.userById(grant.userId) : undefined;
  if (!grant || !user) return fail(TOKEN_ERRORS.expiredToken);
  if (grant.consumerId) {
    const client = authenticatedClient(ctx, params, (c) => c.global.isSecretRequiredForRefreshToken !== false);
    if (isReply(client)) return client;
    // A refresh token belongs to the consumer it was issued to (its key may have been rotated since).
    if (client.consumer.id !== grant.consumerId) return fail(TOKEN_ERRORS.expiredToken);
    if (!appEnabled(client)) return fail(TOKEN_ERRORS.appBlocked);
  }
  return accessToken(ctx, user, 'refresh_token api');
}

function clientCredentialsGrant(ctx: EmulatorContext, params: URLSearchParams): Reply {
  const client = authenticatedClient(ctx, params, () => true);
  if (isReply(client)) return client;
  const runAs = client.oauthPolicies.clientCredentialsFlowUser;
  const user =
    typeof runAs === 'string' ? ctx.state.directory.users.find((u) => u.Username === runAs && u.IsActive) : undefined;
  const enabled =
    client.global.isClientCredentialsFlowEnabled === true &&
    client.oauthPolicies.isClientCredentialsFlowEnabled === true;
  if (!enabled || !user) return fail(TOKEN_ERRORS.noClientCredentialsUser);
  if (!appEnabled(client)) return fail(TOKEN_ERRORS.appBlocked);
  return accessToken(ctx, user, 'api');
}

/** `POST /services/oauth2/token`. */
export function token(ctx: EmulatorContext, req: Req): Reply {
  const params = oauthParams(req);
  switch (params.get('grant_type')) {
    case 'refresh_token':
      return refreshGrant(ctx, params);
    case 'client_credentials':
      return clientCredentialsGrant(ctx, params);
    case 'authorization_code':
    case 'password':
      return fail(TOKEN_ERRORS.authenticationFailure);
    case 'urn:ietf:params:oauth:grant-type:jwt-bearer':
      return fail(TOKEN_ERRORS.invalidClientId);
    default:
      return fail(TOKEN_ERRORS.unsupportedGrant);
  }
}
