/*
 * Checks profile and permission-set names against the org before they go into the OAuth policies
 * (which take Profile.Name and PermissionSet.Name, salesforce-api.md §1.6), and suggests close matches
 * for the ones it cannot find.
 */
import type { Connection } from '@salesforce/core';
import { withRetry } from './retry.js';

export type UnknownName = { kind: 'profile' | 'permission set'; name: string; suggestions: string[] };
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

function resolve(kind: UnknownName['kind'], wanted: string[], available: string[], unknown: UnknownName[]): string[] {
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

export async function resolveAccessNames(conn: Connection, profiles: string[], permissionSets: string[]): Promise<ResolvedNames> {
  const [profileRows, permissionSetRows] = await Promise.all([
    profiles.length > 0
      ? withRetry(async () => conn.query<{ Name: string }>('SELECT Name FROM Profile', { autoFetch: true, maxFetch: 50_000 }))
      : undefined,
    permissionSets.length > 0
      ? withRetry(async () =>
          conn.query<{ Name: string }>('SELECT Name FROM PermissionSet WHERE IsOwnedByProfile = false', {
            autoFetch: true,
            maxFetch: 50_000,
          })
        )
      : undefined,
  ]);
  const unknown: UnknownName[] = [];
  return {
    profiles: resolve('profile', profiles, profileRows?.records.map((r) => r.Name) ?? [], unknown),
    permissionSets: resolve('permission set', permissionSets, permissionSetRows?.records.map((r) => r.Name) ?? [], unknown),
    unknown,
  };
}
