/* The running user's permissions, as the org grants them through every assigned permission set (profile included). */
import type { Connection } from '@salesforce/core';
import { withRetry } from './retry.js';
import { soqlString } from './soql.js';

/** The user's id per connection, when the login does not give it: looked up once however many reads ask. */
const lookedUp = new WeakMap<Connection, Promise<string>>();

async function currentUserId(conn: Connection): Promise<string> {
  const fromAuth = conn.getAuthInfoFields().userId;
  if (fromAuth) return fromAuth;
  let id = lookedUp.get(conn);
  if (!id) {
    id = lookUpUserId(conn);
    lookedUp.set(conn, id);
    // A failed lookup is not remembered: the next read asks again.
    id.catch(() => lookedUp.delete(conn));
  }
  return id;
}

async function lookUpUserId(conn: Connection): Promise<string> {
  const username = conn.getUsername() ?? '';
  const users = await conn.query<{ Id: string }>(`SELECT Id FROM User WHERE Username = ${soqlString(username)}`);
  const id = users.records[0]?.Id;
  // Not found: the caller reports the check as not run, rather than querying with an empty id.
  if (!id) throw new Error(`the org has no user ${username}`);
  return id;
}

/**
 * The permission fields (e.g. PermissionsViewClientSecret) that any permission set assigned to the user
 * grants. Throws when the org returns no assignments at all: every user has at least the profile's, so the
 * org told us nothing.
 */
export async function userPermissions(conn: Connection, fields: string[]): Promise<Set<string>> {
  const userId = await currentUserId(conn);
  const result = await withRetry(async () =>
    conn.query<Record<string, unknown>>(
      `SELECT ${fields.join(', ')} FROM PermissionSet ` +
        `WHERE Id IN (SELECT PermissionSetId FROM PermissionSetAssignment WHERE AssigneeId = ${soqlString(userId)})`,
    ),
  );
  if (result.records.length === 0) throw new Error('no permission set assignments were returned');
  return new Set(fields.filter((field) => result.records.some((row) => row[field] === true || row[field] === 'true')));
}
