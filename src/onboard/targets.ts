/*
 * Which orgs a run onboards, each with its own values: the orgs given with --target-org, and those of the
 * orgs file (resolved here, so an alias sf does not know fails that org alone). Each org's hand-off file
 * is named after the org, in --output-dir.
 */
import { join } from 'node:path';
import { Org } from '@salesforce/core';
import { targetName } from '../shared/target.js';
import type { OrgEntry } from './orgsFile.js';

export type OnboardTarget = {
  /** The org as the user named it (alias or username). */
  name: string;
  org?: Org;
  /** Why the org could not be opened (e.g. not logged in). */
  error?: unknown;
  profiles?: string[];
  permissionSets?: string[];
};

export async function resolveTargets(given: Org[], entries: OrgEntry[]): Promise<OnboardTarget[]> {
  const fromFlags = await Promise.all(given.map(async (org) => ({ name: await targetName(org), org })));
  const fromFile = await Promise.all(
    entries.map(async (entry): Promise<OnboardTarget> => {
      const base = { name: entry.targetOrg, profiles: entry.profiles, permissionSets: entry.permissionSets };
      try {
        return { ...base, org: await Org.create({ aliasOrUsername: entry.targetOrg }) };
      } catch (error) {
        return { ...base, error };
      }
    }),
  );
  // An org named both ways is onboarded once, with the file's values.
  const seen = new Set(fromFile.map((t) => t.org?.getUsername() ?? t.name));
  return [...fromFlags.filter((t) => !seen.has(t.org.getUsername() ?? t.name)), ...fromFile];
}

/** The org's own hand-off file in the output folder: its name, made safe for a file name. */
export function handoffFile(outputDir: string, name: string): string {
  return join(outputDir, `${name.replace(/[^A-Za-z0-9._@-]/g, '_')}.json`);
}
