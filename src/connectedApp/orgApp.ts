/*
 * What the org has of a vendor-owned connected app (docs/salesforce.md §5):
 * - ConnectedApplication (read-only): a row exists once the app is installed; it shows the permitted users and the
 *   refresh token period;
 * - OauthToken: the app has been used when a user holds a token for it (AppName is the app's name);
 * - the Metadata API: a ConnectedApp component exists only for apps the org owns (created or packaged in it); an
 *   app installed from Connected Apps OAuth Usage is not listed and reads as an empty record (certinia/apex-mdapi#108).
 *   When the org does list it, its policies can be read and written through that component.
 */
import type { Connection } from '@salesforce/core';
import { closeMatches } from '../shared/accessNames.js';
import { isSessionError } from '../shared/errors.js';
import { sameName } from '../shared/lists.js';
import { listComponents, readComponents } from '../shared/metadata.js';
import { withRetry } from '../shared/retry.js';
import { soqlString } from '../shared/soql.js';

export type AppStage = 'never-used' | 'used' | 'installed';

export type ConnectedApplicationRow = {
  Id: string;
  Name: string;
  OptionsAllowAdminApprovedUsersOnly: boolean;
  OptionsRefreshTokenValidityMetric: boolean;
  RefreshTokenValidityPeriod: number | null;
};

export type Usage = { tokens: number; users: number; lastUsed?: string };

/** The app's ConnectedApp component, when the org owns it. */
export type OwnedApp = { fullName: string; record: Record<string, unknown> };

export type OrgConnectedApp = {
  name: string;
  stage: AppStage;
  row?: ConnectedApplicationRow;
  usage: Usage;
  owned?: OwnedApp;
  /** Why the Metadata API could not be asked (the policies are then read from ConnectedApplication only). */
  metadataUnavailable?: string;
  /** Names of apps the org knows that look like the one asked for (when it knows none by that name). */
  suggestions: string[];
};

const ROW_FIELDS =
  'Id, Name, OptionsAllowAdminApprovedUsersOnly, OptionsRefreshTokenValidityMetric, RefreshTokenValidityPeriod';
const MAX_BY_LABEL = 50;

async function query<T extends Record<string, unknown>>(conn: Connection, soql: string): Promise<T[]> {
  return (await withRetry(async () => conn.query<T>(soql, { autoFetch: true, maxFetch: 10_000 }))).records;
}

/** The installed app's row and the app's OAuth tokens: what the install wait polls. */
export async function readInstallState(
  conn: Connection,
  name: string,
): Promise<{ stage: AppStage; row?: ConnectedApplicationRow; usage: Usage }> {
  const [rows, tokens] = await Promise.all([
    query<ConnectedApplicationRow>(
      conn,
      `SELECT ${ROW_FIELDS} FROM ConnectedApplication WHERE Name = ${soqlString(name)}`,
    ),
    query<{ UserId: string; LastUsedDate: string | null }>(
      conn,
      `SELECT UserId, UseCount, LastUsedDate FROM OauthToken WHERE AppName = ${soqlString(name)}`,
    ),
  ]);
  const row = rows.find((r) => sameName(r.Name, name)) ?? rows[0];
  const lastUsed = tokens
    .map((t) => t.LastUsedDate)
    .filter((d): d is string => Boolean(d))
    .sort()
    .at(-1);
  const usage: Usage = { tokens: tokens.length, users: new Set(tokens.map((t) => t.UserId)).size, lastUsed };
  return { stage: row ? 'installed' : usage.tokens > 0 ? 'used' : 'never-used', row, usage };
}

/** Everything the org shows of the app: install state, usage, the owned component, look-alike names. */
export async function readConnectedApp(conn: Connection, name: string): Promise<OrgConnectedApp> {
  const [state, metadata] = await Promise.all([readInstallState(conn, name), readOwnedApp(conn, name)]);
  const app: OrgConnectedApp = { name: state.row?.Name ?? name, ...state, ...metadata, suggestions: [] };
  if (app.stage === 'never-used') app.suggestions = await lookAlikes(conn, name);
  return app;
}

async function lookAlikes(conn: Connection, name: string): Promise<string[]> {
  const [rows, tokens] = await Promise.all([
    query<{ Name: string }>(conn, 'SELECT Name FROM ConnectedApplication'),
    query<{ AppName: string }>(conn, 'SELECT AppName FROM OauthToken'),
  ]);
  const known = [...new Set([...rows.map((r) => r.Name), ...tokens.map((t) => t.AppName)])];
  return closeMatches(name, known);
}

/**
 * The app's ConnectedApp component, found by API name or label among the ones the org lists. An org that lists
 * none (or refuses the call) gives no component: the policies are then read from ConnectedApplication.
 */
export async function readOwnedApp(
  conn: Connection,
  name: string,
): Promise<{ owned?: OwnedApp; metadataUnavailable?: string }> {
  try {
    const listed = await listComponents(conn, ['ConnectedApp'], conn.getApiVersion());
    const apiName = name.replace(/\s+/g, '_');
    const direct = listed.filter((p) => sameName(p.fullName, name) || sameName(p.fullName, apiName));
    // By label only among the first MAX_BY_LABEL the org lists: a foreign app is never listed, so reading them all
    // would cost one call per ten apps on every run for nothing.
    const candidates = (direct.length > 0 ? direct : listed.slice(0, MAX_BY_LABEL)).map((p) => p.fullName);
    const isMatch = (r: Record<string, unknown>): boolean =>
      sameName(r.fullName, name) || sameName(r.fullName, apiName) || sameName(r.label, name);
    const match = (await readComponents(conn, 'ConnectedApp', candidates, (batch) => batch.some(isMatch))).find(
      isMatch,
    );
    if (match) return { owned: { fullName: String(match.fullName), record: match } };
    return {};
  } catch (error) {
    if (isSessionError(error)) throw error;
    return { metadataUnavailable: error instanceof Error ? error.message : String(error) };
  }
}
