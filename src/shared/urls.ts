/* URL rules shared by the app's settings and the hand-off: https everywhere, plain http only on loopback. */

export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || hostname === '::1' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/**
 * An absolute https URL. Plain http is accepted only for a callback on the loopback interface
 * (Salesforce allows http://localhost callbacks for local development); anything else must be https.
 */
export function urlProblem(value: string, opts: { allowLoopbackHttp?: boolean } = {}): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `"${value}" is not a URL`;
  }
  if (url.protocol === 'https:') return url.hostname ? undefined : `"${value}" has no host`;
  if (url.protocol === 'http:' && opts.allowLoopbackHttp && isLoopbackHost(url.hostname)) return undefined;
  return `"${value}" must use https`;
}
