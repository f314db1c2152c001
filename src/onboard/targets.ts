/*
 * Which orgs a run onboards, each with its own values, all resolved and checked before any org is contacted:
 * - the orgs named with --target-org (resolved by the flag, onboard/flags.ts) and those of the orgs file, each to
 *   its sf login; a name sf does not know fails that org alone;
 * - the same org named twice (an alias and its username, or in both places) runs once;
 * - each org's definition (the run's, with the org's own profiles and permission sets from the file) is valid;
 * - each org's hand-off file in --output-dir has its own name: two orgs whose names map to the same file name are
 *   refused before anything starts.
 */
import { join } from 'node:path';
import { Org, type SfError } from '@salesforce/core';
import { type AppDefinition } from '../eca/definition.js';
import { assertValidDefinition } from '../eca/validate.js';
import { sameName } from '../shared/lists.js';
import { onboardError } from './messages.js';
import type { OrgEntry } from './orgsFile.js';

export type OnboardTarget = {
  /** The org as the user named it (alias or username); several names when it was named several ways. */
  name: string;
  org?: Org;
  /** Why this org cannot run (not logged in, a bad value): it fails alone, before anything is contacted. */
  error?: SfError | Error;
  definition?: AppDefinition;
  /** Its own hand-off file in --output-dir. */
  file?: string;
};

/** One org named by the user: the org, or why it cannot be opened. */
export type OrgTarget = { name: string; org?: Org; error?: Error };

/** Opens an org by the alias or username sf knows it by; a failure is kept as that org's error. */
export async function openOrg(name: string): Promise<OrgTarget> {
  try {
    return { name, org: await Org.create({ aliasOrUsername: name }) };
  } catch (error) {
    return { name, error: error instanceof Error ? error : new Error(String(error)) };
  }
}

/** The first name an org was given (a target named several ways is named `a, b`): its file, its {org}. */
export const firstName = (name: string): string => name.split(', ')[0];

/**
 * The default org, as every sf command takes it when no org is named (a failure to open it ends the run); `none`
 * is the error when there is no default either.
 */
export async function defaultOrgTarget(aliasOrUsername: string | undefined, none: () => Error): Promise<OrgTarget> {
  if (!aliasOrUsername) throw none();
  return { name: aliasOrUsername, org: await Org.create({ aliasOrUsername }) };
}

/** The org's hand-off file in the output folder: its name made safe for a file name. */
export function handoffFile(outputDir: string, name: string): string {
  return join(outputDir, `${name.replace(/[^A-Za-z0-9._@-]/g, '_')}.json`);
}

/** The org's definition: the run's, with the org's own lists from the orgs file; checked here. */
function definitionFor(base: AppDefinition, entry?: OrgEntry): AppDefinition {
  const def = {
    ...base,
    profiles: entry?.profiles ?? base.profiles,
    permissionSets: entry?.permissionSets ?? base.permissionSets,
  };
  assertValidDefinition(def);
  return def;
}

export type TargetPlan = {
  base: AppDefinition;
  /** --output-dir, already checked. */
  outputDir?: string;
};

/**
 * The run's targets in the order given (flags first, then the file), each resolved, de-duplicated by org id and
 * checked. Throws RenHandoffFileClashError when two orgs would share a hand-off file.
 */
export async function resolveTargets(
  fromFlags: OrgTarget[],
  entries: OrgEntry[],
  plan: TargetPlan,
): Promise<OnboardTarget[]> {
  const fromFile = await Promise.all(entries.map(async (entry) => ({ entry, target: await openOrg(entry.targetOrg) })));
  const all = [...fromFlags.map((target) => ({ target, entry: undefined })), ...fromFile];
  const byOrgId = new Map<string, OnboardTarget>();
  const targets: OnboardTarget[] = [];
  for (const { target, entry } of all) {
    const orgId = target.org?.getOrgId();
    const seen = orgId ? byOrgId.get(orgId) : undefined;
    if (seen) {
      // Named twice: one run, under every name given; the orgs file's values win over the flags'.
      const names = seen.name.split(', ');
      const merged: OnboardTarget = {
        ...seen,
        name: names.some((n) => sameName(n, target.name)) ? seen.name : `${seen.name}, ${target.name}`,
        ...(entry ? checkedDefinition(plan.base, entry) : {}),
      };
      targets[targets.indexOf(seen)] = merged;
      if (orgId) byOrgId.set(orgId, merged);
      continue;
    }
    const next: OnboardTarget = {
      name: target.name,
      org: target.org,
      ...(target.error ? { error: target.error } : checkedDefinition(plan.base, entry)),
    };
    if (orgId) byOrgId.set(orgId, next);
    targets.push(next);
  }
  return plan.outputDir ? assignFiles(targets, plan.outputDir) : targets;
}

/** The org's definition, or the error that makes it fail alone. */
function checkedDefinition(base: AppDefinition, entry?: OrgEntry): Pick<OnboardTarget, 'definition' | 'error'> {
  try {
    return { definition: definitionFor(base, entry) };
  } catch (error) {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }
}

/** One file per org in the folder, named after the first name it was given; a shared name is refused. */
function assignFiles(targets: OnboardTarget[], outputDir: string): OnboardTarget[] {
  const withFiles = targets.map((target) => ({ ...target, file: handoffFile(outputDir, firstName(target.name)) }));
  const byFile = new Map<string, OnboardTarget[]>();
  for (const target of withFiles) {
    const key = (target.file ?? '').toLowerCase();
    byFile.set(key, [...(byFile.get(key) ?? []), target]);
  }
  const clashes = [...byFile.values()].filter((group) => group.length > 1);
  if (clashes.length > 0) {
    const lines = clashes.map((group) => `  - ${group[0].file ?? ''}: ${group.map((t) => t.name).join(' and ')}`);
    throw onboardError('error.RenHandoffFileClash', [lines.join('\n')]);
  }
  return withFiles;
}
