/*
 * Removes the External Client App with all its settings and policies, whatever names Salesforce gave them
 * (they are found by their parent), in one destructive deploy: all or nothing.
 */
import type { Connection } from '@salesforce/core';
import type { Duration } from '@salesforce/kit';
import { deleteMembers, deployFailedError, type MetadataMember } from '../shared/deploy.js';
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
  const outcome = await deleteMembers(conn, found.members, { apiVersion: conn.getApiVersion(), timeout: options.wait });
  if (!outcome.success) throw deployFailedError(outcome.id, outcome.problems, outcome.errorMessage);
  return { app: found.app, status: 'deleted', deleted: found.members, deployId: outcome.id };
}
