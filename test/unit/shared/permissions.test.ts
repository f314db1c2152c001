import { expect } from 'chai';
import type { Connection } from '@salesforce/core';
import { userPermissions } from '../../../src/shared/permissions.js';

function fakeConnection(opts: {
  userId?: string;
  users?: Array<{ Id: string }>;
  rows?: Array<Record<string, unknown>>;
}) {
  const queries: string[] = [];
  const conn = {
    getAuthInfoFields: () => ({ userId: opts.userId }),
    getUsername: () => 'admin@acme.com',
    query: async (soql: string) => {
      queries.push(soql);
      return { records: soql.includes('FROM User') ? (opts.users ?? []) : (opts.rows ?? []) };
    },
  };
  return { conn: conn as unknown as Connection, queries };
}

describe("the running user's permissions", () => {
  it('counts a permission that any assigned permission set grants', async () => {
    const { conn, queries } = fakeConnection({
      userId: '005000000000001AAA',
      rows: [{ PermissionsA: false, PermissionsB: true }, { PermissionsA: 'true' }],
    });
    expect([...(await userPermissions(conn, ['PermissionsA', 'PermissionsB', 'PermissionsC']))]).to.deep.equal([
      'PermissionsA',
      'PermissionsB',
    ]);
    expect(queries[0]).to.include("AssigneeId = '005000000000001AAA'");
  });

  it('finds the user by username when the login does not say, and refuses to guess when the org has no such user', async () => {
    const found = fakeConnection({ users: [{ Id: '005000000000002AAA' }], rows: [{ PermissionsA: true }] });
    await userPermissions(found.conn, ['PermissionsA']);
    expect(found.queries[1]).to.include("AssigneeId = '005000000000002AAA'");
    const missing = fakeConnection({ users: [] });
    const error = await userPermissions(missing.conn, ['PermissionsA']).catch((e: Error) => e);
    expect((error as Error).message).to.include('no user admin@acme.com');
    expect(missing.queries.filter((q) => q.includes('PermissionSetAssignment'))).to.deep.equal([]);
  });

  it('looks the user up once per connection, however many reads ask, and again after a failed lookup', async () => {
    const { conn, queries } = fakeConnection({ users: [{ Id: '005000000000002AAA' }], rows: [{ PermissionsA: true }] });
    await Promise.all([userPermissions(conn, ['PermissionsA']), userPermissions(conn, ['PermissionsB'])]);
    await userPermissions(conn, ['PermissionsA']);
    expect(queries.filter((q) => q.includes('FROM User'))).to.have.length(1);
    const missing = fakeConnection({ users: [] });
    await userPermissions(missing.conn, ['PermissionsA']).catch(() => undefined);
    await userPermissions(missing.conn, ['PermissionsA']).catch(() => undefined);
    expect(missing.queries.filter((q) => q.includes('FROM User'))).to.have.length(2);
  });

  it('says nothing when the org returns no assignments at all', async () => {
    const { conn } = fakeConnection({ userId: '005000000000001AAA', rows: [] });
    expect(((await userPermissions(conn, ['PermissionsA']).catch((e: Error) => e)) as Error).message).to.include(
      'no permission set assignments',
    );
  });
});
