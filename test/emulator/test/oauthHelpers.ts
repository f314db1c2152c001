/* eslint-disable camelcase -- OAuth wire names */
/**
 * Test helpers for what a browser, a vendor and an admin do without an API session: Ren's app seeded with a pinned
 * consumer, a request to the authorize endpoint, a token request, and a control endpoint call.
 */
import type { Emulator, OrgSeed } from '../index.js';

export const CALLBACK = 'https://app.rensystems.com/api/salesforce/auth_callback';
export const KEY = '3MVG9renKey';
export const SECRET = 'REN_SECRET';
/** A PKCE challenge (S256) to add to an authorize request. */
export const PKCE = { code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' };

/** Ren's app as the guide sets it up, with a pinned consumer; `overrides` change a component's fields. */
export function renSeed(
  overrides: {
    global?: Record<string, unknown>;
    policies?: Record<string, unknown>;
    oauthPolicies?: Record<string, unknown>;
  } = {},
  extra: OrgSeed = {},
): OrgSeed {
  const parent = { externalClientApplication: 'ren' };
  return {
    ...extra,
    metadata: {
      ExternalClientApplication: {
        ren: { label: 'Ren', contactEmail: 'support@rensystems.com', distributionState: 'Local' },
      },
      ExtlClntAppOauthSettings: { ren_oauth: { ...parent, commaSeparatedOauthScopes: 'Basic, Api, RefreshToken' } },
      ExtlClntAppGlobalOauthSettings: {
        ren_glbloauth: {
          ...parent,
          callbackUrl: CALLBACK,
          isPkceRequired: true,
          isSecretRequiredForRefreshToken: true,
          consumerKey: KEY,
          consumerSecret: SECRET,
          ...overrides.global,
        } as never,
      },
      ExtlClntAppConfigurablePolicies: {
        ren_plcy: { ...parent, isEnabled: true, isOauthPluginEnabled: true, ...overrides.policies } as never,
      },
      ExtlClntAppOauthConfigurablePolicies: {
        ren_oauthPlcy: {
          ...parent,
          permittedUsersPolicyType: 'AdminApprovedPreAuthorized',
          ...overrides.oauthPolicies,
        } as never,
      },
    },
  };
}

/**
 * A browser's request to `/services/oauth2/authorize` (Ren's client id and callback unless `params` say otherwise; an
 * empty value drops the parameter): the status and where it redirects.
 */
export async function authorizeAt(
  emulator: Emulator,
  params: Record<string, string>,
): Promise<{ status: number; location: URL }> {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: KEY,
    redirect_uri: CALLBACK,
    state: 's1',
    ...params,
  });
  for (const [k, v] of Object.entries(params)) if (v === '') query.delete(k);
  const response = await fetch(`${emulator.url}/services/oauth2/authorize?${query.toString()}`, {
    redirect: 'manual',
  });
  await response.text();
  return { status: response.status, location: new URL(response.headers.get('location') ?? '', emulator.url) };
}

/** The `error` an authorize answer carries in its redirect (null when it is the login page). */
export async function authorizeError(emulator: Emulator, params: Record<string, string>): Promise<string | null> {
  return (await authorizeAt(emulator, params)).location.searchParams.get('error');
}

/** A form POST to `/services/oauth2/token`. */
export async function tokenRequest(
  emulator: Emulator,
  params: Record<string, string>,
): Promise<{ status: number; body: Record<string, string> }> {
  const response = await fetch(`${emulator.url}/services/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params).toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

/** The status of a refresh grant with a key and secret (200: the org accepts the pair). */
export async function refreshStatus(
  emulator: Emulator,
  pair: { key: string; secret: string },
  refreshToken: string,
): Promise<number> {
  const { status } = await tokenRequest(emulator, {
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    client_id: pair.key,
    client_secret: pair.secret,
  });
  return status;
}

/** A call to a control endpoint (`/__emulator/<path>`) with a JSON body. */
export async function controlCall(
  emulator: Emulator,
  path: string,
  body?: unknown,
  method = body === undefined ? 'GET' : 'POST',
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${emulator.url}/__emulator/${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
