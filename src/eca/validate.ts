/*
 * Checks an app definition before anything is sent to the org. Salesforce would reject most of these
 * values too, but only after a round trip and with a less helpful message; some (an http callback, a
 * consumer key) it would accept and regret.
 */
import { readFile } from 'node:fs/promises';
import { fromAnySpelling } from '../shared/spellings.js';
import { closeMatches, didYouMean } from '../shared/accessNames.js';
import { urlProblem } from '../shared/urls.js';
import {
  DISTRIBUTION_STATE_FLAG,
  IP_RELAXATION_FLAG,
  PERMITTED_USERS_FLAG,
  REFRESH_TOKEN_POLICY_FLAG,
  REFRESH_TOKEN_UNIT_FLAG,
  START_PAGE_FLAG,
} from './flags.js';
import { type DefinitionProblem, invalidDefinitionError } from './messages.js';
import {
  type AppDefinition,
  DEFINITION_FIELDS,
  DEFINITION_KEYS,
  DISTRIBUTION_STATES,
  isRenApp,
  VENDOR_REQUIRED_FIELDS,
  vendorName,
  IP_RELAXATION_POLICIES,
  OAUTH_SCOPES,
  type OAuthScope,
  PERMITTED_USERS,
  SCOPE_PARAMETERS,
  scopeName,
  REFRESH_TOKEN_POLICIES,
  REFRESH_TOKEN_UNITS,
  START_PAGES,
} from './definition.js';

/**
 * Salesforce's rules for an External Client App API name (object reference, ExternalClientApplication): every rule
 * the name breaks, so one run shows all there is to fix.
 */
export function apiNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'must not be empty';
  const broken = [
    name.length > 40 ? `is ${name.length} characters long; the limit is 40` : undefined,
    /^[A-Za-z]/.test(name) ? undefined : 'must begin with a letter',
    /^[A-Za-z0-9_]+$/.test(name) ? undefined : 'may contain only letters, digits and underscores',
    name.endsWith('_') ? 'must not end with an underscore' : undefined,
    name.includes('__') ? 'must not contain two consecutive underscores' : undefined,
  ].filter((rule) => rule !== undefined);
  return broken.length > 0 ? broken.join('; ') : undefined;
}

// Deliberately simple: one @, no spaces, a dot in the domain. Salesforce's own check is of this kind.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Another vendor's app names every required value itself (Ren's are never used); one problem per missing value,
 * all at once. Ren's own app has them all from its defaults.
 */
function missingVendorValues(def: AppDefinition): DefinitionProblem[] {
  if (isRenApp(def)) return [];
  return VENDOR_REQUIRED_FIELDS.filter((field) => def[field].trim() === '').map((field) => ({
    field,
    message: `is required for another vendor's app (${vendorName(def)}); Ren's value is never used`,
  }));
}

function problemsOfValues(def: AppDefinition, options: ValidateOptions): DefinitionProblem[] {
  const problems = missingVendorValues(def);
  const missing = new Set(problems.map((p) => p.field));
  const add = (field: string, message: string | undefined): void => {
    if (message && !missing.has(field)) problems.push({ field, message });
  };
  const oneOf = (field: keyof AppDefinition, allowed: readonly string[]): void => {
    const value = def[field];
    if (!allowed.includes(value as string)) add(field, `"${String(value)}" is not one of ${allowed.join(', ')}`);
  };

  add('label', def.label.trim().length === 0 ? 'must not be empty' : undefined);
  add('label', def.label.length > 255 ? 'must be at most 255 characters' : undefined);
  add('apiName', apiNameProblem(def.apiName));
  add('contactEmail', EMAIL.test(def.contactEmail) ? undefined : `"${def.contactEmail}" is not an email address`);
  add('description', (def.description ?? '').length > 256 ? 'must be at most 256 characters' : undefined);
  add('callbackUrl', urlProblem(def.callbackUrl, { http: 'localhost' }));
  for (const field of ['infoUrl', 'iconUrl', 'logoUrl'] as const) {
    const value = def[field];
    if (value !== undefined && value !== '') add(field, urlProblem(value));
  }
  oneOf('distributionState', DISTRIBUTION_STATES);
  oneOf('startPage', START_PAGES);
  oneOf('permittedUsers', PERMITTED_USERS);
  oneOf('refreshTokenPolicy', REFRESH_TOKEN_POLICIES);
  oneOf('ipRelaxation', IP_RELAXATION_POLICIES);

  if (def.scopes.length === 0) add('scopes', 'name at least one OAuth scope');
  add('scopes', unknownScopesProblem(def.scopes));

  problems.push(...policyProblems(def, options));
  return problems;
}

/**
 * Scopes that are neither a metadata name nor an OAuth name, each with its close matches (by metadata name); the
 * whole list only when some name has no close match.
 */
function unknownScopesProblem(scopes: readonly string[]): string | undefined {
  const unknown = scopes.filter((scope) => !(OAUTH_SCOPES as readonly string[]).includes(scopeName(scope)));
  if (unknown.length === 0) return undefined;
  const candidates = [...OAUTH_SCOPES, ...SCOPE_PARAMETERS.keys()];
  const described = unknown.map((scope) => {
    const suggestions = [...new Set(closeMatches(scope, candidates).map(scopeName))];
    return { text: `"${scope}"${didYouMean(suggestions)}`, guessed: suggestions.length > 0 };
  });
  const known = described.every((d) => d.guessed) ? '' : `; known scopes: ${OAUTH_SCOPES.join(', ')}`;
  return `unknown scope ${described.map((d) => d.text).join(', ')}${known}`;
}

/** Start page, refresh token and pre-authorization rules, which depend on each other. */
function policyProblems(def: AppDefinition, options: ValidateOptions): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const add = (field: string, message: string | undefined): void => {
    if (message) problems.push({ field, message });
  };
  if (def.startPage === 'Custom') {
    add('startUrl', def.startUrl ? urlProblem(def.startUrl) : 'is required when the start page is Custom');
  } else if (def.startUrl) {
    add('startUrl', 'is used only when the start page is Custom');
  }

  const specific = def.refreshTokenPolicy === 'SpecificLifetime' || def.refreshTokenPolicy === 'SpecificInactivity';
  if (specific) {
    const period = def.refreshTokenValidityPeriod;
    if (period === undefined || !Number.isInteger(period) || period < 1) {
      add(
        'refreshTokenValidityPeriod',
        `must be a whole number of at least 1 with the ${def.refreshTokenPolicy} policy`,
      );
    }
    if (!def.refreshTokenValidityUnit) {
      add(
        'refreshTokenValidityUnit',
        `is required with the ${def.refreshTokenPolicy} policy (${REFRESH_TOKEN_UNITS.join(', ')})`,
      );
    } else if (!(REFRESH_TOKEN_UNITS as readonly string[]).includes(def.refreshTokenValidityUnit)) {
      add(
        'refreshTokenValidityUnit',
        `"${def.refreshTokenValidityUnit}" is not one of ${REFRESH_TOKEN_UNITS.join(', ')}`,
      );
    }
  } else if (def.refreshTokenValidityPeriod !== undefined || def.refreshTokenValidityUnit !== undefined) {
    add('refreshTokenValidityPeriod', 'is used only with the SpecificLifetime or SpecificInactivity policy');
  }

  for (const field of ['profiles', 'permissionSets'] as const) {
    if (def[field].some((name) => name.trim().length === 0 || name.includes(','))) {
      add(field, 'names must not be empty or contain commas');
    }
  }
  const hasLists = def.profiles.length > 0 || def.permissionSets.length > 0;
  if (options.selfAuthorizedLists !== 'allow' && def.permittedUsers === 'AllSelfAuthorized' && hasLists) {
    add(
      'permittedUsers',
      'profiles and permission sets are pre-authorized only when permitted users are admin-approved',
    );
  }
  return problems;
}

/** Shape checks for a definition read from a file: unknown keys and wrong JSON types. */
export function definitionShapeProblems(raw: unknown): DefinitionProblem[] {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return [{ field: '(file)', message: 'must be a JSON object' }];
  }
  const problems: DefinitionProblem[] = [];
  for (const [key, value] of Object.entries(raw)) {
    const kind = (DEFINITION_FIELDS as Record<string, string | undefined>)[key];
    if (!kind) {
      const hint = /consumer(key|secret)/i.test(key) ? ' (Salesforce generates the consumer key and secret)' : '';
      problems.push({
        field: key,
        message: `is not a definition field${hint}; known fields: ${DEFINITION_KEYS.join(', ')}`,
      });
    } else if (kind === 'string' && typeof value !== 'string') {
      problems.push({ field: key, message: 'must be a string' });
    } else if (kind === 'boolean' && typeof value !== 'boolean') {
      problems.push({ field: key, message: 'must be true or false' });
    } else if (kind === 'list' && !(Array.isArray(value) && value.every((item) => typeof item === 'string'))) {
      problems.push({ field: key, message: 'must be an array of strings' });
    } else if (kind === 'number' && typeof value !== 'number') {
      problems.push({ field: key, message: 'must be a number' });
    }
  }
  return problems;
}

export type DefinitionFileResult =
  { definition: Partial<AppDefinition>; problems: [] } | { definition?: undefined; problems: DefinitionProblem[] };

export async function readDefinitionFile(path: string): Promise<DefinitionFileResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    return { problems: [{ field: '(file)', message: `cannot read ${path}: ${(error as Error).message}` }] };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { problems: [{ field: '(file)', message: `${path} is not valid JSON: ${(error as Error).message}` }] };
  }
  const problems = definitionShapeProblems(raw);
  if (problems.length > 0) return { problems };
  const { definition: normalised, spellingProblems } = normaliseSpellings(raw as Record<string, unknown>);
  if (spellingProblems.length > 0) return { problems: spellingProblems };
  const definition = normalised as Partial<AppDefinition>;
  // A file may name scopes the way flags do (refresh_token, api); the definition holds the metadata names.
  if (definition.scopes) definition.scopes = [...new Set(definition.scopes.map((s) => scopeName(s) as OAuthScope))];
  return { definition, problems: [] };
}

/** The enum fields of a definition file and the flag spellings of their values (the spelling the README documents). */
const SPELLINGS: Array<[keyof AppDefinition, Record<string, string>]> = [
  ['distributionState', DISTRIBUTION_STATE_FLAG],
  ['startPage', START_PAGE_FLAG],
  ['permittedUsers', PERMITTED_USERS_FLAG],
  ['refreshTokenPolicy', REFRESH_TOKEN_POLICY_FLAG],
  ['refreshTokenValidityUnit', REFRESH_TOKEN_UNIT_FLAG],
  ['ipRelaxation', IP_RELAXATION_FLAG],
];

/**
 * Rewrites each enum value of a file to its metadata spelling: the flag spelling and the Metadata API spellings of
 * both definition formats are accepted (shared/spellings.ts). A value that is none of them is a problem naming the
 * flag spellings.
 */
function normaliseSpellings(raw: Record<string, unknown>): {
  definition: Record<string, unknown>;
  spellingProblems: DefinitionProblem[];
} {
  const definition = { ...raw };
  const spellingProblems: DefinitionProblem[] = [];
  for (const [field, map] of SPELLINGS) {
    const value = raw[field];
    if (typeof value !== 'string') continue;
    const metadata = fromAnySpelling(map, value);
    if (metadata === undefined) {
      spellingProblems.push({ field, message: `"${value}" is not one of ${Object.keys(map).join(', ')}` });
    } else definition[field] = metadata;
  }
  return { definition, spellingProblems };
}

export type ValidateOptions = {
  /**
   * How an error names a field: the flag the user typed, or the field in the definition file (fieldLabeller in
   * flags.ts). The field's own name when not given.
   */
  label?: (field: string) => string;
  /**
   * Pre-authorized lists under "All users may self-authorize": an error for a new definition (the input
   * contradicts itself), allowed where the lists are the org's (preauthorize warns that they have no effect).
   */
  selfAuthorizedLists?: 'error' | 'allow';
};

export function validateDefinition(def: AppDefinition, options: ValidateOptions = {}): DefinitionProblem[] {
  return problemsOfValues(def, options);
}

/** Throws RenInvalidDefinitionError naming every bad value; nothing needs the org for this. */
export function assertValidDefinition(def: AppDefinition, options: ValidateOptions = {}): void {
  const problems = validateDefinition(def, options);
  const label = options.label ?? ((field: string): string => field);
  if (problems.length > 0) throw invalidDefinitionError(problems.map((p) => ({ ...p, field: label(p.field) })));
}

/** What a --definition file says (nothing without a file), or RenInvalidDefinitionError naming each problem. */
export async function definitionFile(path: string | undefined): Promise<Partial<AppDefinition> | undefined> {
  if (!path) return undefined;
  const file = await readDefinitionFile(path);
  if (file.problems.length > 0) throw invalidDefinitionError(file.problems);
  return file.definition;
}
