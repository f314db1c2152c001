/*
 * Checks profile and permission-set names against the org before they go into the OAuth policies
 * (which take Profile.Name and PermissionSet.Name, docs/salesforce.md §1.6), and suggests close matches
 * for the ones it cannot find.
 */
import { Messages, type Connection, type SfError } from '@salesforce/core';
import { withRetry } from './retry.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@rensystems/plugin-ren', 'accessNames');

export type UnknownName = {
  kind: 'profile' | 'permission set' | 'profile or permission set';
  name: string;
  suggestions: string[];
};
export type ResolvedNames = { profiles: string[]; permissionSets: string[]; unknown: UnknownName[] };

/** Edit distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0];
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j];
      previous[j] = Math.min(previous[j] + 1, previous[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length];
}

export function closeMatches(name: string, candidates: string[], max = 3): string[] {
  const wanted = name.toLowerCase();
  return candidates
    .map((candidate) => {
      const lower = candidate.toLowerCase();
      const distance = lower.includes(wanted) || wanted.includes(lower) ? 0 : editDistance(wanted, lower);
      return { candidate, distance };
    })
    .filter(({ candidate, distance }) => distance <= Math.max(2, Math.floor(candidate.length / 3)))
    .sort((x, y) => x.distance - y.distance || x.candidate.localeCompare(y.candidate))
    .slice(0, max)
    .map(({ candidate }) => candidate);
}

/** Matches wanted names to the org's (case-insensitive; the org's spelling wins); misses go to `unknown`. */
export function matchNames(
  kind: UnknownName['kind'],
  wanted: string[],
  available: string[],
  unknown: UnknownName[],
): string[] {
  const byLower = new Map(available.map((name) => [name.toLowerCase(), name]));
  const resolved: string[] = [];
  for (const name of wanted) {
    // Salesforce names are unique regardless of case; use the org's spelling.
    const match = byLower.get(name.toLowerCase());
    if (match) resolved.push(match);
    else unknown.push({ kind, name, suggestions: closeMatches(name, available) });
  }
  return resolved;
}

export type OrgAccessNames = { profiles: string[]; permissionSets: string[] };

/** The org's profile names (Profile.Name) and permission set API names (not the ones profiles own), as asked. */
export async function listAccessNames(
  conn: Connection,
  which: { profiles: boolean; permissionSets: boolean },
): Promise<OrgAccessNames> {
  const names = async (soql: string): Promise<string[]> => {
    const result = await withRetry(async () =>
      conn.query<{ Name: string }>(soql, { autoFetch: true, maxFetch: 50_000 }),
    );
    return result.records.map((r) => r.Name);
  };
  const [profiles, permissionSets] = await Promise.all([
    which.profiles ? names('SELECT Name FROM Profile') : [],
    which.permissionSets ? names('SELECT Name FROM PermissionSet WHERE IsOwnedByProfile = false') : [],
  ]);
  return { profiles, permissionSets };
}

export async function resolveAccessNames(
  conn: Connection,
  profiles: string[],
  permissionSets: string[],
): Promise<ResolvedNames> {
  const available = await listAccessNames(conn, {
    profiles: profiles.length > 0,
    permissionSets: permissionSets.length > 0,
  });
  const unknown: UnknownName[] = [];
  return {
    profiles: matchNames('profile', profiles, available.profiles, unknown),
    permissionSets: matchNames('permission set', permissionSets, available.permissionSets, unknown),
    unknown,
  };
}

/**
 * A profile or permission set that can be granted access to an app: its name and the permission set that carries the
 * grant.
 */
export type AccessParent = { kind: 'profile' | 'permission set'; name: string; permissionSetId: string };

/**
 * The org's profiles (through the permission set each owns: IsOwnedByProfile, Profile.Name) and permission sets
 * (API name), each with the permission set id that SetupEntityAccess rows name as ParentId (docs/salesforce.md §6).
 */
export async function listAccessParents(
  conn: Connection,
): Promise<{ profiles: AccessParent[]; permissionSets: AccessParent[] }> {
  const rows = async <T extends Record<string, unknown>>(soql: string): Promise<T[]> =>
    (await withRetry(async () => conn.query<T>(soql, { autoFetch: true, maxFetch: 50_000 }))).records;
  const [owned, sets] = await Promise.all([
    rows<{ Id: string; Profile?: { Name?: string } | null }>(
      'SELECT Id, Profile.Name FROM PermissionSet WHERE IsOwnedByProfile = true',
    ),
    rows<{ Id: string; Name: string }>('SELECT Id, Name FROM PermissionSet WHERE IsOwnedByProfile = false'),
  ]);
  return {
    profiles: owned
      .filter((r) => r.Profile?.Name)
      .map((r) => ({ kind: 'profile', name: r.Profile!.Name!, permissionSetId: r.Id })),
    permissionSets: sets.map((r) => ({ kind: 'permission set', name: r.Name, permissionSetId: r.Id })),
  };
}

/** ` (did you mean "A", "B"?)` for close matches, or nothing. */
export function didYouMean(suggestions: string[]): string {
  return suggestions.length > 0
    ? ` ${messages.getMessage('didYouMean', [suggestions.map((s) => `"${s}"`).join(', ')])}`
    : '';
}

/** Names the org does not have, each with its close matches; `target` goes into the listing commands. */
export function unknownNamesError(unknown: UnknownName[], target: string): SfError {
  const lines = unknown.map((u) => `  - ${u.kind} "${u.name}"${didYouMean(u.suggestions)}`).join('\n');
  return messages.createError('error.RenUnknownName', [lines], [target, target]);
}
