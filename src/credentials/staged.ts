/*
 * Staged credentials of an app's OAuth consumer (Connect REST, API 65.0+; docs/salesforce.md §2 step 4, §10.1):
 * GET and POST `…/{consumerId}/staged` answer the collection `{ stagedCredentials: [...], url }`; GET may answer 404
 * when nothing is staged; one record per consumer; a POST without a body may hang, so `{}` is sent; PATCH
 * `{ "command": "rotate" }` makes the staged pair current and the record then holds the PREVIOUS pair (state Rotated,
 * valid 30 days unless deleted); DELETE of that record revokes the previous pair. The ids are read back after every
 * step rather than trusted from an answer whose shape is not settled.
 *
 * Only paths under /services/data/ of the org's own instance are ever called, whatever URL the org hands back, so
 * the session header goes nowhere else. Records hold a key and a secret: nothing here logs or returns them.
 */
import type { Connection } from '@salesforce/core';
import { errorCode } from '../shared/errors.js';
import { asArray } from '../shared/lists.js';
import { credentialsError } from './messages.js';

/** A staged record, without its key and secret. */
export type StagedRecord = {
  id: string;
  /** Active, Expired or Rotated (docs/salesforce.md §2); kept as the org spelled it. */
  state: string;
  createdDate?: string;
  expirationDate?: string;
  createdBy?: string;
};

type StagedBody = StagedRecord & { key?: string; secret?: string };

/**
 * A path the org handed back, made safe to call: a relative /services/data/ path, or an absolute URL on the org's own
 * instance. Anything else is refused (RenUnexpectedUrlError) before a request is made.
 */
export function orgPath(conn: Connection, url: string): string {
  const own = new URL(conn.instanceUrl);
  const parsed = new URL(url, own);
  if (parsed.origin !== own.origin || !parsed.pathname.startsWith('/services/data/')) {
    throw credentialsError('error.RenUnexpectedUrl', [`${parsed.origin}${parsed.pathname}`]);
  }
  return `${parsed.pathname}${parsed.search}`;
}

/** The records of a GET or POST answer, whether the org sent the documented collection or a single record. */
export function parseStaged(body: unknown): StagedRecord[] {
  if (typeof body !== 'object' || body === null) return [];
  const collection = (body as { stagedCredentials?: StagedBody | StagedBody[] }).stagedCredentials;
  const records = collection !== undefined ? asArray(collection) : 'id' in body ? [body as StagedBody] : [];
  return records
    .filter((r) => typeof r?.id === 'string')
    .map(({ id, state, createdDate, expirationDate, createdBy }) => ({
      id,
      state,
      createdDate,
      expirationDate,
      createdBy,
    }));
}

const isNotFound = (error: unknown): boolean =>
  errorCode(error) === 'NOT_FOUND' || /\b404\b|not found/i.test(error instanceof Error ? error.message : '');

/** The consumer's staged records; none when the org answers 404. */
export async function listStaged(conn: Connection, stagedUrl: string): Promise<StagedRecord[]> {
  try {
    return parseStaged(await conn.request(orgPath(conn, stagedUrl)));
  } catch (error) {
    if (isNotFound(error)) return [];
    throw error;
  }
}

const json = { 'content-type': 'application/json' };

/** Stages a new pair (POST `{}`), then reads the records back for its id: the Active one. */
export async function stageNewPair(conn: Connection, stagedUrl: string): Promise<StagedRecord> {
  const path = orgPath(conn, stagedUrl);
  await conn.request({ method: 'POST', url: path, body: '{}', headers: json });
  const active = (await listStaged(conn, stagedUrl)).find((r) => r.state === 'Active');
  if (!active) throw credentialsError('error.RenStagedMissing', [stagedUrl]);
  return active;
}

/** Rotates the staged pair in; reads back that the record now holds the previous pair (Rotated). */
export async function rotateStagedIn(conn: Connection, stagedUrl: string, id: string): Promise<StagedRecord> {
  const path = orgPath(conn, `${stagedUrl}/${id}`);
  await conn.request({ method: 'PATCH', url: path, body: JSON.stringify({ command: 'rotate' }), headers: json });
  const record = (await listStaged(conn, stagedUrl)).find((r) => r.id === id);
  if (record?.state !== 'Rotated') throw credentialsError('error.RenStagedNotRotated', [id, record?.state ?? 'gone']);
  return record;
}

/** Deletes a staged record (for a Rotated one: revokes the previous pair); reads back that it is gone. */
export async function deleteStaged(conn: Connection, stagedUrl: string, id: string): Promise<void> {
  await conn.request({ method: 'DELETE', url: orgPath(conn, `${stagedUrl}/${id}`) });
  if ((await listStaged(conn, stagedUrl)).some((r) => r.id === id)) {
    throw credentialsError('error.RenStagedNotDeleted', [id]);
  }
}
