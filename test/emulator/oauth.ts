/**
 * OAuth and identity: `/services/oauth2/userinfo` (OpenID Connect shape), the identity service `/id/{org}/{user}` and
 * `/services/oauth2/revoke`. The token endpoint is oauthToken.ts, authorize oauthAuthorize.ts.
 */
/* eslint-disable camelcase -- the OAuth / OpenID Connect wire format is snake_case */
import { type EmulatorContext, identityUrl, myDomainUrl } from './context.js';
import { type Reply, type Req, json } from './http.js';
import { oauthParams } from './oauthToken.js';
import { sameId } from './ids.js';
import type { UserRow } from './org/directory.js';

function urls(ctx: EmulatorContext, user: UserRow): Record<string, string> {
  const base = ctx.url;
  const org15 = ctx.state.organization.Id.slice(0, 15);
  const data = `${base}/services/data/v{version}`;
  return {
    enterprise: `${base}/services/Soap/c/{version}/${org15}`,
    metadata: `${base}/services/Soap/m/{version}/${org15}`,
    partner: `${base}/services/Soap/u/{version}/${org15}`,
    rest: `${data}/`,
    sobjects: `${data}/sobjects/`,
    search: `${data}/search/`,
    query: `${data}/query/`,
    recent: `${data}/recent/`,
    tooling_soap: `${base}/services/Soap/T/{version}/${org15}`,
    tooling_rest: `${data}/tooling/`,
    profile: `${base}/${user.Id}`,
    feeds: `${data}/chatter/feeds`,
    groups: `${data}/chatter/groups`,
    users: `${data}/chatter/users`,
    feed_items: `${data}/chatter/feed-items`,
    feed_elements: `${data}/chatter/feed-elements`,
    custom_domain: myDomainUrl(ctx),
  };
}

function photos(ctx: EmulatorContext): { picture: string; thumbnail: string } {
  return {
    picture: `${ctx.url}/img/userprofile/default_profile_200_v2.png`,
    thumbnail: `${ctx.url}/img/userprofile/default_profile_45_v2.png`,
  };
}

const UTC_OFFSET = -28_800_000;

/** `GET /services/oauth2/userinfo`. */
export function userinfo(ctx: EmulatorContext, user: UserRow): Reply {
  const org = ctx.state.organization;
  return json(200, {
    sub: identityUrl(ctx, user),
    user_id: user.Id,
    organization_id: org.Id,
    preferred_username: user.Username,
    nickname: user.Username.split('@')[0],
    name: user.Name,
    email: user.Email,
    email_verified: true,
    given_name: user.FirstName ?? '',
    family_name: user.LastName,
    zoneinfo: user.TimeZoneSidKey,
    photos: photos(ctx),
    profile: `${ctx.url}/${user.Id}`,
    picture: photos(ctx).picture,
    address: {},
    is_salesforce_integration_user: false,
    urls: urls(ctx, user),
    active: user.IsActive,
    user_type: 'STANDARD',
    language: user.LanguageLocaleKey,
    locale: user.LocaleSidKey,
    utcOffset: UTC_OFFSET,
    updated_at: user.LastModifiedDate,
    is_app_installed: true,
  });
}

/** `GET /id/{orgId}/{userId}`: the identity service of the session user (other users: 403 as Salesforce does). */
export function identity(ctx: EmulatorContext, user: UserRow, orgId: string, userId: string): Reply {
  const org = ctx.state.organization;
  if (!sameId(orgId, org.Id) || !sameId(userId, user.Id)) {
    return json(403, { error: 'Bad_Id', error_description: 'Bad id' });
  }
  return json(200, {
    id: identityUrl(ctx, user),
    asserted_user: true,
    user_id: user.Id,
    organization_id: org.Id,
    username: user.Username,
    nick_name: user.Username.split('@')[0],
    display_name: user.Name,
    email: user.Email,
    email_verified: true,
    first_name: user.FirstName,
    last_name: user.LastName,
    timezone: user.TimeZoneSidKey,
    photos: photos(ctx),
    addr_street: null,
    addr_city: null,
    addr_state: null,
    addr_country: null,
    addr_zip: null,
    mobile_phone: null,
    mobile_phone_verified: false,
    is_lightning_login_user: false,
    status: { created_date: null, body: null },
    urls: urls(ctx, user),
    active: user.IsActive,
    user_type: 'STANDARD',
    language: user.LanguageLocaleKey,
    locale: user.LocaleSidKey,
    utcOffset: UTC_OFFSET,
    last_modified_date: user.LastModifiedDate,
    is_app_installed: true,
  });
}

/** `POST|GET /services/oauth2/revoke`: revokes an access or refresh token; unknown tokens answer 400. */
export function revoke(ctx: EmulatorContext, req: Req): Reply {
  const params = req.method === 'GET' ? req.query : oauthParams(req);
  const value = params.get('token') ?? '';
  const known = ctx.state.sessions.revoke(value);
  return known
    ? { status: 200, body: '' }
    : json(400, { error: 'unsupported_token_type', error_description: 'this token type is not supported' });
}
