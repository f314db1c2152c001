/*
 * The vendor app, described as plain data. Every default is a setting of Ren's admin guide
 * ("Grant access to Salesforce"); `--definition FILE` and the command's flags override them, so the
 * same command can onboard another vendor's app.
 */

/**
 * The scope names of the Metadata API (docs/salesforce.md §1.3), plus CDP and DataCloudUserClaims, which orgs list as
 * valid.
 */
export const OAUTH_SCOPES = [
  'Basic',
  'Api',
  'Web',
  'Full',
  'Chatter',
  'CustomApplications',
  'RefreshToken',
  'OpenID',
  'Profile',
  'Email',
  'Address',
  'Phone',
  'OfflineAccess',
  'CustomPermissions',
  'Wave',
  'Eclair',
  'Pardot',
  'Lightning',
  'Content',
  'CDPIngest',
  'CDPProfile',
  'CDPQuery',
  'CDPSegment',
  'CDPIdentityResolution',
  'CDPCalculatedInsight',
  'Chatbot',
  'SFApiPlatform',
  'Interaction',
  'EinsteinGPT',
  'PwdlessLogin',
  'ForgotPassword',
  'UserRegistration',
  'MCP',
  'SCRT',
  'CDP',
  'DataCloudUserClaims',
] as const;
export type OAuthScope = (typeof OAUTH_SCOPES)[number];

/**
 * Scopes the org folds into another when it stores them: "Access the identity URL service" (Basic) covers
 * profile, email, address and phone, and "Perform requests at any time" (RefreshToken) covers offline_access.
 * Documented for Connected App retrieves (docs/salesforce.md §4); assumed the same for External Client Apps.
 */
export const SCOPE_ALIASES: Readonly<Partial<Record<OAuthScope, OAuthScope>>> = {
  Profile: 'Basic',
  Email: 'Basic',
  Address: 'Basic',
  Phone: 'Basic',
  OfflineAccess: 'RefreshToken',
};

/**
 * The scope names people type, as Salesforce's OAuth scope docs and the guide write them ("Perform requests at any
 * time (refresh_token, offline_access)"), each with its Metadata API name. The list is the `scopes_supported` of
 * login.salesforce.com/.well-known/openid-configuration; names that only differ from the metadata name in letter case
 * (api, web, full, openid, profile, email, address, phone, lightning, content) need no entry.
 */
export const SCOPE_PARAMETERS: ReadonlyMap<string, OAuthScope> = new Map<string, OAuthScope>([
  ['id', 'Basic'],
  ['refresh_token', 'RefreshToken'],
  ['offline_access', 'OfflineAccess'],
  ['visualforce', 'CustomApplications'],
  ['custom_permissions', 'CustomPermissions'],
  ['chatter_api', 'Chatter'],
  ['wave_api', 'Wave'],
  ['eclair_api', 'Eclair'],
  ['pardot_api', 'Pardot'],
  ['cdp_api', 'CDP'],
  ['cdp_ingest_api', 'CDPIngest'],
  ['cdp_profile_api', 'CDPProfile'],
  ['cdp_query_api', 'CDPQuery'],
  ['cdp_segment_api', 'CDPSegment'],
  ['cdp_identityresolution_api', 'CDPIdentityResolution'],
  ['cdp_calculated_insight_api', 'CDPCalculatedInsight'],
  ['chatbot_api', 'Chatbot'],
  ['sfap_api', 'SFApiPlatform'],
  ['interaction_api', 'Interaction'],
  ['einstein_gpt_api', 'EinsteinGPT'],
  ['pwdless_login_api', 'PwdlessLogin'],
  ['forgot_password', 'ForgotPassword'],
  ['user_registration_api', 'UserRegistration'],
  ['mcp_api', 'MCP'],
  ['scrt_api', 'SCRT'],
]);

/**
 * The Metadata API name of a scope typed either way (`RefreshToken`, `refreshtoken`, `refresh_token`), in any letter
 * case; an unknown name comes back as typed, for validation to report with its close matches.
 */
export function scopeName(typed: string): string {
  const lower = typed.trim().toLowerCase();
  return OAUTH_SCOPES.find((scope) => scope.toLowerCase() === lower) ?? SCOPE_PARAMETERS.get(lower) ?? typed.trim();
}

/** A scope as the org stores it. */
export function canonicalScope(scope: string): string {
  return SCOPE_ALIASES[scope as OAuthScope] ?? scope;
}

export const DISTRIBUTION_STATES = ['Local', 'Packaged'] as const;
export const START_PAGES = ['None', 'OAuth', 'Custom'] as const;
export const PERMITTED_USERS = ['AdminApprovedPreAuthorized', 'AllSelfAuthorized'] as const;
export const REFRESH_TOKEN_POLICIES = ['Infinite', 'SpecificInactivity', 'SpecificLifetime', 'Zero'] as const;
export const REFRESH_TOKEN_UNITS = ['Hours', 'Days', 'Months'] as const;
export const IP_RELAXATION_POLICIES = ['Enforce', 'Bypass', 'Bypass_2factor', 'Enforce_RelaxRefresh'] as const;

export type AppDefinition = {
  /** External Client App Name (Setup label). */
  label: string;
  /** API name = the ExternalClientApplication fullName. */
  apiName: string;
  contactEmail: string;
  contactPhone?: string;
  distributionState: (typeof DISTRIBUTION_STATES)[number];
  description?: string;
  infoUrl?: string;
  iconUrl?: string;
  logoUrl?: string;
  callbackUrl: string;
  scopes: OAuthScope[];
  /** "Enable Authorization Code and Credentials Flow". */
  codeCredentialsFlow: boolean;
  /** "Require secret for Web Server Flow". */
  requireSecretForWebServerFlow: boolean;
  /** "Require secret for Refresh Token Flow". */
  requireSecretForRefreshToken: boolean;
  /** "Require Proof Key for Code Exchange (PKCE) extension for Supported Authorization Flows". */
  requirePkce: boolean;
  enabled: boolean;
  startPage: (typeof START_PAGES)[number];
  startUrl?: string;
  permittedUsers: (typeof PERMITTED_USERS)[number];
  refreshTokenPolicy: (typeof REFRESH_TOKEN_POLICIES)[number];
  refreshTokenValidityPeriod?: number;
  refreshTokenValidityUnit?: (typeof REFRESH_TOKEN_UNITS)[number];
  ipRelaxation: (typeof IP_RELAXATION_POLICIES)[number];
  /** Profile names (Profile.Name) pre-authorized for the app. */
  profiles: string[];
  /** Permission set API names pre-authorized for the app. */
  permissionSets: string[];
};

export const REN_ICON_URL = 'https://app.rensystems.com/images/ios-icon-512.png';

export const REN_APP: Readonly<AppDefinition> = Object.freeze<AppDefinition>({
  label: 'Ren',
  apiName: 'ren',
  contactEmail: 'support@rensystems.com',
  distributionState: 'Local',
  description: 'Sync Salesforce contacts to Ren',
  infoUrl: 'https://rensystems.com',
  iconUrl: REN_ICON_URL,
  logoUrl: REN_ICON_URL,
  callbackUrl: 'https://app.rensystems.com/api/salesforce/auth_callback',
  // "Access the identity URL service (id, profile, email, address, phone)" = Basic,
  // "Manage user data via APIs (api)" = Api,
  // "Perform requests at any time (refresh_token, offline_access)" = RefreshToken.
  scopes: ['Basic', 'Api', 'RefreshToken'],
  codeCredentialsFlow: true,
  requireSecretForWebServerFlow: true,
  requireSecretForRefreshToken: true,
  requirePkce: true,
  enabled: true,
  startPage: 'None',
  permittedUsers: 'AdminApprovedPreAuthorized',
  refreshTokenPolicy: 'Infinite',
  // Ren's guide says nothing about IP relaxation: keep Salesforce's default.
  ipRelaxation: 'Enforce',
  profiles: [],
  permissionSets: [],
});

/** The JSON type of each field a definition file may hold: exactly the fields of AppDefinition. */
export const DEFINITION_FIELDS: Readonly<Record<keyof AppDefinition, 'string' | 'boolean' | 'number' | 'list'>> = {
  label: 'string',
  apiName: 'string',
  contactEmail: 'string',
  contactPhone: 'string',
  distributionState: 'string',
  description: 'string',
  infoUrl: 'string',
  iconUrl: 'string',
  logoUrl: 'string',
  callbackUrl: 'string',
  scopes: 'list',
  codeCredentialsFlow: 'boolean',
  requireSecretForWebServerFlow: 'boolean',
  requireSecretForRefreshToken: 'boolean',
  requirePkce: 'boolean',
  enabled: 'boolean',
  startPage: 'string',
  startUrl: 'string',
  permittedUsers: 'string',
  refreshTokenPolicy: 'string',
  refreshTokenValidityPeriod: 'number',
  refreshTokenValidityUnit: 'string',
  ipRelaxation: 'string',
  profiles: 'list',
  permissionSets: 'list',
};

export const DEFINITION_KEYS = Object.keys(DEFINITION_FIELDS) as Array<keyof AppDefinition>;

/**
 * The values that say whose app it is. Another vendor's app never takes Ren's: the required ones must be given
 * (validate.ts names each one missing), the others stay unset.
 */
export const VENDOR_REQUIRED_FIELDS = ['label', 'apiName', 'contactEmail', 'callbackUrl'] as const;
export const VENDOR_OPTIONAL_FIELDS = ['contactPhone', 'description', 'infoUrl', 'iconUrl', 'logoUrl'] as const;

/** The definition is Ren's when its label (the app's name) is Ren's; any other name is another vendor's app. */
export function isRenApp(def: Pick<AppDefinition, 'label'>): boolean {
  return def.label === REN_APP.label;
}

/** The vendor a definition is for, by the name its messages use ("Ren's guide", "Acme Sync's guide"). */
export function vendorName(def: Pick<AppDefinition, 'label'>): string {
  return def.label.trim() || 'the vendor';
}

/**
 * Layers partial definitions over Ren's defaults, later layers winning. `undefined` never overrides,
 * so a flag the user did not pass leaves the definition file's value (or the default) in place.
 * When a layer names another vendor's app (a label other than Ren's), Ren's identity is left out: the
 * required fields start empty (validation says which are missing, all at once) and the optional ones unset.
 * Settings that are not about the vendor (scopes, flows, policies) keep their defaults.
 */
export function mergeDefinition(...layers: Array<Partial<AppDefinition> | undefined>): AppDefinition {
  const label = layers.reduce<string | undefined>((last, layer) => layer?.label ?? last, undefined);
  const base: Record<string, unknown> = { ...REN_APP, scopes: [...REN_APP.scopes] };
  if (label !== undefined && !isRenApp({ label })) {
    for (const field of VENDOR_REQUIRED_FIELDS) base[field] = '';
    for (const field of VENDOR_OPTIONAL_FIELDS) delete base[field];
  }
  const merged = base;
  for (const layer of layers) {
    if (!layer) continue;
    for (const [key, value] of Object.entries(layer)) {
      if (value !== undefined) merged[key] = value;
    }
  }
  return merged as AppDefinition;
}
