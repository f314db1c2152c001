/*
 * Reads what the org already has of an External Client App. Child components are found by their
 * `externalClientApplication` field, never by guessing names: Salesforce names auto-generated
 * children its own way (docs/salesforce.md §1.10).
 */
import type { Connection } from '@salesforce/core';
import { closeMatches } from '../shared/accessNames.js';
import { errorCode } from '../shared/errors.js';
import { sameName } from '../shared/lists.js';
import { listComponents, readComponents, type MetadataFileProps } from '../shared/metadata.js';
import { soqlString } from '../shared/soql.js';
import { COMPONENT_TYPES, type Component, type ComponentKind, componentType, normalizeRecord } from './components.js';

/** A component as the org lists it: its id and dates come from listMetadata. */
export type ExistingComponent = Component & { id?: string; createdDate?: string; lastModifiedDate?: string };
export type ExistingApp = {
  /** The ExternalClientApplication itself, when the org has it. */
  app?: ExistingComponent;
  children: Partial<Record<Exclude<ComponentKind, 'app'>, ExistingComponent>>;
  /** When the org has no such app: the API names of the apps it has (for "did you mean"). */
  others?: string[];
};

/**
 * The app and its children as the org holds them. `orphans`: also when the org has no such app, its children that
 * still name it as their parent (an org whose delete does not cascade, docs/salesforce.md §10.8).
 */
export async function readExistingApp(
  conn: Connection,
  apiName: string,
  apiVersion: string,
  options: { orphans?: boolean } = {},
): Promise<ExistingApp> {
  const listed = await listComponents(
    conn,
    COMPONENT_TYPES.map((t) => t.type),
    apiVersion,
  );
  const byType = (type: string): MetadataFileProps[] => listed.filter((p) => p.type === type);
  const appProps = byType(componentType('app').type).find((p) => sameName(p.fullName, apiName));
  const existing: ExistingApp = { children: {} };
  if (!appProps) existing.others = byType(componentType('app').type).map((p) => p.fullName);
  if (!appProps && !options.orphans) return existing;
  const parent = appProps?.fullName ?? apiName;

  const childTypes = COMPONENT_TYPES.filter((t) => t.kind !== 'app');
  const [appRecords, ...childRecords] = await Promise.all([
    appProps ? readComponents(conn, componentType('app').type, [appProps.fullName]) : [],
    ...childTypes.map(async (t) => {
      // Names that start with the app's name are the likely ones; read them first and the rest only if needed.
      const props = byType(t.type);
      const likely = props.filter((p) => p.fullName.toLowerCase().startsWith(apiName.toLowerCase()));
      const owned = (records: Array<Record<string, unknown>>): Array<Record<string, unknown>> =>
        records.filter((r) => sameName(r.externalClientApplication, parent));
      const read = async (names: MetadataFileProps[]): Promise<Array<Record<string, unknown>>> =>
        owned(
          await readComponents(
            conn,
            t.type,
            names.map((p) => p.fullName),
            (batch) => owned(batch).length > 0,
          ),
        );
      const first = await read(likely);
      return first.length > 0 ? first : read(props.filter((p) => !likely.includes(p)));
    }),
  ]);
  const appRecord = appRecords[0];
  if (appProps && appRecord) {
    existing.app = {
      kind: 'app',
      type: componentType('app').type,
      fullName: appProps.fullName,
      id: appProps.id,
      createdDate: appProps.createdDate,
      lastModifiedDate: appProps.lastModifiedDate,
      record: normalizeRecord('app', appRecord),
    };
  }
  childTypes.forEach((t, index) => {
    const record = childRecords[index][0];
    if (!record) return;
    const fullName = record.fullName as string;
    const props = listed.find((p) => p.type === t.type && p.fullName === fullName);
    existing.children[t.kind as Exclude<ComponentKind, 'app'>] = {
      kind: t.kind,
      type: t.type,
      fullName,
      id: props?.id,
      createdDate: props?.createdDate,
      lastModifiedDate: props?.lastModifiedDate,
      record: normalizeRecord(t.kind, record),
    };
  });
  return existing;
}

/**
 * The ExternalClientApplication id (0xI…) of the app, or undefined when the org has no such app. By SOQL; the
 * object is documented as internal, so an org that will not query it is asked through the OAuth usage list
 * (docs/salesforce.md §2).
 */
export async function findAppId(conn: Connection, apiName: string): Promise<string | undefined> {
  try {
    const result = await conn.query<{ Id: string }>(
      `SELECT Id FROM ExternalClientApplication WHERE DeveloperName = ${soqlString(apiName)}`,
    );
    return result.records[0]?.Id;
  } catch (error) {
    if (errorCode(error) !== 'INVALID_TYPE') throw error;
    type Usage = { apps?: Array<{ developerName?: string; identifier?: string }> };
    const usage = await conn.request<Usage>(`/services/data/v${conn.getApiVersion()}/apps/oauth/usage?pageSize=100`);
    return usage.apps?.find((app) => sameName(app.developerName, apiName))?.identifier;
  }
}

/**
 * A mistyped app name's likely meanings: the org's External Client Apps whose API names are close. `known`: the
 * names already read; otherwise they are listed now (only on a failure path). Never fails: no list, no suggestion.
 */
export async function similarAppNames(conn: Connection, apiName: string, known?: string[]): Promise<string[]> {
  const names =
    known ??
    (await listComponents(conn, [componentType('app').type], conn.getApiVersion())
      .then((listed) => listed.map((p) => p.fullName))
      .catch(() => []));
  return closeMatches(apiName, names).filter((name) => !sameName(name, apiName));
}
