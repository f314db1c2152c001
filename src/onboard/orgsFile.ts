/*
 * The orgs file of `sf ren onboard --orgs-file`: the orgs to onboard in one run, by the alias or username
 * they are logged in with, each with its own values where they differ (e.g. profiles).
 *   { "orgs": [ { "targetOrg": "client1", "profiles": ["Sales"] },
 *               { "targetOrg": "client2", "permissionSets": ["Ren_Users"] } ] }
 * A bare list of the same entries is accepted too.
 */
import { readFile } from 'node:fs/promises';
import { onboardError } from './messages.js';

export type OrgEntry = { targetOrg: string; profiles?: string[]; permissionSets?: string[] };

const KEYS = ['targetOrg', 'profiles', 'permissionSets'];
const isNames = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((v) => typeof v === 'string' && v.trim() !== '');

export function orgsFileProblems(raw: unknown): string[] {
  const entries = Array.isArray(raw) ? raw : (raw as { orgs?: unknown } | null)?.orgs;
  if (!Array.isArray(entries) || entries.length === 0)
    return ['must be a non-empty list of orgs, or { "orgs": [...] }'];
  const problems: string[] = [];
  entries.forEach((entry: unknown, index) => {
    const at = `orgs[${index}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      problems.push(`${at}: must be an object with "targetOrg"`);
      return;
    }
    const record = entry as Record<string, unknown>;
    for (const key of Object.keys(record))
      if (!KEYS.includes(key)) problems.push(`${at}.${key}: is not a known key (${KEYS.join(', ')})`);
    if (typeof record.targetOrg !== 'string' || record.targetOrg.trim() === '')
      problems.push(`${at}.targetOrg: must name an org alias or username`);
    for (const key of ['profiles', 'permissionSets']) {
      if (record[key] !== undefined && !isNames(record[key])) problems.push(`${at}.${key}: must be a list of names`);
    }
  });
  const names = entries
    .map((e: { targetOrg?: unknown } | null) => e?.targetOrg)
    .filter((name): name is string => typeof name === 'string')
    .map((name) => name.toLowerCase());
  const repeated = names.filter((name, i) => names.indexOf(name) !== i);
  if (repeated.length > 0)
    problems.push(`each org once: ${[...new Set(repeated)].join(', ')} is listed more than once`);
  return problems;
}

export async function readOrgsFile(path: string): Promise<OrgEntry[]> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw onboardError('error.RenOrgsFile', [path, `  - ${(error as Error).message}`]);
  }
  const problems = orgsFileProblems(raw);
  if (problems.length > 0) throw onboardError('error.RenOrgsFile', [path, problems.map((p) => `  - ${p}`).join('\n')]);
  return (Array.isArray(raw) ? raw : (raw as { orgs: OrgEntry[] }).orgs) as OrgEntry[];
}
