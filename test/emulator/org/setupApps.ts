/**
 * External Client Apps made by hand in Setup (External Client App Manager → New External Client App, OAuth enabled),
 * as seed metadata: the app, its OAuth settings and its global OAuth settings with the values Setup stores. Setup
 * leaves the policy records to Salesforce, which generates them with `_defaultPolicy` names and its defaults when the
 * seed loads (metadata/defaultPolicies.ts), as for an app deployed without policies.
 *
 * Assumptions [?]: Setup names the settings records `<apiName>_oauth` and `<apiName>_glbloauth` (the names of
 * docs/salesforce.md §1.9; `SelfCallout_oauth_defaultPolicy` in §1.10 implies an `…_oauth` settings record), and its
 * global OAuth settings hold every flow switch, off, except the three its form checks by default (PKCE, secret for the
 * web server flow, secret for refresh); real retrieves list these switches, `isDPopEnabled` and
 * `isEnforceRefreshTokenTTL` included, even when nobody set them [3P].
 */
import type { MdRecord } from '../metadata/store.js';

export type SetupAppSeed = {
  /** The app's API name. */
  apiName: string;
  /** Default: the API name. */
  label?: string;
  /** Default: admin@emulator.example.com. */
  contactEmail?: string;
  /** Default: https://login.salesforce.com/services/oauth2/callback. */
  callbackUrl?: string;
  /** `commaSeparatedOauthScopes`. Default: `Api`. */
  scopes?: string;
  /** Names of the settings records, when not Setup's. */
  names?: { oauthSettings?: string; globalOauth?: string };
  /** Extra or different field values of each record, e.g. `{ globalOauth: { isDPopEnabled: true } }`. */
  fields?: { app?: MdRecord; oauthSettings?: MdRecord; globalOauth?: MdRecord };
};

export type MetadataSeed = Record<string, Record<string, MdRecord>>;

/** The records Setup stores for an app, keyed as seed metadata (type → fullName → fields). */
export function setupAppMetadata(app: SetupAppSeed): MetadataSeed {
  const parent = { externalClientApplication: app.apiName };
  const oauthName = app.names?.oauthSettings ?? `${app.apiName}_oauth`;
  const globalName = app.names?.globalOauth ?? `${app.apiName}_glbloauth`;
  return {
    ExternalClientApplication: {
      [app.apiName]: {
        contactEmail: app.contactEmail ?? 'admin@emulator.example.com',
        distributionState: 'Local',
        isProtected: false,
        label: app.label ?? app.apiName,
        ...app.fields?.app,
      },
    },
    ExtlClntAppOauthSettings: {
      [oauthName]: {
        commaSeparatedOauthScopes: app.scopes ?? 'Api',
        ...parent,
        label: oauthName,
        ...app.fields?.oauthSettings,
      },
    },
    ExtlClntAppGlobalOauthSettings: {
      [globalName]: {
        callbackUrl: app.callbackUrl ?? 'https://login.salesforce.com/services/oauth2/callback',
        ...parent,
        isClientCredentialsFlowEnabled: false,
        isCodeCredFlowEnabled: false,
        isCodeCredPostOnly: false,
        isConsumerSecretOptional: false,
        isDPopEnabled: false,
        isDeviceFlowEnabled: false,
        isEnforceRefreshTokenTTL: false,
        isIntrospectAllTokens: false,
        isPkceRequired: true,
        isRefreshTokenRotationEnabled: false,
        isSecretRequiredForRefreshToken: true,
        isSecretRequiredForTokenExchange: false,
        isTokenExchangeEnabled: false,
        label: globalName,
        ...app.fields?.globalOauth,
      },
    },
  };
}

/** Seed metadata maps merged type by type (a later map's component wins). */
export function mergeMetadata(...maps: MetadataSeed[]): MetadataSeed {
  const merged: MetadataSeed = {};
  for (const map of maps) {
    for (const [type, byName] of Object.entries(map)) merged[type] = { ...merged[type], ...byName };
  }
  return merged;
}
