/*
 * Pre-authorizing profiles and permission sets for an installed connected app: one SetupEntityAccess row per
 * permission set (a profile's own one for a profile) and app (docs/salesforce.md §6). Names are validated against the
 * org with close matches for the unknown ones; grants are added to the ones the app has, never duplicated, and
 * `--remove` takes one off. Nothing is written when a name is wrong.
 */
import { Messages, type Connection, type SfError } from '@salesforce/core';
import { type AccessParent, type UnknownName, didYouMean, matchNames } from '../shared/accessNames.js';
import { deleteGrants, type Grant, type Grants, sameRecordId } from '../shared/grants.js';
import type { Check } from '../shared/checks.js';
import type { ConnectedAppDefinition } from './definition.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@rensystems/plugin-ren', 'connectedApp');

export type PreauthorizeRequest = { profiles: string[]; permissionSets: string[]; remove: string[] };

export type PreauthorizePlan = {
  add: AccessParent[];
  remove: Grant[];
  /** Names to remove that the org has but the app does not list (nothing to do). */
  notGranted: string[];
  unknown: UnknownName[];
};

const lower = (s: string): string => s.toLowerCase();

/**
 * What to write: names resolved to the org's (its spelling), unknown ones with close matches, removals matched to
 * grants.
 */
export function planPreauthorization(request: PreauthorizeRequest, grants: Grants): PreauthorizePlan {
  const unknown: UnknownName[] = [];
  const { profiles, permissionSets } = grants.parents;
  const resolve = (kind: AccessParent['kind'], wanted: string[], pool: AccessParent[]): AccessParent[] =>
    matchNames(
      kind,
      wanted,
      pool.map((p) => p.name),
      unknown,
    ).map((name) => pool.find((p) => p.name === name)!);
  const wanted = [
    ...resolve('profile', request.profiles, profiles),
    ...resolve('permission set', request.permissionSets, permissionSets),
  ];
  const isGranted = (p: AccessParent): boolean =>
    grants.granted.some((g) => sameRecordId(g.permissionSetId, p.permissionSetId));
  const add = wanted.filter(
    (p, i) => !isGranted(p) && wanted.findIndex((q) => q.permissionSetId === p.permissionSetId) === i,
  );

  const remove: Grant[] = [];
  const notGranted: string[] = [];
  for (const name of request.remove) {
    const hits = grants.granted.filter((g) => lower(g.name) === lower(name));
    if (hits.length > 0) remove.push(...hits.filter((h) => !remove.includes(h)));
    else if ([...profiles, ...permissionSets].some((p) => lower(p.name) === lower(name))) notGranted.push(name);
    else
      matchNames(
        'profile or permission set',
        [name],
        [...profiles, ...permissionSets].map((p) => p.name),
        unknown,
      );
  }
  return { add, remove, notGranted, unknown };
}

/** A name both added and removed is a contradiction, refused before the org is contacted. */
export function requestProblem(request: PreauthorizeRequest): SfError | undefined {
  const removed = new Set(request.remove.map(lower));
  const both = [...request.profiles, ...request.permissionSets].filter((n) => removed.has(lower(n)));
  return both.length > 0 ? messages.createError('error.RenAddAndRemove', [both.join(', ')]) : undefined;
}

/** Writes the plan: inserts then deletes. Rows already written stay on a failure (a re-run completes the rest). */
export async function applyPreauthorization(
  conn: Connection,
  appId: string,
  plan: PreauthorizePlan,
): Promise<{ added: AccessParent[]; removed: Grant[] }> {
  const added: AccessParent[] = [];
  const removed: Grant[] = [];
  const failures: string[] = [];
  const sobject = conn.sobject('SetupEntityAccess');
  for (const parent of plan.add) {
    try {
      // eslint-disable-next-line no-await-in-loop
      await sobject.create({ ParentId: parent.permissionSetId, SetupEntityId: appId });
      added.push(parent);
    } catch (error) {
      failures.push(`${parent.kind} "${parent.name}": ${(error as Error).message}`);
    }
  }
  const deleted = await deleteGrants(conn, plan.remove);
  removed.push(...deleted.removed);
  failures.push(...deleted.failures);
  if (failures.length > 0) {
    const done =
      [...added.map((p) => `+${p.name}`), ...removed.map((g) => `-${g.name}`)].join(', ') ||
      messages.getMessage('actual.none');
    throw messages.createError('error.RenPreauthorizeFailed', [failures.map((f) => `  - ${f}`).join('\n'), done]);
  }
  return { added, removed };
}

const names = (list: AccessParent[], kind: AccessParent['kind']): string[] =>
  list.filter((p) => p.kind === kind).map((p) => p.name);

export function grantedNames(granted: AccessParent[]): { profiles: string[]; permissionSets: string[] } {
  return { profiles: names(granted, 'profile'), permissionSets: names(granted, 'permission set') };
}

/**
 * Checks of who is pre-authorized: the guide's names have their grant (unknown names fail with close matches), an
 * admin-approved app has someone pre-authorized, and grants of a self-authorized app are pointed out as having no
 * effect.
 */
export function preauthorizationChecks(def: ConnectedAppDefinition, grants: Grants, fix: string): Check[] {
  const checks: Check[] = [];
  const listed = grants.granted.map((g) => g.name).join(', ') || messages.getMessage('actual.none');
  const wanted = [...def.profiles, ...def.permissionSets];
  if (wanted.length > 0) {
    const plan = planPreauthorization(
      { profiles: def.profiles, permissionSets: def.permissionSets, remove: [] },
      grants,
    );
    const problems = [
      ...plan.add.map((p) => messages.getMessage('actual.notPreauthorized', [p.kind, p.name])),
      ...plan.unknown.map(
        (u) => messages.getMessage('actual.unknownName', [u.kind, u.name]) + didYouMean(u.suggestions),
      ),
    ];
    checks.push({
      name: messages.getMessage('check.preauthorized'),
      status: problems.length === 0 ? 'pass' : 'fail',
      expected: wanted.join(', '),
      actual: problems.length === 0 ? listed : `${listed}; ${problems.join('; ')}`,
      fix: problems.length === 0 ? undefined : fix,
    });
  }
  if (def.permittedUsers === 'AdminApprovedPreAuthorized' && grants.granted.length === 0) {
    checks.push({
      name: messages.getMessage('check.preauthorizedSome'),
      status: 'warn',
      expected: messages.getMessage('expected.someone'),
      actual: messages.getMessage('actual.nobody'),
      fix,
    });
  }
  if (def.permittedUsers === 'AllSelfAuthorized' && grants.granted.length > 0) {
    checks.push({
      name: messages.getMessage('check.preauthorizedSelf'),
      status: 'warn',
      expected: messages.getMessage('expected.noEffect'),
      actual: listed,
    });
  }
  return checks;
}
