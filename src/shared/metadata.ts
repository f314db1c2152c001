/* Metadata API reads through jsforce (the Connection of @salesforce/core), in the batches the API allows. */
import type { Connection } from '@salesforce/core';
import { asArray } from './lists.js';
import { withRetry } from './retry.js';

/** readMetadata takes at most 10 names per call. */
const READ_BATCH = 10;

export type MetadataFileProps = {
  fullName: string;
  id?: string;
  type: string;
  createdDate?: string;
  lastModifiedDate?: string;
};

/** The components of the given types the org lists (listMetadata takes at most three types per call). */
export async function listComponents(
  conn: Connection,
  types: string[],
  apiVersion: string,
): Promise<MetadataFileProps[]> {
  const batches: string[][] = [];
  for (let i = 0; i < types.length; i += 3) batches.push(types.slice(i, i + 3));
  const results = await Promise.all(
    batches.map((batch) =>
      withRetry(() =>
        conn.metadata.list(
          batch.map((type) => ({ type })),
          apiVersion,
        ),
      ),
    ),
  );
  return results.flatMap((r) => asArray(r as MetadataFileProps | MetadataFileProps[]));
}

/**
 * readMetadata of the named components, in batches of ten, one batch after the other; `until` stops early once a
 * batch holds what the caller looks for. A name the org does not have comes back as a record without fullName,
 * which is dropped.
 */
export async function readComponents(
  conn: Connection,
  type: string,
  fullNames: string[],
  until?: (records: Array<Record<string, unknown>>) => boolean,
): Promise<Array<Record<string, unknown>>> {
  const records: Array<Record<string, unknown>> = [];
  for (let i = 0; i < fullNames.length; i += READ_BATCH) {
    const names = fullNames.slice(i, i + READ_BATCH);
    // eslint-disable-next-line no-await-in-loop
    const result = (await withRetry(() => conn.metadata.read(type as never, names))) as unknown;
    const batch = asArray(result as Record<string, unknown> | Array<Record<string, unknown>>).filter(
      (r) => r && typeof r.fullName === 'string',
    );
    records.push(...batch);
    if (until?.(batch)) break;
  }
  return records;
}
