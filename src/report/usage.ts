/*
 * Who has connected to the app: the org's OAuth tokens for it (OauthToken, one row per user and app; AppName is the
 * app's name), counted. Only the user ids and dates are read, never a token: OauthToken holds no token value, and
 * the query asks for none. A user without "Customize Application" sees only their own tokens, so their reading
 * undercounts (test/emulator/README.md, "OauthToken visibility").
 */
import type { Connection } from '@salesforce/core';
import { withRetry } from '../shared/retry.js';
import { soqlString } from '../shared/soql.js';
import type { AppUsage } from './types.js';

type TokenRow = { UserId: string; LastUsedDate: string | null; CreatedDate: string | null };

const dates = (values: Array<string | null>): string[] => values.filter((d): d is string => Boolean(d)).sort();

/** The usage of an app known by any of `names` (an External Client App's label and API name, or a connected app's name). */
export async function readUsage(conn: Connection, names: string[]): Promise<AppUsage> {
  const list = [...new Set(names.filter(Boolean))].map(soqlString).join(', ');
  const rows = (
    await withRetry(async () =>
      conn.query<TokenRow>(`SELECT UserId, LastUsedDate, CreatedDate FROM OauthToken WHERE AppName IN (${list})`, {
        autoFetch: true,
        maxFetch: 50_000,
      }),
    )
  ).records;
  const created = dates(rows.map((r) => r.CreatedDate));
  return {
    users: new Set(rows.map((r) => r.UserId)).size,
    tokens: rows.length,
    lastUsed: dates(rows.map((r) => r.LastUsedDate)).at(-1),
    newestToken: created.at(-1),
    oldestToken: created[0],
  };
}
