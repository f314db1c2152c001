/*
 * Reads what the org already has of an External Client App. Child components are found by their
 * `externalClientApplication` field, never by guessing names: Salesforce names auto-generated
 * children its own way (salesforce-api.md §1.10).
 */
import type { Connection } from '@salesforce/core';
import { withRetry } from '../shared/retry.js';
import { COMPONENT_TYPES, type Component, type ComponentKind, componentType, normalizeRecord } from './components.js';

export type ExistingComponent = Component & { id?: string };
export type ExistingApp = {
  /** The ExternalClientApplication itself, when the org has it. */
  app?: ExistingComponent;
  children: Partial<Record<Exclude<ComponentKind, 'app'>, ExistingComponent>>;
};

type FileProps = { fullName: string; id?: string; type: string };

const asArray = <T>(value: T | T[] | undefined | null): T[] =>
  value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];

// readMetadata takes at most 10 names per call.
const READ_BATCH = 10;

async function listAll(conn: Connection, apiVersion: string): Promise<FileProps[]> {
  const types = COMPONENT_TYPES.map((t) => ({ type: t.type }));
  // listMetadata takes at most three queries per call.
  const batches = [types.slice(0, 3), types.slice(3)];
  const results = await Promise.all(batches.map((queries) => withRetry(() => conn.metadata.list(queries, apiVersion))));
  return results.flatMap((r) => asArray(r as FileProps | FileProps[]));
}

async function readRecords(
  conn: Connection,
  type: string,
  fullNames: string[],
): Promise<Array<Record<string, unknown>>> {
  const records: Array<Record<string, unknown>> = [];
  for (let i = 0; i < fullNames.length; i += READ_BATCH) {
    const names = fullNames.slice(i, i + READ_BATCH);
    // eslint-disable-next-line no-await-in-loop
    const result = (await withRetry(() => conn.metadata.read(type as never, names))) as unknown;
    // A name the org doesn't have comes back as a record without fullName.
    records.push(
      ...asArray(result as Record<string, unknown> | Array<Record<string, unknown>>).filter(
        (r) => r && typeof r.fullName === 'string',
      ),
    );
  }
  return records;
}

const sameName = (a: unknown, b: string): boolean => typeof a === 'string' && a.toLowerCase() === b.toLowerCase();

export async function readExistingApp(conn: Connection, apiName: string, apiVersion: string): Promise<ExistingApp> {
  const listed = await listAll(conn, apiVersion);
  const byType = (type: string): FileProps[] => listed.filter((p) => p.type === type);
  const appProps = byType(componentType('app').type).find((p) => sameName(p.fullName, apiName));
  const existing: ExistingApp = { children: {} };
  if (!appProps) return existing;

  const childTypes = COMPONENT_TYPES.filter((t) => t.kind !== 'app');
  const [appRecords, ...childRecords] = await Promise.all([
    readRecords(conn, componentType('app').type, [appProps.fullName]),
    ...childTypes.map(async (t) => {
      // Names that start with the app's name are the likely ones; read them first and the rest only if needed.
      const props = byType(t.type);
      const likely = props.filter((p) => p.fullName.toLowerCase().startsWith(apiName.toLowerCase()));
      const owned = (records: Array<Record<string, unknown>>): Array<Record<string, unknown>> =>
        records.filter((r) => sameName(r.externalClientApplication, appProps.fullName));
      const first = owned(
        await readRecords(
          conn,
          t.type,
          likely.map((p) => p.fullName),
        ),
      );
      if (first.length > 0) return first;
      const rest = props.filter((p) => !likely.includes(p));
      return owned(
        await readRecords(
          conn,
          t.type,
          rest.map((p) => p.fullName),
        ),
      );
    }),
  ]);
  const appRecord = appRecords[0];
  if (appRecord) {
    existing.app = {
      kind: 'app',
      type: componentType('app').type,
      fullName: appProps.fullName,
      id: appProps.id,
      record: normalizeRecord('app', appRecord),
    };
  }
  childTypes.forEach((t, index) => {
    const record = childRecords[index][0];
    if (!record) return;
    const fullName = record.fullName as string;
    existing.children[t.kind as Exclude<ComponentKind, 'app'>] = {
      kind: t.kind,
      type: t.type,
      fullName,
      id: listed.find((p) => p.type === t.type && p.fullName === fullName)?.id,
      record: normalizeRecord(t.kind, record),
    };
  });
  return existing;
}
