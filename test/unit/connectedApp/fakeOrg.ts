/*
 * A stand-in Connection for the connected-app modules: SOQL answered by the first rule whose text the query contains,
 * the Metadata API calls they make (list, read, update) and SetupEntityAccess create/destroy, each recorded.
 */
import type { Connection } from '@salesforce/core';

type Rows = Array<Record<string, unknown>>;

export type FakeOrgOptions = {
  /** The first rule whose text the query contains answers it: rows, an error, or a function of the org so far. */
  queries?: Array<[string, Rows | Error | ((org: FakeOrg) => Rows)]>;
  listed?: Array<{ fullName: string }> | Error;
  records?: Record<string, Record<string, unknown>>;
  updateResult?: { success: boolean; errors?: unknown };
  createError?: (body: Record<string, unknown>) => Error | undefined;
};

export type FakeOrg = {
  conn: Connection;
  soql: string[];
  created: Array<Record<string, unknown>>;
  destroyed: string[];
  updated: Array<Record<string, unknown>>;
};

export function fakeOrg(options: FakeOrgOptions = {}): FakeOrg {
  const org: FakeOrg = { conn: undefined as unknown as Connection, soql: [], created: [], destroyed: [], updated: [] };
  const conn = {
    instanceUrl: 'https://acme.my.salesforce.com/',
    getApiVersion: () => '64.0',
    getUsername: () => 'admin@acme.example',
    getAuthInfoFields: () => ({ userId: '005000000000001AAA' }),
    query: async (soql: string) => {
      org.soql.push(soql);
      const answer = (options.queries ?? []).find(([text]) => soql.includes(text))?.[1];
      if (answer instanceof Error) throw answer;
      const records = typeof answer === 'function' ? answer(org) : (answer ?? []);
      return { records, totalSize: records.length, done: true };
    },
    metadata: {
      list: async () => {
        if (options.listed instanceof Error) throw options.listed;
        return options.listed ?? [];
      },
      read: async (type: string, names: string[]) => names.map((n) => options.records?.[n] ?? {}),
      update: async (type: string, record: Record<string, unknown>) => {
        org.updated.push(record);
        return { fullName: record.fullName, success: true, ...options.updateResult };
      },
    },
    sobject: () => ({
      create: async (body: Record<string, unknown>) => {
        const error = options.createError?.(body);
        if (error) throw error;
        org.created.push(body);
        return { id: `0J0${String(org.created.length).padStart(12, '0')}`, success: true, errors: [] };
      },
      destroy: async (id: string) => {
        org.destroyed.push(id);
        return { id, success: true, errors: [] };
      },
    }),
  };
  org.conn = conn as unknown as Connection;
  return org;
}

export const sessionError = () =>
  Object.assign(new Error('Session expired or invalid'), { name: 'INVALID_SESSION_ID' });
