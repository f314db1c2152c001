/*
 * The live OAuth probe: asks the org's authorize endpoint whether Salesforce would accept Ren's login
 * request (web server flow with PKCE), without logging in and without following the redirect. A redirect to
 * the login page means accepted; an error (on the redirect, or on Salesforce's error page) is reported with
 * its meaning and fix (salesforce-api.md §8).
 */
import { createHash, randomBytes } from 'node:crypto';

export type ProbeOutcome =
  | { accepted: true; status: number; location?: string }
  | { accepted: false; status?: number; error: string; description?: string };

const base64url = (bytes: Buffer): string => bytes.toString('base64url');

/** The authorize URL Ren's login would open, with a fresh PKCE challenge. */
export function authorizeUrl(loginUrl: string, clientId: string, redirectUri: string): string {
  const challenge = base64url(createHash('sha256').update(base64url(randomBytes(32))).digest());
  const params = new URLSearchParams({
    'response_type': 'code',
    'client_id': clientId,
    'redirect_uri': redirectUri,
    'code_challenge': challenge,
    'code_challenge_method': 'S256',
    state: base64url(randomBytes(12)),
  });
  return `${loginUrl}/services/oauth2/authorize?${params.toString()}`;
}

/** The OAuth error named in a URL's query or fragment, if any. */
function errorIn(url: URL): { error: string; description?: string } | undefined {
  const params = new URLSearchParams(url.search || url.hash.replace(/^#/, ''));
  const error = params.get('error') ?? (url.hash ? new URLSearchParams(url.hash.slice(1)).get('error') : null);
  return error ? { error, description: params.get('error_description') ?? undefined } : undefined;
}

/** Sends the request Ren's login would send, and classifies the answer. Never throws for an org's answer. */
export async function probeAuthorize(loginUrl: string, clientId: string, redirectUri: string, timeoutMs = 15_000): Promise<ProbeOutcome> {
  let response: Response;
  try {
    response = await fetch(authorizeUrl(loginUrl, clientId, redirectUri), { redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const cause = (error as Error & { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    return { accepted: false, error: 'unreachable', description: cause };
  }
  const status = response.status;
  const locationHeader = response.headers.get('location') ?? undefined;
  const body = await response.text().catch(() => '');
  if (status >= 300 && status < 400 && locationHeader) {
    const location = new URL(locationHeader, loginUrl);
    const error = errorIn(location);
    if (error) return { accepted: false, status, ...error };
    return { accepted: true, status, location: `${location.origin}${location.pathname}` };
  }
  // An error page: Salesforce names the error in its own URL or text.
  const named = /error=([a-z_]+)(?:&(?:amp;)?error_description=([^"&<\s]+))?/i.exec(body);
  if (named) return { accepted: false, status, error: named[1], description: named[2] ? decodeURIComponent(named[2].replace(/\+/g, ' ')) : undefined };
  return { accepted: false, status, error: status === 200 ? 'unexpected_page' : `http_${status}` };
}
