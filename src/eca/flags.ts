/*
 * The app's settings as command-line flags, and the mapping from flag values to an AppDefinition.
 * Flags are written as sf flags are (kebab-case values); the definition holds the Metadata API spellings.
 * Shared by every command that sets app settings or policies (create, preauthorize, onboard).
 */
import type { Interfaces } from '@oclif/core';
import { Messages } from '@salesforce/core';
import { Flags } from '@salesforce/sf-plugins-core';
import { optionFlag } from '../shared/flags.js';
import { splitList } from '../shared/lists.js';
import { type AppDefinition, type OAuthScope, scopeName } from './definition.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@rensystems/plugin-ren', 'eca.flags');

export const PERMITTED_USERS_FLAG = {
  'admin-approved': 'AdminApprovedPreAuthorized',
  'all-self-authorized': 'AllSelfAuthorized',
} as const satisfies Record<string, AppDefinition['permittedUsers']>;

export const REFRESH_TOKEN_POLICY_FLAG = {
  infinite: 'Infinite',
  zero: 'Zero',
  'specific-lifetime': 'SpecificLifetime',
  'specific-inactivity': 'SpecificInactivity',
} as const satisfies Record<string, AppDefinition['refreshTokenPolicy']>;

export const REFRESH_TOKEN_UNIT_FLAG = {
  hours: 'Hours',
  days: 'Days',
  months: 'Months',
} as const satisfies Record<string, NonNullable<AppDefinition['refreshTokenValidityUnit']>>;

export const IP_RELAXATION_FLAG = {
  enforce: 'Enforce',
  bypass: 'Bypass',
  'bypass-2fa': 'Bypass_2factor',
  'enforce-relax-refresh': 'Enforce_RelaxRefresh',
} as const satisfies Record<string, AppDefinition['ipRelaxation']>;

export const START_PAGE_FLAG = {
  none: 'None',
  oauth: 'OAuth',
  custom: 'Custom',
} as const satisfies Record<string, AppDefinition['startPage']>;

export const DISTRIBUTION_STATE_FLAG = {
  local: 'Local',
  packaged: 'Packaged',
} as const satisfies Record<string, AppDefinition['distributionState']>;

/** Looks up a flag value; undefined stays undefined (flag not given). */
export function fromFlag<M extends Record<string, string>>(map: M, value: string | undefined): M[keyof M] | undefined {
  return value === undefined ? undefined : map[value as keyof M];
}

/** The flag spelling of a metadata value (for messages and results), or the value itself when it has none. */
export function toFlag<M extends Record<string, string>>(map: M, value: string | undefined): string | undefined {
  return Object.entries(map).find(([, metadata]) => metadata === value)?.[0] ?? value;
}

/**
 * Scope names in any letter case, by their metadata or OAuth names (`refresh_token`), mapped to Salesforce's metadata
 * spelling; unknown names are kept for validation to report.
 */
export function scopesFromFlag(values: string[] | undefined): OAuthScope[] | undefined {
  if (values === undefined) return undefined;
  return [...new Set(splitList(values).map((item) => scopeName(item) as OAuthScope))];
}

const summary = (flag: string): string => messages.getMessage(`flags.${flag}.summary`);
const option = <M extends Record<string, string>>(flag: string, map: M): ReturnType<typeof optionFlag<M>> =>
  optionFlag(summary(flag), map);

/** The app's details, OAuth settings, flows, security and app policies. */
export const appFlags = {
  label: Flags.string({ summary: summary('label') }),
  // One flag names the app in every command; -n/--api-name still work and warn (sf's deprecation policy).
  app: Flags.string({
    char: 'a',
    summary: summary('app'),
    aliases: ['api-name'],
    charAliases: ['n'],
    deprecateAliases: true,
  }),
  'contact-email': Flags.string({ summary: summary('contact-email') }),
  'contact-phone': Flags.string({ summary: summary('contact-phone') }),
  description: Flags.string({ summary: summary('description') }),
  'distribution-state': option('distribution-state', DISTRIBUTION_STATE_FLAG),
  'info-url': Flags.string({ summary: summary('info-url') }),
  'icon-url': Flags.string({ summary: summary('icon-url') }),
  'logo-url': Flags.string({ summary: summary('logo-url') }),
  'callback-url': Flags.string({ summary: summary('callback-url') }),
  scopes: Flags.string({ summary: summary('scopes'), multiple: true }),
  'code-credentials-flow': Flags.boolean({ summary: summary('code-credentials-flow'), allowNo: true }),
  'require-secret-web-server': Flags.boolean({ summary: summary('require-secret-web-server'), allowNo: true }),
  'require-secret-refresh': Flags.boolean({ summary: summary('require-secret-refresh'), allowNo: true }),
  'require-pkce': Flags.boolean({ summary: summary('require-pkce'), allowNo: true }),
  enabled: Flags.boolean({ summary: summary('enabled'), allowNo: true }),
  'start-page': option('start-page', START_PAGE_FLAG),
  'start-url': Flags.string({ summary: summary('start-url') }),
};

/** The OAuth policies: who may use the app and how long its tokens live. */
export const policyFlags = {
  'permitted-users': option('permitted-users', PERMITTED_USERS_FLAG),
  'refresh-token-policy': option('refresh-token-policy', REFRESH_TOKEN_POLICY_FLAG),
  'refresh-token-validity': Flags.integer({ summary: summary('refresh-token-validity'), min: 1 }),
  'refresh-token-unit': option('refresh-token-unit', REFRESH_TOKEN_UNIT_FLAG),
  'ip-relaxation': option('ip-relaxation', IP_RELAXATION_FLAG),
};

/** Profiles and permission sets pre-authorized for the app. */
export const accessFlags = {
  profile: Flags.string({ summary: summary('profile'), multiple: true }),
  'permission-set': Flags.string({ summary: summary('permission-set'), multiple: true }),
};

/** The app flags as oclif parses them; a command may have only some of them (preauthorize has no app flags). */
export type AppFlagValues = Partial<
  Interfaces.InferredFlags<typeof appFlags & typeof policyFlags & typeof accessFlags>
>;

/** The definition fields the given flags set; a flag that was not given leaves its field undefined. */
export function definitionFromFlags(flags: AppFlagValues): Partial<AppDefinition> {
  return {
    label: flags.label,
    apiName: flags.app,
    contactEmail: flags['contact-email'],
    contactPhone: flags['contact-phone'],
    description: flags.description,
    distributionState: fromFlag(DISTRIBUTION_STATE_FLAG, flags['distribution-state']),
    infoUrl: flags['info-url'],
    iconUrl: flags['icon-url'],
    logoUrl: flags['logo-url'],
    callbackUrl: flags['callback-url'],
    scopes: scopesFromFlag(flags.scopes),
    codeCredentialsFlow: flags['code-credentials-flow'],
    requireSecretForWebServerFlow: flags['require-secret-web-server'],
    requireSecretForRefreshToken: flags['require-secret-refresh'],
    requirePkce: flags['require-pkce'],
    enabled: flags.enabled,
    startPage: fromFlag(START_PAGE_FLAG, flags['start-page']),
    startUrl: flags['start-url'],
    permittedUsers: fromFlag(PERMITTED_USERS_FLAG, flags['permitted-users']),
    refreshTokenPolicy: fromFlag(REFRESH_TOKEN_POLICY_FLAG, flags['refresh-token-policy']),
    refreshTokenValidityPeriod: flags['refresh-token-validity'],
    refreshTokenValidityUnit: fromFlag(REFRESH_TOKEN_UNIT_FLAG, flags['refresh-token-unit']),
    ipRelaxation: fromFlag(IP_RELAXATION_FLAG, flags['ip-relaxation']),
    profiles: flags.profile ? splitList(flags.profile) : undefined,
    permissionSets: flags['permission-set'] ? splitList(flags['permission-set']) : undefined,
  };
}

/** A value each flag can hold, to see which definition field it sets. */
function sampleValue(flag: { type: string; multiple?: boolean; options?: readonly string[] }): unknown {
  if (flag.type === 'boolean') return true;
  if (flag.multiple) return ['x'];
  return flag.options?.[0] ?? 'x';
}

/** The flag (`--name`) that sets each definition field, read off definitionFromFlags so the two never disagree. */
export const FIELD_FLAGS: ReadonlyMap<string, string> = new Map(
  Object.entries({ ...appFlags, ...policyFlags, ...accessFlags }).flatMap(([name, flag]) =>
    Object.entries(definitionFromFlags({ [name]: sampleValue(flag) } as AppFlagValues))
      .filter(([, value]) => value !== undefined)
      .map(([field]): [string, string] => [field, `--${name}`]),
  ),
);

/**
 * Names a definition field the way the user gave it, for validation errors: the flag when a flag set it, the field
 * "in FILE" when the definition file did, the field's name otherwise (a default that clashes with what was given).
 */
export function fieldLabeller(
  flags: AppFlagValues,
  fromFile?: Partial<AppDefinition>,
  path?: string,
): (field: string) => string {
  const given = definitionFromFlags(flags) as Record<string, unknown>;
  const inFile = (fromFile ?? {}) as Record<string, unknown>;
  return (field) => {
    const flag = FIELD_FLAGS.get(field);
    if (flag && given[field] !== undefined) return flag;
    if (path && inFile[field] !== undefined) return `${field} (in ${path})`;
    return field;
  };
}
