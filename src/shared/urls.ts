/*
 * The one set of URL rules: https everywhere; plain http only where a loopback address makes it safe; never a user
 * name or password inside a URL. Used for the app's own URLs (callback, info, icon, logo, start), the login URL
 * and the hand-off URL.
 */

/**
 * A literal loopback address (127.0.0.0/8 or ::1). The name `localhost` is not one: the system resolver may map it
 * elsewhere, so credentials are never sent to it over plain http.
 */
export function isLoopbackAddress(hostname: string): boolean {
  return hostname === '[::1]' || hostname === '::1' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

export type UrlRules = {
  /**
   * Where plain http is accepted: `loopback` for a literal loopback address (the hand-off in tests), `localhost`
   * for a loopback address or the name localhost (a callback URL: Salesforce allows http://localhost callbacks for
   * local development, and only the user's own browser goes there). Default: https only.
   */
  http?: 'loopback' | 'localhost';
  /** Only `https://host[:port]`: no path, query or fragment (a login URL). */
  originOnly?: boolean;
};

/** Why `value` is not a usable URL under the rules, or undefined when it is. */
export function urlProblem(value: string, rules: UrlRules = {}): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `"${value}" is not a URL`;
  }
  if (url.username || url.password) return `"${url.host}": the URL must not carry a user name or password`;
  const httpAllowed =
    (rules.http === 'loopback' && isLoopbackAddress(url.hostname)) ||
    (rules.http === 'localhost' && (isLoopbackAddress(url.hostname) || url.hostname === 'localhost'));
  // Shown without its query or fragment, which may carry a token.
  const shown = `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`;
  if (url.protocol === 'http:' && !httpAllowed) {
    const where =
      rules.http === 'loopback' ? '; plain http is allowed only to a loopback address (127.0.0.1, [::1])' : '';
    return `"${shown}" must use https${where}`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `"${shown}" must use https`;
  if (!url.hostname) return `"${value}" has no host`;
  if (rules.originOnly && (url.pathname.replace(/\/+$/, '') !== '' || url.search || url.hash)) {
    return `"${value}" must be only https://host, without a path`;
  }
  return undefined;
}

/** A URL as it may be shown: origin and path only (a query may carry a token or a signature). */
export function displayUrl(value: string): string {
  const url = new URL(value);
  return `${url.origin}${url.pathname}`;
}
