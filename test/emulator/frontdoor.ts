/**
 * The UI Bridge API's single-access endpoint, which `sf org open` (through @salesforce/core's Org.getFrontDoorUrl)
 * calls to open Setup already logged in: `GET|POST /services/oauth2/singleaccess[?redirect_uri=/path]` with a Bearer
 * token answers `{ frontdoor_uri }`, a one-time `…/secur/frontdoor.jsp?otp=…&startURL=…` link on the My Domain
 * (Help `xcloud.frontdoor_singleaccess.htm`; a bad token: 403, as the OAuth endpoints answer it). The emulator serves
 * no UI, so nothing behind the link exists; tests only check where a browser would have been sent.
 */
import { randomBytes } from 'node:crypto';
import { type EmulatorContext, myDomainUrl } from './context.js';
import { type Reply, type Req, json } from './http.js';

export function singleAccess(ctx: EmulatorContext, req: Req): Reply {
  const redirect = req.query.get('redirect_uri') ?? new URLSearchParams(req.body.toString('utf8')).get('redirect_uri');
  const url = new URL('/secur/frontdoor.jsp', myDomainUrl(ctx));
  url.searchParams.set('otp', randomBytes(24).toString('base64url'));
  if (redirect) url.searchParams.set('startURL', redirect);
  return json(200, { frontdoor_uri: url.toString() });
}
