/*
 * Writing the pre-authorized profile and permission-set lists of an app's OAuth policies, right under either reading
 * of docs/salesforce.md §10.5:
 * - the org replaces the lists with what a deploy carries (the Metadata API reference's reading), or
 * - the lists are additive: re-sending a name already granted fails ("… names are already taken") and a name left
 *   out stays granted, because the org keeps each grant as a SetupEntityAccess row of the app.
 * A deploy is tried with the whole lists; on "already taken" it is sent again with only the names still missing. A
 * name to take off is found among the app's SetupEntityAccess rows BEFORE anything changes (a removal that could not
 * be done stops first, with the Setup page); when the deploy left it granted, its row is deleted. Every step is read
 * back.
 */
import type { Connection } from '@salesforce/core';
import { type DeployOutcome, deployFiles, type DeployOptions } from '../shared/deploy.js';
import { deleteGrants, type Grant, readGrants } from '../shared/grants.js';
import { sameName, splitList } from '../shared/lists.js';
import { type Component, sourceFile } from './components.js';
import { ecaError } from './messages.js';
import { type ExistingApp, findAppId, readExistingApp } from './orgApp.js';

export type AccessLists = { profiles: string[]; permissionSets: string[] };

const LIST_FIELDS = { profiles: 'commaSeparatedProfile', permissionSets: 'commaSeparatedPermissionSet' } as const;

const has = (names: string[], name: string): boolean => names.some((n) => sameName(n, name));
const minus = (a: string[], b: string[]): string[] => a.filter((n) => !has(b, n));

/** The lists as the org's OAuth policies record holds them now. */
export async function readLists(conn: Connection, app: string): Promise<AccessLists> {
  return listsOf(await readExistingApp(conn, app, conn.getApiVersion()));
}

/** The lists of an app as read. */
export function listsOf(existing: ExistingApp): AccessLists {
  const record = existing.children.oauthPolicies?.record ?? {};
  const list = (field: string): string[] => splitList(typeof record[field] === 'string' ? record[field] : undefined);
  return { profiles: list(LIST_FIELDS.profiles), permissionSets: list(LIST_FIELDS.permissionSets) };
}

/** Names in `before` that `after` drops. */
export function removals(before: AccessLists, after: AccessLists): string[] {
  return [...minus(before.profiles, after.profiles), ...minus(before.permissionSets, after.permissionSets)];
}

/**
 * The app's grants of the names to take off, found before anything changes. A name without a grant row stops the
 * run (RenGrantNotFoundError, with the Setup page): where the lists are additive, nothing else could take it off.
 */
export async function grantsToRemove(conn: Connection, app: string, names: string[]): Promise<Grant[]> {
  if (names.length === 0) return [];
  const appId = await findAppId(conn, app);
  const grants = appId ? (await readGrants(conn, appId)).granted : [];
  const missing = names.filter((name) => !grants.some((g) => sameName(g.name, name)));
  if (missing.length > 0) throw ecaError('error.RenGrantNotFound', [missing.join(', '), app], [app]);
  return grants.filter((g) => has(names, g.name));
}

/** The org refused only because names were granted already: its lists are additive. */
export const isAlreadyTaken = (outcome: DeployOutcome): boolean =>
  outcome.problems.length > 0 && outcome.problems.every((p) => /already taken/i.test(p.problem));

/** The policies component with only the names not granted yet (the additive reading). */
export function withOnlyMissing(component: Component, granted: AccessLists, after: AccessLists): Component {
  const record = { ...component.record };
  for (const [key, field] of Object.entries(LIST_FIELDS) as Array<[keyof AccessLists, string]>) {
    const missing = minus(after[key], granted[key]);
    if (missing.length > 0) record[field] = missing.join(', ');
    else delete record[field];
  }
  return { ...component, record };
}

/**
 * Deploys the policies component; where the org says names are already taken (additive lists), again with only the
 * missing names.
 */
export async function deployPolicies(
  conn: Connection,
  component: Component,
  lists: { granted: AccessLists; after: AccessLists },
  options: DeployOptions,
): Promise<DeployOutcome> {
  const first = await deployFiles(conn, [sourceFile(component)], options);
  if (first.success || !isAlreadyTaken(first)) return first;
  return deployFiles(conn, [sourceFile(withOnlyMissing(component, lists.granted, lists.after))], options);
}

/**
 * After the deploy: takes off the names it left granted (their rows, found beforehand), then reads back that the
 * org holds exactly `after`; RenPreauthorizationNotAppliedError names what differs.
 */
export async function settleLists(conn: Connection, app: string, after: AccessLists, grants: Grant[]): Promise<void> {
  let now = await readLists(conn, app);
  const left = grants.filter((g) => has([...now.profiles, ...now.permissionSets], g.name));
  if (left.length > 0) {
    const { failures } = await deleteGrants(conn, left);
    if (failures.length > 0) throw ecaError('error.RenGrantNotRemoved', [failures.join('; '), app], [app]);
    now = await readLists(conn, app);
  }
  const differences = [
    ...minus(after.profiles, now.profiles).map((n) => `profile ${n} missing`),
    ...minus(after.permissionSets, now.permissionSets).map((n) => `permission set ${n} missing`),
    ...minus(now.profiles, after.profiles).map((n) => `profile ${n} still granted`),
    ...minus(now.permissionSets, after.permissionSets).map((n) => `permission set ${n} still granted`),
  ];
  if (differences.length > 0)
    throw ecaError('error.RenPreauthorizationNotApplied', [app, differences.join('; ')], [app]);
}
