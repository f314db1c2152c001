/**
 * Routing of a request to its API, with the authentication each needs: OAuth and identity (a bad token: 403
 * Bad_OAuth_Token; authorize, token and the login and error pages need none), Metadata SOAP (session from the
 * SessionHeader), the REST API (Bearer token; versions list without one). Also the replies of request-level faults
 * (faults.ts decides which rule applies).
 */
import type { EmulatorContext } from './context.js';
import type { FaultRule } from './faults.js';
import { singleAccess } from './frontdoor.js';
import { INVALID_SESSION, type Reply, type Req, bearerToken, notFound, restError, xml } from './http.js';
import {
  type SoapReply,
  type SoapRequest,
  handleMetadataCall,
  invalidSessionFault,
  soapFault,
} from './metadata/soap.js';
import { identity, revoke, userinfo } from './oauth.js';
import { authorize, authorizePages } from './oauthAuthorize.js';
import { token } from './oauthToken.js';
import type { UserRow } from './org/directory.js';
import { isServedVersion, versionsList } from './rest/info.js';
import { routeRest } from './rest/routes.js';

/** The one 404 that means "no such route" (logged), as opposed to a route answering NOT_FOUND. */
export const NOT_ROUTED: Reply = notFound();

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The reply a request-level fault makes: a reply, 'hang' (never answer), or undefined (answer normally, maybe late). */
export async function faultReply(fault: FaultRule, req: Req, isSoap: boolean): Promise<Reply | 'hang' | undefined> {
  switch (fault.fault) {
    case 'delay':
      await sleep(fault.delayMs ?? 1000);
      return undefined;
    case 'hang':
      return 'hang';
    case 'expired-session':
      if (isSoap) return soapReply(invalidSessionFault());
      return req.path.startsWith('/services/oauth2/') || req.path.startsWith('/id/')
        ? badOAuthToken()
        : INVALID_SESSION();
    case 'http-500':
      return isSoap
        ? soapReply(
            soapFault(
              'sf:UNKNOWN_EXCEPTION',
              'UNKNOWN_EXCEPTION: An unexpected error occurred. Please include this ErrorId if you contact support: 1234567890-12345 (-1234567890)',
            ),
          )
        : restError(
            500,
            'UNKNOWN_EXCEPTION',
            'An unexpected error occurred. Please include this ErrorId if you contact support: 1234567890-12345 (-1234567890)',
          );
    case 'http-503':
      return isSoap
        ? {
            ...soapReply(
              soapFault(
                'sf:SERVER_UNAVAILABLE',
                'SERVER_UNAVAILABLE: The server is temporarily unable to handle the request. Try again later.',
              ),
            ),
            status: 503,
          }
        : restError(
            503,
            'SERVER_UNAVAILABLE',
            'The server is temporarily unable to handle the request. Try again later.',
          );
    default:
      return undefined;
  }
}

const userFor = (ctx: EmulatorContext, req: Req): UserRow | undefined => ctx.state.userForToken(bearerToken(req));

/** Answers an API request (anything but the control endpoints); NOT_ROUTED when no route matches. */
export async function route(ctx: EmulatorContext, req: Req, soap: SoapRequest | undefined): Promise<Reply> {
  const { method, path } = req;
  if (path.startsWith('/services/oauth2/') || path.startsWith('/id/')) return oauthRoute(ctx, req) ?? NOT_ROUTED;
  if (path === '/' || path.startsWith('/setup/secur/')) return authorizePages(req) ?? NOT_ROUTED;
  const soapMatch = /^\/services\/Soap\/m\/(\d+\.\d)(?:\/[A-Za-z0-9]+)?\/?$/.exec(path);
  if (soapMatch) return method === 'POST' ? soapRoute(ctx, soap, soapMatch[1]) : NOT_ROUTED;
  if (path === '/services/data' || path === '/services/data/') return method === 'GET' ? versionsList(ctx) : NOT_ROUTED;
  const restMatch = /^\/services\/data\/v(\d+\.\d)(\/.*)?$/.exec(path);
  if (!restMatch) return NOT_ROUTED;
  const version = restMatch[1];
  const user = userFor(ctx, req);
  if (!user) return INVALID_SESSION();
  if (!isServedVersion(ctx, version)) return notFound();
  return (await routeRest(ctx, req, version, (restMatch[2] ?? '').replace(/\/+$/, ''), user)) ?? NOT_ROUTED;
}

/** The OAuth endpoints by path: the methods each answers, and its handler. */
const OAUTH_ROUTES: Record<string, { methods: string[]; handle: (ctx: EmulatorContext, req: Req) => Reply }> = {
  '/services/oauth2/token': { methods: ['POST'], handle: token },
  '/services/oauth2/authorize': { methods: ['GET', 'POST'], handle: authorize },
  '/services/oauth2/revoke': { methods: ['POST', 'GET'], handle: revoke },
  '/services/oauth2/singleaccess': {
    methods: ['GET', 'POST'],
    handle: (ctx, req) => (userFor(ctx, req) ? singleAccess(ctx, req) : badOAuthToken()),
  },
  '/services/oauth2/userinfo': {
    methods: ['GET', 'POST'],
    handle: (ctx, req) => {
      const user = userFor(ctx, req);
      return user ? userinfo(ctx, user) : badOAuthToken();
    },
  },
};

/** OAuth and identity endpoints; a bad token there answers 403 Bad_OAuth_Token. */
function oauthRoute(ctx: EmulatorContext, req: Req): Reply | undefined {
  const { method, path } = req;
  const endpoint = OAUTH_ROUTES[path];
  if (endpoint?.methods.includes(method)) return endpoint.handle(ctx, req);
  const idMatch = /^\/id\/([A-Za-z0-9]{15,18})\/([A-Za-z0-9]{15,18})\/?$/.exec(path);
  if (!idMatch || method !== 'GET') return undefined;
  const user = userFor(ctx, req) ?? ctx.state.userForToken(req.query.get('oauth_token') ?? undefined);
  return user ? identity(ctx, user, idMatch[1], idMatch[2]) : badOAuthToken();
}

/** Metadata API SOAP: session from the SessionHeader, version from the URL. */
async function soapRoute(ctx: EmulatorContext, soap: SoapRequest | undefined, version: string): Promise<Reply> {
  if (!soap) return soapReply(soapFault('soapenv:Client', 'Could not parse the SOAP envelope'));
  const user = ctx.state.userForToken(soap.sessionId);
  if (!user) return soapReply(invalidSessionFault());
  if (!isServedVersion(ctx, version)) {
    return soapReply(
      soapFault(
        'sf:UNSUPPORTED_API_VERSION',
        `UNSUPPORTED_API_VERSION: Invalid Api version specified on URL: ${version}`,
      ),
    );
  }
  return soapReply(await handleMetadataCall(soap, { state: ctx.state, faults: ctx.faults, apiVersion: version, user }));
}

function soapReply(r: SoapReply): Reply {
  return xml(r.status, r.body);
}

/** OAuth endpoints answer a bad token with 403 Bad_OAuth_Token. */
function badOAuthToken(): Reply {
  return { status: 403, headers: { 'content-type': 'text/plain;charset=UTF-8' }, body: 'Bad_OAuth_Token' };
}
