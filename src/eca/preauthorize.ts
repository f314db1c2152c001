/*
 * Who may use the app and its token policies: the focused edit of the app's OAuth policies record
 * (ExtlClntAppOauthConfigurablePolicies, docs/salesforce.md §1.6, §1.10). The record is found by its parent,
 * whatever name Salesforce gave it; the new state is planned and deployed by the same code as create, with
 * only that component allowed to change. A value the user does not give keeps the org's current one.
 */
import { Messages, type Connection, type SfError } from '@salesforce/core';
import type { Duration } from '@salesforce/kit';
import {
  type OrgAccessNames,
  listAccessNames,
  matchNames,
  type UnknownName,
  unknownNamesError,
} from '../shared/accessNames.js';
import { deployFailedError } from '../shared/deploy.js';
import { splitList } from '../shared/lists.js';
import { appNotFoundError, invalidDefinitionError } from './messages.js';
import { assertValidDefinition } from './validate.js';
import { type AppDefinition, mergeDefinition } from './definition.js';
import { REFRESH_TOKEN_POLICY_FLAG, toFlag } from './flags.js';
import { readExistingApp, type ExistingApp, similarAppNames } from './orgApp.js';
import { deployPolicies, grantsToRemove, removals, settleLists } from './policyLists.js';
import { type FieldChange, planApp } from './plan.js';
import { checkApiVersion, preconditionFailures, readOrgFacts } from './preconditions.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@rensystems/plugin-ren', 'eca.preauthorize');

export type PolicyValues = Pick<
  AppDefinition,
  'permittedUsers' | 'refreshTokenPolicy' | 'refreshTokenValidityPeriod' | 'refreshTokenValidityUnit' | 'ipRelaxation'
>;

export type PreauthorizeRequest = {
  /** API name of the External Client App. */
  app: string;
  profiles: string[];
  permissionSets: string[];
  /** Names to take off, profiles or permission sets. */
  remove: string[];
  /** Set the lists to exactly `profiles` and `permissionSets`. */
  replace: boolean;
  /** Only the values the user gave. */
  policies: Partial<PolicyValues>;
};

export type Preauthorization = PolicyValues & { profiles: string[]; permissionSets: string[] };

export type PreauthorizeResult = {
  app: string;
  status: 'updated' | 'unchanged';
  before: Preauthorization;
  after: Preauthorization;
  changes: FieldChange[];
  deployId?: string;
  dryRun: boolean;
  warnings: string[];
};

export type PreauthorizeOptions = {
  dryRun?: boolean;
  wait?: Duration;
  onStage?: (stage: 'check' | 'deploy') => void;
  /** The org's name (alias or username) in fixes. */
  target: string;
};

/** The flags given a value that names nothing (`--profile ''`, `--remove ,`), each once, as `--flag`. */
export function emptyNameFlags(values: Record<string, readonly string[] | undefined>): string[] {
  return Object.entries(values)
    .filter(([, given]) => given?.some((value) => splitList(value).length === 0))
    .map(([flag]) => `--${flag}`);
}

/**
 * Input mistakes found before the org is contacted: each would otherwise end in "unchanged" (or do something other
 * than asked) with exit 0. `emptyFlags` are the flags given an empty name (emptyNameFlags).
 */
export function requestProblems(request: PreauthorizeRequest, emptyFlags: string[] = []): SfError | undefined {
  if (emptyFlags.length > 0) return messages.createError('error.RenEmptyName', [emptyFlags.join(', ')]);
  if (request.replace && request.profiles.length === 0 && request.permissionSets.length === 0) {
    return messages.createError('error.RenReplaceWithoutNames');
  }
  if (request.replace && request.remove.length > 0) return messages.createError('error.RenReplaceWithRemove');
  const removed = new Set(request.remove.map((name) => name.toLowerCase()));
  const both = [...request.profiles, ...request.permissionSets].filter((name) => removed.has(name.toLowerCase()));
  if (both.length > 0) {
    return messages.createError('error.RenAddAndRemove', [both.map((name) => `"${name}"`).join(', ')]);
  }
  const policies = Object.values(request.policies).some((value) => value !== undefined);
  if (!policies && request.profiles.length + request.permissionSets.length + request.remove.length === 0) {
    return messages.createError('error.RenNothingToChange');
  }
  const { refreshTokenPolicy, refreshTokenValidityPeriod, refreshTokenValidityUnit } = request.policies;
  if (
    refreshTokenPolicy &&
    !isSpecific(refreshTokenPolicy) &&
    (refreshTokenValidityPeriod !== undefined || refreshTokenValidityUnit !== undefined)
  ) {
    return messages.createError('error.RenValidityWithoutSpecificPolicy', [
      refreshTokenValidityPeriod !== undefined ? '--refresh-token-validity' : '--refresh-token-unit',
      toFlag(REFRESH_TOKEN_POLICY_FLAG, refreshTokenPolicy) ?? refreshTokenPolicy,
    ]);
  }
  return undefined;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** The app's current pre-authorization and policies, as the org's OAuth policies record holds them. */
export function currentPreauthorization(
  existing: ExistingApp,
): Partial<Preauthorization> & Pick<Preauthorization, 'profiles' | 'permissionSets'> {
  const record = existing.children.oauthPolicies?.record ?? {};
  const period = record.refreshTokenValidityPeriod;
  return {
    permittedUsers: text(record.permittedUsersPolicyType) as PolicyValues['permittedUsers'] | undefined,
    refreshTokenPolicy: text(record.refreshTokenPolicyType) as PolicyValues['refreshTokenPolicy'] | undefined,
    refreshTokenValidityPeriod: typeof period === 'number' ? period : undefined,
    refreshTokenValidityUnit: text(record.refreshTokenValidityUnit) as
      PolicyValues['refreshTokenValidityUnit'] | undefined,
    ipRelaxation: text(record.ipRelaxationPolicyType) as PolicyValues['ipRelaxation'] | undefined,
    profiles: splitList(text(record.commaSeparatedProfile)),
    permissionSets: splitList(text(record.commaSeparatedPermissionSet)),
  };
}

const isSpecific = (policy: string | undefined): boolean =>
  policy === 'SpecificLifetime' || policy === 'SpecificInactivity';

/**
 * The policy values after the request: each given value wins, the org's current one stays otherwise. A
 * record that lacks a field (the org never set it) gets Ren's guide value. Period and unit go with a
 * specific refresh token policy only.
 */
export function mergedPolicies(current: Partial<PolicyValues>, given: Partial<PolicyValues>): PolicyValues {
  const guide = mergeDefinition();
  const refreshTokenPolicy = given.refreshTokenPolicy ?? current.refreshTokenPolicy ?? guide.refreshTokenPolicy;
  const specific = isSpecific(refreshTokenPolicy);
  return {
    permittedUsers: given.permittedUsers ?? current.permittedUsers ?? guide.permittedUsers,
    refreshTokenPolicy,
    refreshTokenValidityPeriod: specific
      ? (given.refreshTokenValidityPeriod ?? current.refreshTokenValidityPeriod)
      : undefined,
    refreshTokenValidityUnit: specific
      ? (given.refreshTokenValidityUnit ?? current.refreshTokenValidityUnit)
      : undefined,
    ipRelaxation: given.ipRelaxation ?? current.ipRelaxation ?? guide.ipRelaxation,
  };
}

export type ListChange = {
  profiles: string[];
  permissionSets: string[];
  unknown: UnknownName[];
  notPreauthorized: string[];
};

/**
 * The pre-authorized lists after add / replace / remove. Names are matched to the org's (case-insensitive,
 * the org's spelling kept); a removed name the org has but the app does not list is reported, not an error.
 */
export function mergedLists(
  current: Pick<Preauthorization, 'profiles' | 'permissionSets'>,
  request: PreauthorizeRequest,
  org: OrgAccessNames,
): ListChange {
  const unknown: UnknownName[] = [];
  const addProfiles = matchNames('profile', request.profiles, org.profiles, unknown);
  const addPermissionSets = matchNames('permission set', request.permissionSets, org.permissionSets, unknown);
  const union = (a: string[], b: string[]): string[] => {
    const seen = new Set(a.map((n) => n.toLowerCase()));
    return [...a, ...b.filter((n) => !seen.has(n.toLowerCase()))];
  };
  let profiles = request.replace ? addProfiles : union(current.profiles, addProfiles);
  let permissionSets = request.replace ? addPermissionSets : union(current.permissionSets, addPermissionSets);
  const notPreauthorized: string[] = [];
  for (const name of request.remove) {
    const lower = name.toLowerCase();
    const listed = [...profiles, ...permissionSets].some((n) => n.toLowerCase() === lower);
    if (listed) {
      profiles = profiles.filter((n) => n.toLowerCase() !== lower);
      permissionSets = permissionSets.filter((n) => n.toLowerCase() !== lower);
      continue;
    }
    const known = [...org.profiles, ...org.permissionSets];
    if (known.some((n) => n.toLowerCase() === lower)) notPreauthorized.push(name);
    else matchNames('profile or permission set', [name], known, unknown);
  }
  return { profiles, permissionSets, unknown, notPreauthorized };
}

export async function preauthorizeApp(
  conn: Connection,
  request: PreauthorizeRequest,
  options: PreauthorizeOptions,
): Promise<PreauthorizeResult> {
  const problem = requestProblems(request);
  if (problem) throw problem;
  const apiVersion = conn.getApiVersion();
  options.onStage?.('check');
  await checkApiVersion(conn);
  const needsNames = {
    profiles: request.profiles.length > 0 || request.remove.length > 0,
    permissionSets: request.permissionSets.length > 0 || request.remove.length > 0,
  };
  const [existing, org, facts] = await Promise.all([
    readExistingApp(conn, request.app, apiVersion),
    listAccessNames(conn, needsNames),
    readOrgFacts(conn, { needsCodeCredentialsFlow: false }),
  ]);
  if (!existing.app) {
    throw appNotFoundError(request.app, options.target, await similarAppNames(conn, request.app, existing.others));
  }

  const current = currentPreauthorization(existing);
  const lists = mergedLists(current, request, org);
  if (lists.unknown.length > 0) throw unknownNamesError(lists.unknown, options.target);
  const policies = mergedPolicies(current, request.policies);
  // A validity only a specific refresh token policy has would be dropped without a word: refuse it instead.
  const given = request.policies;
  if (
    !isSpecific(policies.refreshTokenPolicy) &&
    (given.refreshTokenValidityPeriod !== undefined || given.refreshTokenValidityUnit !== undefined)
  ) {
    const message = `is used only with the SpecificLifetime or SpecificInactivity policy (the app's is ${policies.refreshTokenPolicy})`;
    throw invalidDefinitionError([{ field: '--refresh-token-validity / --refresh-token-unit', message }]);
  }
  const after: Preauthorization = { ...policies, profiles: lists.profiles, permissionSets: lists.permissionSets };
  const before: Preauthorization = {
    ...mergedPolicies(current, {}),
    profiles: current.profiles,
    permissionSets: current.permissionSets,
  };

  const def = mergeDefinition({ apiName: existing.app.fullName, ...after });
  assertValidDefinition(def, { selfAuthorizedLists: 'allow' });
  const plan = planApp(def, existing, { preauthorization: 'replace', kinds: ['oauthPolicies'] });
  const warnings = lists.notPreauthorized.map((name) =>
    messages.getMessage('warning.notPreauthorized', [name, request.app]),
  );
  if (
    policies.permittedUsers === 'AllSelfAuthorized' &&
    (after.profiles.length > 0 || after.permissionSets.length > 0)
  ) {
    warnings.push(messages.getMessage('warning.selfAuthorized'));
  }
  const result: PreauthorizeResult = {
    app: existing.app.fullName,
    status: plan.toDeploy.length > 0 ? 'updated' : 'unchanged',
    before,
    after,
    changes: plan.changes,
    dryRun: options.dryRun ?? false,
    warnings: [...facts.warnings, ...warnings],
  };
  if (plan.toDeploy.length === 0) return result;

  const failures = preconditionFailures(facts, {
    deployTypes: plan.toDeploy.map((c) => c.type),
    needsCodeCredentialsFlow: false,
    username: conn.getUsername() ?? 'unknown',
    target: options.target,
  });
  if (failures.length > 0) throw failures[0];
  // A name to take off is found among the app's grants before anything changes (additive lists, §10.5).
  const grants = await grantsToRemove(conn, existing.app.fullName, removals(before, after));
  options.onStage?.('deploy');
  const outcome = await deployPolicies(
    conn,
    plan.toDeploy[0],
    { granted: before, after },
    { apiVersion, checkOnly: options.dryRun, timeout: options.wait },
  );
  result.deployId = outcome.id;
  if (!outcome.success) throw deployFailedError(outcome.id, outcome.problems, outcome.errorMessage);
  if (!options.dryRun) await settleLists(conn, existing.app.fullName, after, grants);
  return result;
}
