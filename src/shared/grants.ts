/*
 * Who may use an app: SetupEntityAccess rows, one per permission set (a profile's own one for a profile) and app
 * (docs/salesforce.md §6). Connected apps are pre-authorized this way, and so are External Client Apps where the
 * org keeps their OAuth policy lists as grants (docs/salesforce.md §10.5).
 */
import type { Connection } from '@salesforce/core';
import { type AccessParent, listAccessParents } from './accessNames.js';
import { withRetry } from './retry.js';
import { soqlString } from './soql.js';

export type Grant = AccessParent & { accessId: string };
export type Parents = { profiles: AccessParent[]; permissionSets: AccessParent[] };
export type Grants = { granted: Grant[]; parents: Parents };

/** Two record ids name the same record: the 15-character id is the 18-character one without its check suffix. */
export const sameRecordId = (a: string, b: string): boolean => a.slice(0, 15) === b.slice(0, 15);

/** Who the app is pre-authorized for now. */
export async function readGrants(conn: Connection, appId: string, parents?: Parents): Promise<Grants> {
  const [known, rows] = await Promise.all([
    parents ?? listAccessParents(conn),
    withRetry(async () =>
      conn.query<{ Id: string; ParentId: string }>(
        `SELECT Id, ParentId FROM SetupEntityAccess WHERE SetupEntityId = ${soqlString(appId)}`,
      ),
    ),
  ]);
  const all = [...known.profiles, ...known.permissionSets];
  const granted = rows.records.map((row): Grant => {
    const parent = all.find((p) => sameRecordId(p.permissionSetId, row.ParentId)) ?? {
      kind: 'permission set',
      name: row.ParentId,
      permissionSetId: row.ParentId,
    };
    return { ...parent, accessId: row.Id };
  });
  return { granted, parents: known };
}

/** Removes grants, one row at a time; returns the ones removed and the failures (never throws for one row). */
export async function deleteGrants(
  conn: Connection,
  grants: Grant[],
): Promise<{ removed: Grant[]; failures: string[] }> {
  const removed: Grant[] = [];
  const failures: string[] = [];
  const sobject = conn.sobject('SetupEntityAccess');
  for (const grant of grants) {
    try {
      // eslint-disable-next-line no-await-in-loop
      await sobject.destroy(grant.accessId);
      removed.push(grant);
    } catch (error) {
      failures.push(`${grant.kind} "${grant.name}": ${(error as Error).message}`);
    }
  }
  return { removed, failures };
}
