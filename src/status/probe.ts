/*
 * The live OAuth probe: asks the org's authorize endpoint whether Salesforce would accept Ren's login
 * request (web server flow, with PKCE as Ren's guide requires), without logging in and without following the
 * redirect. A redirect to the login page means accepted; an error (on the redirect, or on Salesforce's error
 * page) is reported with its meaning and fix (docs/salesforce.md §8).
 */
import { createHash, randomBytes } from 'node:crypto';

export type ProbeOutcome =
  | { accepted: true; status: number; location?: string }
  | { accepted: false; status?: number; error: string; description?: string };

const base64url = (bytes: Buffer): string => bytes.toString('base64url');

export type ProbeRequest = {
  loginUrl: string;
  clientId: string;
  redirectUri: string;
  /** The vendor's login sends a PKCE challenge (Ren's does: its guide requires PKCE). */
  pkce: boolean;
};

/** The authorize URL the vendor's login would open, with a fresh PKCE challenge when it uses PKCE. */
export function authorizeUrl(request: ProbeRequest): string {
  const params = new URLSearchParams([
    ['response_type', 'code'],
    ['client_id', request.clientId],
    ['redirect_uri', request.redirectUri],
  ]);
  if (request.pkce) {
    params.set(
      'code_challenge',
      base64url(
        createHash('sha256')
          .update(base64url(randomBytes(32)))
          .digest(),
      ),
    );
    params.set('code_challenge_method', 'S256');
  }
  params.set('state', base64url(randomBytes(12)));
  return `${request.loginUrl}/services/oauth2/authorize?${params.toString()}`;
}

/** The OAuth error named in a URL's query or fragment, if any. */
function errorIn(url: URL): { error: string; description?: string } | undefined {
  const params = new URLSearchParams(url.search || url.hash.replace(/^#/, ''));
  const error = params.get('error') ?? (url.hash ? new URLSearchParams(url.hash.slice(1)).get('error') : null);
  return error ? { error, description: params.get('error_description') ?? undefined } : undefined;
}

const ERROR_PAGE = '/setup/secur/RemoteAccessErrorPage.apexp';

/**
 * Sends the request the vendor's login would send, and classifies the answer. Never throws for an org's answer.
 * Accepted: a redirect to Salesforce's login page. Rejected: an `error` on the redirect (Salesforce's error page
 * or the callback), that error page without one, a redirect straight to the callback, or any other answer.
 */
export async function probeAuthorize(request: ProbeRequest, timeoutMs = 15_000): Promise<ProbeOutcome> {
  let response: Response;
  try {
    response = await fetch(authorizeUrl(request), { redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const cause = (error as Error & { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    return { accepted: false, error: 'unreachable', description: cause };
  }
  const status = response.status;
  const locationHeader = response.headers.get('location') ?? undefined;
  const body = await response.text().catch(() => '');
  if (status >= 300 && status < 400 && locationHeader) {
    const location = new URL(locationHeader, request.loginUrl);
    const where = `${location.origin}${location.pathname}`;
    const error = errorIn(location);
    if (error) return { accepted: false, status, ...error };
    if (location.pathname === ERROR_PAGE) return { accepted: false, status, error: 'OAUTH_APPROVAL_ERROR_GENERIC' };
    if (where === request.redirectUri)
      return { accepted: false, status, error: 'unexpected_redirect', description: where };
    return { accepted: true, status, location: where };
  }
  // An error page: older Salesforce answers name the error in the page's text or links.
  const named = /error=([A-Za-z_]+)(?:&(?:amp;)?error_description=([^"&<\s]+))?/.exec(body);
  if (named)
    return {
      accepted: false,
      status,
      error: named[1],
      description: named[2] ? decodeURIComponent(named[2].replace(/\+/g, ' ')) : undefined,
    };
  return { accepted: false, status, error: status === 200 ? 'unexpected_page' : `http_${status}` };
}
