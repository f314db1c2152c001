/*
 * Removes the External Client App with all its settings and policies, whatever names Salesforce gave them (they are
 * found by their parent). The destructive deploy names only the app, as public tools do; whether naming the
 * children too works, and whether the org deletes them with their app, are open (docs/salesforce.md §10.8), so the
 * org is read back and children that remain are deleted in a second destructive deploy, then read back again.
 */
import type { Connection } from '@salesforce/core';
import type { Duration } from '@salesforce/kit';
import { deleteMembers, deployFailedError, type MetadataMember } from '../shared/deploy.js';
import { ecaError } from './messages.js';
import { readExistingApp } from './orgApp.js';
import { checkApiVersion } from './preconditions.js';

export type DeleteAppResult = {
  app: string;
  status: 'deleted' | 'absent';
  deleted: MetadataMember[];
  deployId?: string;
};

/** The app's components as the org names them, children first; empty when the org has no such app. */
export async function appMembers(
  conn: Connection,
  apiName: string,
): Promise<{ app?: string; members: MetadataMember[] }> {
  await checkApiVersion(conn);
  const existing = await readExistingApp(conn, apiName, conn.getApiVersion());
  if (!existing.app) return { members: [] };
  const children = Object.values(existing.children).map((c) => ({ type: c.type, fullName: c.fullName }));
  return {
    app: existing.app.fullName,
    members: [...children, { type: existing.app.type, fullName: existing.app.fullName }],
  };
}

export async function deleteApp(
  conn: Connection,
  found: { app?: string; members: MetadataMember[] },
  apiName: string,
  options: { wait?: Duration } = {},
): Promise<DeleteAppResult> {
  if (!found.app) return { app: apiName, status: 'absent', deleted: [] };
  const deployOptions = { apiVersion: conn.getApiVersion(), timeout: options.wait };
  const parent = found.members.filter((m) => m.type === 'ExternalClientApplication');
  const outcome = await deleteMembers(conn, parent, deployOptions);
  if (!outcome.success) throw deployFailedError(outcome.id, outcome.problems, outcome.errorMessage);
  let left = await remaining(conn, found.app);
  if (left.length > 0 && !left.some((m) => m.type === 'ExternalClientApplication')) {
    const children = await deleteMembers(conn, left, deployOptions);
    if (!children.success) throw deployFailedError(children.id, children.problems, children.errorMessage);
    left = await remaining(conn, found.app);
  }
  if (left.length > 0) {
    throw ecaError(
      'error.RenDeleteIncomplete',
      [found.app, left.map((m) => `${m.type} ${m.fullName}`).join(', ')],
      [found.app],
    );
  }
  return { app: found.app, status: 'deleted', deleted: found.members, deployId: outcome.id };
}

/** What the org still holds of the app after a delete: the app itself, or children that name it. */
async function remaining(conn: Connection, app: string): Promise<MetadataMember[]> {
  const existing = await readExistingApp(conn, app, conn.getApiVersion(), { orphans: true });
  return [
    ...(existing.app ? [{ type: existing.app.type, fullName: existing.app.fullName }] : []),
    ...Object.values(existing.children).map((c) => ({ type: c.type, fullName: c.fullName })),
  ];
}
