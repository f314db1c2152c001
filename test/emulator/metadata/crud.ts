/**
 * Metadata API CRUD calls: readMetadata, listMetadata, createMetadata, updateMetadata, upsertMetadata,
 * deleteMetadata, plus describeMetadata. Records are validated like deploy components; each record of a call is
 * processed in order and on its own (no all-or-none), so a later record sees the earlier ones. A call is one
 * transaction for the policy records Salesforce generates (defaultPolicies.ts): they come after its last record.
 */
import type { OrgState } from '../org/state.js';
import type { XmlNode } from '../xml.js';
import { applyComponent } from './apply.js';
import { generateAfterTransaction } from './defaultPolicies.js';
import { withGrants } from './grants.js';
import type { FileProperties } from './operations.js';
import { type Problem, parseComponent, recordToXmlObject } from './recordXml.js';
import type { MdRecord, StoredComponent } from './store.js';
import { type MetadataTypeDef, METADATA_TYPES, componentPath, fieldExistsAt, typeByName } from './types.js';
import { validateComponent } from './validate.js';

/** A problem that fails the whole call (a SOAP fault), e.g. a record that does not match its type's schema. */
export class CallFault extends Error {
  public constructor(
    public readonly faultCode: string,
    message: string,
  ) {
    super(message);
  }
}

export type SaveResult = {
  fullName: string;
  success: boolean;
  created?: boolean;
  errors: Array<{ fields?: string[]; message: string; statusCode: string }>;
};

function userName(state: OrgState, id: string): string {
  return state.directory.userById(id)?.Name ?? '';
}

export function fileProperties(state: OrgState, def: MetadataTypeDef, c: StoredComponent): FileProperties {
  return {
    createdById: c.createdById,
    createdByName: userName(state, c.createdById),
    createdDate: c.createdDate,
    fileName: componentPath(def, c.fullName),
    fullName: c.fullName,
    id: c.id,
    lastModifiedById: c.lastModifiedById,
    lastModifiedByName: userName(state, c.lastModifiedById),
    lastModifiedDate: c.lastModifiedDate,
    manageableState: 'unmanaged',
    type: def.manifestName,
  };
}

/** Resolves a CRUD/list type name; `Settings` lists every settings component. */
function typesFor(name: string, apiVersion: number): MetadataTypeDef[] {
  if (name.toLowerCase() === 'settings')
    return METADATA_TYPES.filter((t) => t.manifestName === 'Settings' && t.since <= apiVersion);
  const def = typeByName(name);
  return def && def.since <= apiVersion ? [def] : [];
}

function unknownType(name: string): CallFault {
  return new CallFault('sf:INVALID_TYPE', `INVALID_TYPE: Unknown type: ${name}`);
}

export function listMetadata(
  state: OrgState,
  queries: Array<{ type: string; folder?: string }>,
  apiVersion: number,
): FileProperties[] {
  if (queries.length > 3)
    throw new CallFault('sf:INVALID_QUERY', 'INVALID_QUERY: Too many queries. Specify at most 3 queries per call.');
  const out: FileProperties[] = [];
  for (const q of queries) {
    const defs = typesFor(q.type, apiVersion);
    if (defs.length === 0) throw unknownType(q.type);
    for (const def of defs) for (const c of state.store.components(def.name)) out.push(fileProperties(state, def, c));
  }
  return out;
}

/** readMetadata: a record per name, in order; a missing one is an empty (nil) record. */
export function readMetadata(
  state: OrgState,
  typeName: string,
  fullNames: string[],
  apiVersion: number,
): Array<{ type: string; fullName: string; fields: ReturnType<typeof recordToXmlObject> } | null> {
  const def = typeByName(typeName);
  if (!def || def.since > apiVersion) throw unknownType(typeName);
  if (fullNames.length > 10)
    throw new CallFault('sf:LIMIT_EXCEEDED', 'LIMIT_EXCEEDED: You can read at most 10 records per call.');
  return fullNames.map((name) => {
    const c = state.store.get(def.name, name);
    if (!c) return null;
    return {
      type: def.name,
      fullName: c.fullName,
      fields: recordToXmlObject(def.fields, readableRecord(state, def, c, apiVersion)),
    };
  });
}

/**
 * A stored component as read and retrieve return it: the OAuth policies' access lists written back from the grants
 * (grants.ts), and only the fields of the API version.
 */
export function readableRecord(
  state: OrgState,
  def: MetadataTypeDef,
  c: StoredComponent,
  apiVersion: number,
): MdRecord {
  return visibleRecord(def, withGrants(state, def.name, c.record), apiVersion);
}

/** The fields of a record that exist at an API version (a v62 read shows no v63 fields). */
export function visibleRecord(def: MetadataTypeDef, record: MdRecord, apiVersion: number): MdRecord {
  return Object.fromEntries(
    Object.entries(record).filter(([k]) => !def.fields[k] || fieldExistsAt(def.fields[k], apiVersion)),
  );
}

type SaveMode = 'create' | 'update' | 'upsert';

/** createMetadata / updateMetadata / upsertMetadata over `<metadata xsi:type="T">` elements. */
export function saveMetadata(
  state: OrgState,
  mode: SaveMode,
  nodes: XmlNode[],
  apiVersion: number,
  userId: string,
): SaveResult[] {
  if (nodes.length > 10)
    throw new CallFault('sf:LIMIT_EXCEEDED', 'LIMIT_EXCEEDED: You can save at most 10 records per call.');
  // Every record is parsed before any is saved: a record that does not fit its type's schema fails the whole call,
  // as the SOAP request does not deserialize.
  const parsed = nodes.map((node) => {
    const typeName = node.attrs.type;
    const def = typeName ? typeByName(typeName) : undefined;
    if (!def || def.since > apiVersion)
      throw new CallFault('soapenv:Client', `Unable to find type ${typeName ?? '(none)'} in the metadata API`);
    const result = parseComponent(def, node, apiVersion, { allowFullName: true });
    if (!result.ok) throw new CallFault('soapenv:Client', result.problem.problem);
    return { def, fullName: result.fullName ?? '', record: result.record };
  });

  const saved: Array<{ type: string; fullName: string; record: MdRecord }> = [];
  const results = parsed.map(({ def, fullName, record }) => {
    const fail = (problem: Problem): SaveResult => ({
      fullName,
      success: false,
      ...(mode === 'upsert' ? { created: false } : {}),
      errors: [{ fields: problem.fields, message: problem.problem, statusCode: problem.statusCode }],
    });
    if (!fullName)
      return fail({
        problem: 'Required field is missing: fullName',
        statusCode: 'REQUIRED_FIELD_MISSING',
        fields: ['fullName'],
      });
    const existing = state.store.get(def.name, fullName);
    if (mode === 'create' && existing) {
      return fail({
        problem: `There is already a ${def.name} named ${fullName}.`,
        statusCode: 'DUPLICATE_DEVELOPER_NAME',
        fields: ['fullName'],
      });
    }
    if (mode === 'update' && !existing) {
      return fail({
        problem: `In field: fullName - no ${def.name} named ${fullName} found`,
        statusCode: 'INVALID_CROSS_REFERENCE_KEY',
        fields: ['fullName'],
      });
    }
    // Settings updates name only the fields they change.
    const complete = def.settingsFullName && existing ? { ...existing.record, ...record } : record;
    const problem = validateComponent(
      { def, fullName, record: complete },
      { state, apiVersion, userId, incoming: [{ def, fullName, record: complete }] },
    );
    if (problem) return fail(problem);
    const outcome = applyComponent(state, def, fullName, record, userId, { rotate: true });
    saved.push({ type: def.name, fullName, record });
    return { fullName, success: true, ...(mode === 'upsert' ? { created: outcome.created } : {}), errors: [] };
  });
  // One call is one transaction: apps it left without policy records get the generated ones afterwards.
  generateAfterTransaction(state, saved, userId);
  return results;
}

export function deleteMetadata(
  state: OrgState,
  typeName: string,
  fullNames: string[],
  apiVersion: number,
): SaveResult[] {
  const def = typeByName(typeName);
  if (!def || def.since > apiVersion) throw unknownType(typeName);
  return fullNames.map((fullName) =>
    state.store.delete(def, fullName)
      ? { fullName, success: true, errors: [] }
      : {
          fullName,
          success: false,
          errors: [
            {
              fields: ['fullName'],
              message: `In field: fullName - no ${def.name} named ${fullName} found`,
              statusCode: 'INVALID_CROSS_REFERENCE_KEY',
            },
          ],
        },
  );
}

export function describeMetadata(state: OrgState, apiVersion: number): Record<string, unknown> {
  const seen = new Set<string>();
  const metadataObjects = METADATA_TYPES.filter((t) => t.since <= apiVersion)
    .filter((t) => !seen.has(t.manifestName) && seen.add(t.manifestName))
    .map((t) => ({
      directoryName: t.folder,
      inFolder: false,
      metaFile: false,
      suffix: t.suffix,
      xmlName: t.manifestName,
    }));
  return {
    metadataObjects,
    organizationNamespace: state.organization.NamespacePrefix ?? '',
    partialSaveAllowed: true,
    testRequired: false,
  };
}
