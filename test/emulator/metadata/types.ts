/**
 * The metadata types the emulator knows, written as data: per type its package.xml name, folder, suffix, the API
 * version it appeared in, and a field table (kind, the version the field appeared in, required, format checks).
 * Sources: docs/salesforce.md §1 (Metadata API developer guide pages for each type) and §4 for ConnectedApp.
 */

export type FieldFormat = 'email' | 'url' | 'urlList';

type FieldBase = {
  /** API version the field appeared in. Elements of a later version are unknown to older deploys. */
  since: number;
  /** Last API version the field exists in (a field removed later is unknown from the next version on). */
  until?: number;
  required?: boolean;
  /** Extra content checks Salesforce applies (FIELD_INTEGRITY_EXCEPTION style problems). */
  format?: FieldFormat;
  /** Set by Salesforce, never by the client: kept from the stored record on update. */
  generated?: boolean;
  /** Repeated element (an array in the stored record). */
  list?: boolean;
  /** Never returned by read/retrieve (e.g. consumer secrets). */
  secret?: boolean;
};

export type FieldDef =
  | (FieldBase & { kind: 'string' })
  | (FieldBase & { kind: 'boolean' })
  | (FieldBase & { kind: 'int'; min?: number; max?: number })
  | (FieldBase & { kind: 'enum'; enumName: string; values: readonly string[] })
  | (FieldBase & { kind: 'complex'; typeName: string; fields: FieldTable });

export type FieldTable = Readonly<Record<string, FieldDef>>;

export type MetadataTypeDef = {
  /** CRUD / XML root name, e.g. `ExternalClientApplication`, `OauthOidcSettings`. */
  name: string;
  /** package.xml `<name>`: the type name, or `Settings` for settings types. */
  manifestName: string;
  folder: string;
  suffix: string;
  since: number;
  fields: FieldTable;
  /** Child components of an External Client App name their app in this field. */
  parentField?: 'externalClientApplication';
  /** Settings types have exactly one component with this fullName. */
  settingsFullName?: string;
  /** Key prefix of the ids of stored components. */
  idPrefix: string;
};

const s = (since: number, extra: Partial<FieldBase> = {}): FieldDef => ({ kind: 'string', since, ...extra });
const b = (since: number, extra: Partial<FieldBase> = {}): FieldDef => ({ kind: 'boolean', since, ...extra });
const i = (since: number, extra: Partial<FieldBase> & { min?: number; max?: number } = {}): FieldDef => ({
  kind: 'int',
  since,
  ...extra,
});
const e = (since: number, enumName: string, values: readonly string[], extra: Partial<FieldBase> = {}): FieldDef => ({
  kind: 'enum',
  since,
  enumName,
  values,
  ...extra,
});
const c = (since: number, typeName: string, fields: FieldTable, extra: Partial<FieldBase> = {}): FieldDef => ({
  kind: 'complex',
  since,
  typeName,
  fields,
  ...extra,
});

const PARENT = s(59, { required: true });

export const ExternalClientApplication: MetadataTypeDef = {
  name: 'ExternalClientApplication',
  manifestName: 'ExternalClientApplication',
  folder: 'externalClientApps',
  suffix: 'eca',
  since: 59,
  idPrefix: '0xI',
  fields: {
    // [D H-LOCAL] calls contactEmail required.
    contactEmail: s(59, { required: true, format: 'email' }),
    contactPhone: s(59),
    description: s(59),
    distributionState: e(59, 'ExtlClntAppDistState', ['Local', 'Packaged', 'Managed', 'AutoInstalled']),
    iconUrl: s(59, { format: 'url' }),
    infoUrl: s(59, { format: 'url' }),
    isProtected: b(59),
    label: s(59, { required: true }),
    logoUrl: s(59, { format: 'url' }),
    // Internal enum whose values are not documented: accepted as a string.
    managedType: s(59),
    // `[OrgId]:[AppName]`, generated on the first deploy.
    orgScopedExternalApp: s(59, { generated: true }),
  },
};

const OAUTH_SETTINGS_ATTRIBUTE: FieldTable = {
  formula: s(59, { required: true }),
  key: s(59, { required: true }),
};

export const ExtlClntAppOauthSettings: MetadataTypeDef = {
  name: 'ExtlClntAppOauthSettings',
  manifestName: 'ExtlClntAppOauthSettings',
  folder: 'extlClntAppOauthSettings',
  suffix: 'ecaOauth',
  since: 59,
  idPrefix: '0xH',
  parentField: 'externalClientApplication',
  fields: {
    areAttributesIncludedInAssetToken: b(61),
    areCustomPermsIncludedInAssetToken: b(61),
    assetTokenAudiences: s(61),
    assetTokenSigningCertificate: s(61),
    assetTokenValidity: i(61),
    // Version not documented [?]; the v62 doc is the first to show it.
    clientAssertionCertificate: s(62),
    commaSeparatedOauthScopes: s(59),
    customAttributes: c(59, 'ExtlClntAppOauthSettingsAttribute', OAUTH_SETTINGS_ATTRIBUTE, { list: true }),
    externalClientApplication: PARENT,
    isFirstPartyAppEnabled: b(62),
    label: s(59),
    // Generated from the org id and consumer id; a deploy that supplies a wrong one fails [D H-NEWGLOBAL].
    oauthLink: s(59, { generated: true }),
    singleLogoutUrl: s(59, { format: 'url' }),
    trustedIpRanges: c(
      59,
      'ExtlClntAppOauthIpRange',
      { description: s(59), endIpAddress: s(59, { required: true }), startIpAddress: s(59, { required: true }) },
      { list: true },
    ),
  },
};

export const ExtlClntAppGlobalOauthSettings: MetadataTypeDef = {
  name: 'ExtlClntAppGlobalOauthSettings',
  manifestName: 'ExtlClntAppGlobalOauthSettings',
  folder: 'extlClntAppGlobalOauthSets',
  suffix: 'ecaGlblOauth',
  since: 59,
  idPrefix: '0xG',
  parentField: 'externalClientApplication',
  fields: {
    callbackUrl: s(59, { format: 'urlList' }),
    certificate: s(60),
    // Generated by Salesforce; a client-supplied value is refused on create.
    consumerKey: s(59, { generated: true }),
    consumerSecret: s(59, { generated: true, secret: true }),
    externalClientApplication: PARENT,
    idTokenConfig: c(59, 'ExternalAppIdTokenConfig', {
      idTokenAudience: s(59),
      idTokenIncludeAttributes: b(59),
      idTokenIncludeStandardClaims: b(59),
      // The doc gives 1–720, but its own sample deploys 0, which orgs accept [?].
      idTokenValidityInMinutes: i(59, { min: 0, max: 720 }),
    }),
    isClientCredentialsFlowEnabled: b(60),
    isCodeCredFlowEnabled: b(61),
    isCodeCredPostOnly: b(61),
    isConsumerSecretOptional: b(59),
    isDeviceFlowEnabled: b(60),
    // These two are not in the v67 reference, but real retrieves return them (3P); their version is unknown [?].
    isDPopEnabled: b(64),
    isEnforceRefreshTokenTTL: b(64),
    isIntrospectAllTokens: b(59),
    isNamedUserJwtEnabled: b(61),
    isPkceRequired: b(59),
    isRefreshTokenRotationEnabled: b(60),
    isSecretRequiredForRefreshToken: b(59),
    isSecretRequiredForTokenExchange: b(60),
    isTokenExchangeEnabled: b(60),
    label: s(59),
    shouldRotateConsumerKey: b(59),
    shouldRotateConsumerSecret: b(59),
  },
};

export const ExtlClntAppConfigurablePolicies: MetadataTypeDef = {
  name: 'ExtlClntAppConfigurablePolicies',
  manifestName: 'ExtlClntAppConfigurablePolicies',
  folder: 'extlClntAppPolicies',
  suffix: 'ecaPlcy',
  since: 60,
  idPrefix: '0xK',
  parentField: 'externalClientApplication',
  fields: {
    externalClientApplication: s(60, { required: true }),
    isCanvasPluginEnabled: b(66),
    isEnabled: b(60, { required: true }),
    isMobilePluginEnabled: b(63),
    isNotificationPluginEnabled: b(63),
    isOauthPluginEnabled: b(60),
    isPushPluginEnabled: b(63),
    isSamlPluginEnabled: b(63),
    label: s(60),
    startPage: e(63, 'ExtlClntAppStartPage', ['Custom', 'None', 'OAuth']),
    startUrl: s(63, { format: 'url' }),
  },
};

const JWT_TIMEOUTS = [1, 5, 10, 15, 30, 60, 90, 120, 240, 480, 720];

export const ExtlClntAppOauthConfigurablePolicies: MetadataTypeDef = {
  name: 'ExtlClntAppOauthConfigurablePolicies',
  manifestName: 'ExtlClntAppOauthConfigurablePolicies',
  folder: 'extlClntAppOauthPolicies',
  suffix: 'ecaOauthPlcy',
  since: 59,
  idPrefix: '0xJ',
  parentField: 'externalClientApplication',
  fields: {
    apexHandler: s(61),
    clientCredentialsFlowUser: s(60),
    commaSeparatedCustomScopes: s(61),
    commaSeparatedPermissionSet: s(59),
    // Absent from the v61 doc, present in v67, reported working at v64 [?]: the emulator accepts it from v64.
    commaSeparatedProfile: s(64),
    customAttributes: c(59, 'ExtlClntAppOauthPoliciesAttribute', OAUTH_SETTINGS_ATTRIBUTE, { list: true }),
    executeHandlerAs: s(61),
    externalClientApplication: PARENT,
    guestJwtSessionTimeoutType: e(65, 'ExtlClntAppJwtSessionTimeoutType', ['UserSession', 'Custom']),
    guestJwtTimeout: i(61, { min: Math.min(...JWT_TIMEOUTS), max: Math.max(...JWT_TIMEOUTS) }),
    // The doc types it as a string with four values; validated like an enum here [?].
    ipRelaxationPolicyType: e(59, 'ExtlClntAppIpRelaxationPolicyType', [
      'Enforce',
      'Bypass',
      'Bypass_2factor',
      'Enforce_RelaxRefresh',
    ]),
    isClientCredentialsFlowEnabled: b(60),
    isGuestCodeCredFlowEnabled: b(61),
    // Deprecated in Summer '25: valid from v61 to v63, refused from v64 on (sfdx-hardis #1681).
    isNamedUserJwtEnabled: b(61, { until: 63 }),
    isTokenExchangeFlowEnabled: b(60),
    label: s(59),
    namedUserJwtSessionTimeoutType: e(65, 'ExtlClntAppJwtSessionTimeoutType', ['UserSession', 'Custom']),
    namedUserJwtTimeout: i(61, { min: Math.min(...JWT_TIMEOUTS), max: Math.max(...JWT_TIMEOUTS) }),
    permittedUsersPolicyType: e(59, 'PermittedUsersPolicyType', ['AdminApprovedPreAuthorized', 'AllSelfAuthorized']),
    policyAction: e(59, 'PolicyAction', ['Block', 'RaiseSessionLevel']),
    refreshTokenPolicyType: e(59, 'RefreshTokenPolicyType', [
      'Infinite',
      'SpecificInactivity',
      'SpecificLifetime',
      'Zero',
    ]),
    refreshTokenValidityPeriod: i(59, { min: 1 }),
    // Enum type name not documented [?].
    refreshTokenValidityUnit: e(59, 'RefreshTokenValidityUnit', ['Days', 'Hours', 'Months']),
    requiredSessionLevel: e(59, 'SessionSecurityLevel', ['HIGH_ASSURANCE', 'LOW', 'STANDARD']),
    sessionTimeoutInMinutes: i(59, { min: 1 }),
    singleLogoutUrl: s(59, { format: 'url' }),
    startUrl: s(59, { format: 'url' }),
  },
};

export const OauthOidcSettings: MetadataTypeDef = {
  name: 'OauthOidcSettings',
  manifestName: 'Settings',
  folder: 'settings',
  suffix: 'settings',
  since: 56,
  idPrefix: '0Ns',
  settingsFullName: 'OauthOidc',
  fields: {
    agentAuthLinking: b(66),
    blockOAuthUnPwFlow: b(56),
    blockOAuthUsrAgtFlow: b(56),
    enableHdlessFgtPswFlow: b(59),
    isPkceRequired: b(59),
    oAuthCdCrdtFlowEnable: b(59),
  },
};

export const ExternalClientAppSettings: MetadataTypeDef = {
  name: 'ExternalClientAppSettings',
  manifestName: 'Settings',
  folder: 'settings',
  suffix: 'settings',
  since: 58,
  idPrefix: '0Ns',
  settingsFullName: 'ExternalClientApp',
  fields: {
    enableClientSecretInRestApiAccess: b(62),
    // Deprecated in v66+, still accepted.
    enableConsumerSecretApiAccess: b(58),
    enableExternalClientApps: b(58),
    enablePackageEcaOauthFromDevOrg: b(62),
  },
};

/** Legacy Connected App (docs/salesforce.md §4), enough to parse and store one. Creation rules: see validate.ts. */
export const ConnectedApp: MetadataTypeDef = {
  name: 'ConnectedApp',
  manifestName: 'ConnectedApp',
  folder: 'connectedApps',
  suffix: 'connectedApp',
  since: 29,
  idPrefix: '0H4',
  fields: {
    contactEmail: s(29, { required: true, format: 'email' }),
    contactPhone: s(29),
    description: s(29),
    iconUrl: s(29, { format: 'url' }),
    infoUrl: s(29, { format: 'url' }),
    label: s(29, { required: true }),
    logoUrl: s(29, { format: 'url' }),
    ipRanges: c(
      29,
      'ConnectedAppIpRange',
      { description: s(29), end: s(29, { required: true }), start: s(29, { required: true }) },
      { list: true },
    ),
    mobileStartUrl: s(29),
    startUrl: s(29),
    permissionSetName: s(46, { list: true }),
    profileName: s(46, { list: true }),
    oauthConfig: c(29, 'ConnectedAppOauthConfig', {
      callbackUrl: s(29, { required: true, format: 'urlList' }),
      certificate: s(29),
      consumerKey: s(29),
      consumerSecret: s(29, { secret: true }),
      isAdminApproved: b(46),
      isClientCredentialEnabled: b(56),
      isCodeCredentialEnabled: b(57),
      isCodeCredentialPostOnly: b(57),
      isConsumerSecretOptional: b(29),
      isIntrospectAllTokens: b(49),
      isNamedUserJwtEnabled: b(59),
      isPkceRequired: b(59),
      isRefreshTokenRotationEnabled: b(60),
      isSecretRequiredForRefreshToken: b(51),
      isSecretRequiredForTokenExchange: b(60),
      isTokenExchangeEnabled: b(60),
      oauthClientCredentialUser: s(56),
      scopes: s(29, { list: true }),
      singleLogoutUrl: s(29),
    }),
    oauthPolicy: c(49, 'ConnectedAppOauthPolicy', {
      ipRelaxation: s(49, { required: true }),
      refreshTokenPolicy: s(49, { required: true }),
      singleLogoutUrl: s(49),
    }),
  },
};

export const METADATA_TYPES: readonly MetadataTypeDef[] = [
  ExternalClientApplication,
  ExtlClntAppOauthSettings,
  ExtlClntAppGlobalOauthSettings,
  ExtlClntAppConfigurablePolicies,
  ExtlClntAppOauthConfigurablePolicies,
  OauthOidcSettings,
  ExternalClientAppSettings,
  ConnectedApp,
];

/** The ECA component types, parent first: the order a deploy applies them in. */
export const ECA_TYPES: readonly MetadataTypeDef[] = [
  ExternalClientApplication,
  ExtlClntAppOauthSettings,
  ExtlClntAppGlobalOauthSettings,
  ExtlClntAppConfigurablePolicies,
  ExtlClntAppOauthConfigurablePolicies,
];

const BY_NAME = new Map(METADATA_TYPES.map((t) => [t.name.toLowerCase(), t]));

/** Looks up a type by its CRUD name (case-insensitive, as the Metadata API does). */
export function typeByName(name: string): MetadataTypeDef | undefined {
  return BY_NAME.get(name.toLowerCase());
}

/** The settings type whose single component is `fullName` (`OauthOidc` → OauthOidcSettings). */
export function settingsTypeFor(fullName: string): MetadataTypeDef | undefined {
  return METADATA_TYPES.find((t) => t.settingsFullName?.toLowerCase() === fullName.toLowerCase());
}

/** Resolves a package.xml member (`<name>` + `<members>`) to its concrete type. */
export function typeForManifestMember(manifestName: string, member: string): MetadataTypeDef | undefined {
  if (manifestName.toLowerCase() === 'settings') return settingsTypeFor(member);
  const def = typeByName(manifestName);
  return def && def.manifestName !== 'Settings' ? def : undefined;
}

/** The mdapi path of a component: `externalClientApps/ren.eca`, `settings/OauthOidc.settings`. */
export function componentPath(def: MetadataTypeDef, fullName: string): string {
  return `${def.folder}/${fullName}.${def.suffix}`;
}

/** Resolves an mdapi file path (relative to the package root) to its type and fullName. */
export function componentForPath(path: string): { def: MetadataTypeDef; fullName: string } | undefined {
  const match = /^([^/]+)\/([^/]+)\.([^./]+)$/.exec(path);
  if (!match) return undefined;
  const [, folder, fullName, suffix] = match;
  if (folder === 'settings' && suffix === 'settings') {
    const def = settingsTypeFor(fullName);
    return def ? { def, fullName: def.settingsFullName ?? fullName } : undefined;
  }
  const def = METADATA_TYPES.find((t) => t.folder === folder && t.suffix === suffix);
  return def ? { def, fullName } : undefined;
}

/** Whether a field exists at an API version (appeared by then, not removed before). */
export function fieldExistsAt(field: FieldDef, apiVersion: number): boolean {
  return field.since <= apiVersion && (field.until === undefined || apiVersion <= field.until);
}
