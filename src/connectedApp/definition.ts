/*
 * A vendor-owned connected app and the policies its vendor's guide asks for, as plain data. Inven's guide
 * ("Connecting Salesforce to Inven") is the built-in preset; another vendor's values come from a definition file
 * (JSON, the flag spellings below) and the command's flags, flags winning.
 *
 * Policy values use the ConnectedApp metadata spellings (docs/salesforce.md §4), so a value means the same thing
 * whether it is compared with ConnectedApplication, written through the Metadata API or named on the Setup page.
 */
import { readFile } from 'node:fs/promises';
import { Messages, type SfError } from '@salesforce/core';
import { fromAnySpelling } from '../shared/spellings.js';
import { type IpRange, formatIpRange, ipRangeProblem, parseIpRange } from './ipRanges.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@rensystems/plugin-ren', 'connectedApp');

export type PermittedUsers = 'AllSelfAuthorized' | 'AdminApprovedPreAuthorized';
export type IpRelaxation = 'ENFORCE' | 'ENFORCE_RELAXREFRESH' | 'BYPASS_2FACTOR' | 'BYPASS';
export type RefreshTokenPolicy = 'infinite' | 'zero' | 'specific_lifetime' | 'specific_inactivity';
export type RefreshTokenUnit = 'HOURS' | 'DAYS' | 'MONTHS';

export type ConnectedAppDefinition = {
  /** The app's name in the org: ConnectedApplication.Name and OauthToken.AppName (e.g. "Inven"). */
  name: string;
  permittedUsers: PermittedUsers;
  ipRelaxation: IpRelaxation;
  refreshTokenPolicy: RefreshTokenPolicy;
  /** With a specific refresh token policy: how many units. */
  refreshTokenValidity?: number;
  refreshTokenUnit?: RefreshTokenUnit;
  /** Trusted IP ranges of the app (added to the ones it has). */
  ipRanges: IpRange[];
  /** Profiles (Profile.Name) and permission sets (API name) to pre-authorize (added to the ones it has). */
  profiles: string[];
  permissionSets: string[];
  /** How an admin makes the first connection from the vendor's side (the guide's steps 1 and 2). */
  firstLogin: string;
};

/** Flag and definition-file spellings → metadata spellings. */
export const PERMITTED_USERS_FLAG = {
  'all-self-authorized': 'AllSelfAuthorized',
  'admin-approved': 'AdminApprovedPreAuthorized',
} as const satisfies Record<string, PermittedUsers>;

export const IP_RELAXATION_FLAG = {
  enforce: 'ENFORCE',
  'enforce-relax-refresh': 'ENFORCE_RELAXREFRESH',
  'bypass-2fa': 'BYPASS_2FACTOR',
  bypass: 'BYPASS',
} as const satisfies Record<string, IpRelaxation>;

export const REFRESH_TOKEN_POLICY_FLAG = {
  infinite: 'infinite',
  zero: 'zero',
  'specific-lifetime': 'specific_lifetime',
  'specific-inactivity': 'specific_inactivity',
} as const satisfies Record<string, RefreshTokenPolicy>;

export const REFRESH_TOKEN_UNIT_FLAG = { hours: 'HOURS', days: 'DAYS', months: 'MONTHS' } as const satisfies Record<
  string,
  RefreshTokenUnit
>;

/** Inven's guide, Step 4: all users may self-authorize, relax IP restrictions, refresh token valid until revoked. */
export const INVEN_PRESET: ConnectedAppDefinition = {
  name: 'Inven',
  permittedUsers: 'AllSelfAuthorized',
  ipRelaxation: 'BYPASS',
  refreshTokenPolicy: 'infinite',
  ipRanges: [],
  profiles: [],
  permissionSets: [],
  firstLogin: messages.getMessage('firstLogin.inven'),
};

/** What a user may give, by flag or definition file; anything left out comes from the preset. */
export type DefinitionInput = Partial<ConnectedAppDefinition>;

/**
 * The definition after the file and the flags: the preset first, then the file, then the flags. Lists (IP ranges,
 * profiles, permission sets) add up. Another vendor's name without its own first-login text gets a generic one.
 */
export function mergeDefinition(...inputs: Array<DefinitionInput | undefined>): ConnectedAppDefinition {
  let merged: ConnectedAppDefinition = { ...INVEN_PRESET };
  let firstLoginGiven = false;
  for (const input of inputs) {
    if (!input) continue;
    const defined = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as DefinitionInput;
    firstLoginGiven ||= defined.firstLogin !== undefined;
    merged = {
      ...merged,
      ...defined,
      ipRanges: union(merged.ipRanges, defined.ipRanges ?? [], formatIpRange),
      profiles: union(merged.profiles, defined.profiles ?? [], (n) => n.toLowerCase()),
      permissionSets: union(merged.permissionSets, defined.permissionSets ?? [], (n) => n.toLowerCase()),
    };
  }
  if (!firstLoginGiven && merged.name.toLowerCase() !== INVEN_PRESET.name.toLowerCase()) {
    merged.firstLogin = messages.getMessage('firstLogin.generic', [merged.name]);
  }
  if (merged.refreshTokenPolicy === 'infinite' || merged.refreshTokenPolicy === 'zero') {
    delete merged.refreshTokenValidity;
    delete merged.refreshTokenUnit;
  }
  return merged;
}

function union<T>(a: T[], b: T[], key: (item: T) => string): T[] {
  const seen = new Set(a.map(key));
  return [...a, ...b.filter((item) => !seen.has(key(item)) && seen.add(key(item)))];
}

/** The refresh token policy as the ConnectedApp metadata writes it: `infinite`, `specific_lifetime:8:HOURS`, … */
export function refreshTokenPolicyValue(
  def: Pick<ConnectedAppDefinition, 'refreshTokenPolicy' | 'refreshTokenValidity' | 'refreshTokenUnit'>,
): string {
  if (def.refreshTokenPolicy === 'infinite' || def.refreshTokenPolicy === 'zero') return def.refreshTokenPolicy;
  return `${def.refreshTokenPolicy}:${def.refreshTokenValidity ?? 0}:${def.refreshTokenUnit ?? 'DAYS'}`;
}

/** Problems of a merged definition, one line each; empty when it is valid. */
export function definitionProblems(def: ConnectedAppDefinition): string[] {
  const problems: string[] = [];
  if (def.name.trim() === '') problems.push('name: must not be empty');
  const specific = def.refreshTokenPolicy === 'specific_lifetime' || def.refreshTokenPolicy === 'specific_inactivity';
  if (specific && !(Number.isInteger(def.refreshTokenValidity) && (def.refreshTokenValidity ?? 0) > 0)) {
    problems.push('refreshTokenValidity: a specific refresh token policy needs a whole number of units above 0');
  }
  if (specific && def.refreshTokenUnit === undefined)
    problems.push('refreshTokenUnit: a specific refresh token policy needs hours, days or months');
  for (const range of def.ipRanges) {
    const problem = ipRangeProblem(range);
    if (problem) problems.push(`ipRanges: ${problem}`);
  }
  return problems;
}

export function invalidDefinitionError(problems: string[]): SfError {
  return messages.createError('error.RenInvalidConnectedAppDefinition', [problems.map((p) => `  - ${p}`).join('\n')]);
}

const FILE_FIELDS = [
  'name',
  'permittedUsers',
  'ipRelaxation',
  'refreshTokenPolicy',
  'refreshTokenValidity',
  'refreshTokenUnit',
  'ipRanges',
  'profiles',
  'permissionSets',
  'firstLogin',
];

/**
 * Reads a definition file: JSON with any of FILE_FIELDS, enum values in the flag spellings
 * (`"permittedUsers": "admin-approved"`) or any Metadata API spelling of either definition format
 * (`AdminApprovedPreAuthorized`, `BYPASS_2FACTOR`, `SpecificLifetime`: shared/spellings.ts), IP ranges as
 * `"START-END"`, CIDR or `{ start, end, description }`.
 */
export async function readDefinitionFile(path: string): Promise<{ input: DefinitionInput; problems: string[] }> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    return { input: {}, problems: [`${path}: ${(error as Error).message}`] };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { input: {}, problems: [`${path}: must hold a JSON object`] };
  const file = raw as Record<string, unknown>;
  const problems = Object.keys(file)
    .filter((k) => !FILE_FIELDS.includes(k))
    .map((k) => `${k}: is not a definition field (known: ${FILE_FIELDS.join(', ')})`);
  const text = (key: string): string | undefined => {
    const value = file[key];
    if (value === undefined) return undefined;
    if (typeof value === 'string') return value;
    problems.push(`${key}: must be a string`);
    return undefined;
  };
  const list = (key: string): string[] | undefined => {
    const value = file[key];
    if (value === undefined) return undefined;
    if (Array.isArray(value) && value.every((v): v is string => typeof v === 'string')) return value;
    problems.push(`${key}: must be a list of names`);
    return undefined;
  };
  const option = <M extends Record<string, string>>(key: string, map: M): M[keyof M] | undefined => {
    const value = text(key);
    if (value === undefined) return undefined;
    const metadata = fromAnySpelling(map, value);
    if (metadata !== undefined) return metadata;
    problems.push(`${key}: "${value}" is not one of ${Object.keys(map).join(', ')}`);
    return undefined;
  };
  const validity = file.refreshTokenValidity;
  if (validity !== undefined && typeof validity !== 'number') problems.push('refreshTokenValidity: must be a number');
  const input: DefinitionInput = {
    name: text('name'),
    permittedUsers: option('permittedUsers', PERMITTED_USERS_FLAG),
    ipRelaxation: option('ipRelaxation', IP_RELAXATION_FLAG),
    refreshTokenPolicy: option('refreshTokenPolicy', REFRESH_TOKEN_POLICY_FLAG),
    refreshTokenValidity: typeof validity === 'number' ? validity : undefined,
    refreshTokenUnit: option('refreshTokenUnit', REFRESH_TOKEN_UNIT_FLAG),
    ipRanges: fileIpRanges(file.ipRanges, problems),
    profiles: list('profiles'),
    permissionSets: list('permissionSets'),
    firstLogin: text('firstLogin'),
  };
  return { input, problems };
}

function fileIpRanges(value: unknown, problems: string[]): IpRange[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) {
    problems.push(
      'ipRanges: must be a list of "START-END" or CIDR ("3.5.140.0/24") strings or { start, end, description } objects',
    );
    return undefined;
  }
  const ranges: IpRange[] = [];
  for (const item of value) {
    const parsed =
      typeof item === 'string'
        ? parseIpRange(item)
        : isRangeObject(item)
          ? { range: item }
          : { problem: `${JSON.stringify(item)} is not an IP range` };
    if ('problem' in parsed) problems.push(`ipRanges: ${parsed.problem}`);
    else ranges.push(parsed.range);
  }
  return ranges;
}

function isRangeObject(item: unknown): item is IpRange {
  const r = item as Record<string, unknown>;
  return (
    typeof item === 'object' &&
    item !== null &&
    typeof r.start === 'string' &&
    typeof r.end === 'string' &&
    (r.description === undefined || typeof r.description === 'string')
  );
}
