/*
 * The OAuth authorize endpoint, `GET|POST /services/oauth2/authorize` (web server flow, docs/salesforce.md §8), as a
 * browser without a Salesforce session meets it, and the two pages it sends the browser to.
 *
 * - Accepted: 302 to the org's login page, `<My Domain>/?ec=302&startURL=/setup/secur/RemoteAccessAuthorizationPage.apexp?source=…`.
 * - A client Salesforce cannot trust to receive the answer (unknown client id, redirect_uri not registered): 302 to
 *   Salesforce's own error page, `<My Domain>/setup/secur/RemoteAccessErrorPage.apexp?error=…&error_description=…`.
 * - Anything else wrong with a known client and its registered callback: 302 to the callback with `error=` (and the
 *   state), as RFC 6749 §4.1.2.1 and Salesforce's OAuth error page (H-OAERR) describe.
 * The order of the checks, the texts and the choice of page per error are in README.md ("OAuth authorize").
 */
/* eslint-disable camelcase -- OAuth wire names */
import { randomBytes } from 'node:crypto';
import { type EmulatorContext, myDomainUrl } from './context.js';
import type { Reply, Req } from './http.js';
import { type OauthClient, appEnabled, callbackUrls, clientById, oauthEnabled } from './oauthClients.js';

export const ERROR_PAGE = '/setup/secur/RemoteAccessErrorPage.apexp';
export const AUTHORIZATION_PAGE = '/setup/secur/RemoteAccessAuthorizationPage.apexp';

type OauthError = { error: string; error_description: string };

/** The errors, with Salesforce's texts (evidence in README.md). */
export const AUTHORIZE_ERRORS = {
  invalidClientId: { error: 'invalid_client_id', error_description: 'client identifier invalid' },
  redirectMismatch: { error: 'redirect_uri_mismatch', error_description: 'redirect_uri must match configuration' },
  unsupportedResponseType: { error: 'unsupported_response_type', error_description: 'response type not supported' },
  appBlocked: { error: 'OAUTH_APP_BLOCKED', error_description: 'this app is blocked by admin' },
  missingChallenge: { error: 'invalid_request', error_description: 'missing required code challenge' },
  badChallengeMethod: { error: 'invalid_request', error_description: 'invalid code challenge method' },
} satisfies Record<string, OauthError>;

function params(req: Req): URLSearchParams {
  const merged = new URLSearchParams(req.query);
  if (req.method === 'POST')
    for (const [k, v] of new URLSearchParams(req.body.toString('utf8'))) if (!merged.has(k)) merged.set(k, v);
  return merged;
}

function redirect(location: string): Reply {
  const escaped = location.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  return {
    status: 302,
    headers: {
      location,
      'content-type': 'text/html;charset=UTF-8',
      'cache-control': 'no-cache,must-revalidate,max-age=0,no-store,private',
    },
    body: `<html><head><meta http-equiv="refresh" content="0;url=${escaped}"></head><body>The URL has moved <a href="${escaped}">here</a></body></html>`,
  };
}

/** A URL with query parameters added (undefined values left out). */
function withQuery(base: string, values: Record<string, string | undefined>): string {
  const url = new URL(base);
  for (const [k, v] of Object.entries(values)) if (v !== undefined) url.searchParams.set(k, v);
  return url.toString();
}

function errorPage(ctx: EmulatorContext, e: OauthError, state: string | null): Reply {
  return redirect(withQuery(`${myDomainUrl(ctx)}${ERROR_PAGE}`, { ...e, state: state ?? undefined }));
}

function toCallback(callback: string, e: OauthError, state: string | null): Reply {
  return redirect(withQuery(callback, { ...e, state: state ?? undefined }));
}

/** What is wrong with a request of a known client to its registered callback, if anything. */
function requestProblem(ctx: EmulatorContext, client: OauthClient, p: URLSearchParams): OauthError | undefined {
  const responseType = p.get('response_type');
  const orgOauth = ctx.state.settings.OauthOidcSettings;
  const userAgentBlocked = responseType === 'token' && orgOauth.blockOAuthUsrAgtFlow === true;
  if ((responseType !== 'code' && responseType !== 'token') || userAgentBlocked)
    return AUTHORIZE_ERRORS.unsupportedResponseType;
  if (!appEnabled(client)) return AUTHORIZE_ERRORS.appBlocked;
  const pkceRequired = client.global.isPkceRequired === true || orgOauth.isPkceRequired === true;
  const challenge = p.get('code_challenge');
  if (pkceRequired && responseType === 'code' && !challenge) return AUTHORIZE_ERRORS.missingChallenge;
  const method = p.get('code_challenge_method');
  if (challenge && method !== null && method !== 'S256' && method !== 'plain')
    return AUTHORIZE_ERRORS.badChallengeMethod;
  return undefined;
}

/** `GET|POST /services/oauth2/authorize` without a session. */
export function authorize(ctx: EmulatorContext, req: Req): Reply {
  const p = params(req);
  const state = p.get('state');
  const clientId = p.get('client_id') ?? '';
  const client = clientById(ctx.state, clientId);
  const { propagation } = ctx.state;
  // A new app's client id is unknown here until it has propagated (org/propagation.ts).
  if (!client || !oauthEnabled(client) || propagation.isNew(client.app.fullName))
    return errorPage(ctx, AUTHORIZE_ERRORS.invalidClientId, state);
  const redirectUri = p.get('redirect_uri') ?? '';
  const callback = typeof client.global.callbackUrl === 'string' ? client.global.callbackUrl : '';
  if (!callbackUrls(propagation.callbackInEffect(client.app.fullName, callback)).includes(redirectUri))
    return errorPage(ctx, AUTHORIZE_ERRORS.redirectMismatch, state);
  const problem = requestProblem(ctx, client, p);
  if (problem) return toCallback(redirectUri, problem, state);
  // Accepted: the browser has no session, so Salesforce sends it to the login page and comes back to approve.
  const source = randomBytes(48).toString('base64url');
  const startUrl = `${AUTHORIZATION_PAGE}?source=${source}`;
  return redirect(withQuery(`${myDomainUrl(ctx)}/`, { ec: '302', startURL: startUrl }));
}

function page(title: string, body: string): Reply {
  return {
    status: 200,
    headers: { 'content-type': 'text/html;charset=UTF-8' },
    body: `<!DOCTYPE html><html><head><title>${title}</title></head><body>${body}</body></html>`,
  };
}

const escapeHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The pages the authorize endpoint sends a browser to: the login page and the OAuth error page. */
export function authorizePages(req: Req): Reply | undefined {
  if (req.method !== 'GET') return undefined;
  if (req.path === '/')
    return page(
      'Login | Salesforce',
      '<form id="login_form" method="post"><input id="username"><input id="password" type="password"></form>',
    );
  if (req.path === ERROR_PAGE) {
    const error = req.query.get('error') ?? '';
    const description = req.query.get('error_description') ?? '';
    return page(
      'Error | Salesforce',
      `<p>We can't authorize you because of an OAuth error. For more information, contact your Salesforce administrator.</p><p>${escapeHtml(error)}: ${escapeHtml(description)}</p>`,
    );
  }
  return undefined;
}
