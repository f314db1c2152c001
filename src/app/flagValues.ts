/*
 * Command-line spellings of the metadata enum values (kebab-case, as sf flags are written) and back.
 * Shared by every command that sets app policies.
 */
import { type AppDefinition, OAUTH_SCOPES, type OAuthScope } from './definition.js';

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

/** Scope names in any letter case, mapped to Salesforce's spelling; unknown names are kept for validation to report. */
export function scopesFromFlag(values: string[] | undefined): OAuthScope[] | undefined {
  if (values === undefined) return undefined;
  const items = values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v.length > 0);
  return [
    ...new Set(items.map((item) => OAUTH_SCOPES.find((scope) => scope.toLowerCase() === item.toLowerCase()) ?? (item as OAuthScope))),
  ];
}
