/**
 * retrieve / checkRetrieveStatus: builds an mdapi zip (package.xml + one file per component, elements in alphabetical
 * order, 4-space indented as Salesforce writes them). Secret fields (consumerSecret) are never written.
 */
import { KeyPrefix } from '../ids.js';
import type { OrgState } from '../org/state.js';
import { MD_NS, type XmlNode, children, childText, escapeXml } from '../xml.js';
import { fileProperties, readableRecord } from './crud.js';
import type { FileProperties, RetrieveRecord } from './operations.js';
import { recordToXmlObject } from './recordXml.js';
import type { MdRecord } from './store.js';
import { type MetadataTypeDef, METADATA_TYPES, componentPath, typeForManifestMember } from './types.js';
import { writeZip } from './zip.js';

export type RetrieveRequest = {
  apiVersion: number;
  singlePackage: boolean;
  types: Array<{ name: string; members: string[] }>;
};

/** Reads a `<request>`/`<retrieveRequest>` element. */
export function parseRetrieveRequest(node: XmlNode | undefined, endpointVersion: number): RetrieveRequest {
  const unpackaged = node?.children.find((c) => c.name === 'unpackaged');
  const version = Number(childText(node, 'apiVersion') ?? childText(unpackaged, 'version') ?? endpointVersion);
  return {
    apiVersion: Number.isNaN(version) ? endpointVersion : version,
    singlePackage: childText(node, 'singlePackage') === 'true',
    types: children(unpackaged, 'types').map((t) => ({
      name: childText(t, 'name') ?? '',
      members: children(t, 'members').map((m) => m.text),
    })),
  };
}

/** Serializes a component file: `<?xml …?>\n<Type xmlns="…">\n    <field>value</field>\n</Type>\n`. */
export function componentFile(def: MetadataTypeDef, record: MdRecord): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<${def.name} xmlns="${MD_NS}">`];
  writeElements(lines, recordToXmlObject(def.fields, record), 1);
  lines.push(`</${def.name}>`, '');
  return lines.join('\n');
}

function writeElements(lines: string[], obj: Record<string, unknown>, depth: number): void {
  const pad = '    '.repeat(depth);
  for (const [name, value] of Object.entries(obj)) {
    for (const v of Array.isArray(value) ? value : [value]) {
      if (v !== null && typeof v === 'object') {
        lines.push(`${pad}<${name}>`);
        writeElements(lines, v as Record<string, unknown>, depth + 1);
        lines.push(`${pad}</${name}>`);
      } else if (v !== undefined) {
        lines.push(`${pad}<${name}>${escapeXml(String(v))}</${name}>`);
      }
    }
  }
}

export function packageXml(types: Array<{ name: string; members: string[] }>, version: string): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', `<Package xmlns="${MD_NS}">`];
  for (const t of [...types].sort((a, b) => a.name.localeCompare(b.name))) {
    lines.push('    <types>');
    for (const m of [...t.members].sort()) lines.push(`        <members>${escapeXml(m)}</members>`);
    lines.push(`        <name>${escapeXml(t.name)}</name>`, '    </types>');
  }
  lines.push(`    <version>${version}</version>`, '</Package>', '');
  return lines.join('\n');
}

export async function startRetrieve(state: OrgState, request: RetrieveRequest): Promise<RetrieveRecord> {
  const id = state.ids.next(KeyPrefix.RetrieveRequest);
  const prefix = request.singlePackage ? '' : 'unpackaged/';
  const files = new Map<string, string>();
  const props: FileProperties[] = [];
  const messages: RetrieveRecord['messages'] = [];
  const included: Array<{ name: string; members: string[] }> = [];

  for (const t of request.types) {
    const found: string[] = [];
    for (const member of t.members) {
      const matches = resolveMembers(state, t.name, member, request.apiVersion);
      if (matches.length === 0 && member !== '*') {
        messages.push({
          fileName: `${prefix}package.xml`,
          problem: `Entity of type '${t.name}' named '${member}' cannot be found`,
        });
      }
      for (const { def, fullName } of matches) {
        const c = state.store.get(def.name, fullName);
        if (!c) continue;
        const path = prefix + componentPath(def, c.fullName);
        files.set(path, componentFile(def, readableRecord(state, def, c, request.apiVersion)));
        props.push({ ...fileProperties(state, def, c), fileName: path });
        found.push(c.fullName);
      }
    }
    if (found.length > 0) included.push({ name: t.name, members: found });
  }
  const version = request.apiVersion.toFixed(1);
  files.set(`${prefix}package.xml`, packageXml(included, version));
  const now = state.clock.nowIso();
  const admin = state.sessionUser;
  props.push({
    createdById: admin.Id,
    createdByName: admin.Name,
    createdDate: now,
    fileName: `${prefix}package.xml`,
    fullName: `${prefix}package.xml`,
    id: '',
    lastModifiedById: admin.Id,
    lastModifiedByName: admin.Name,
    lastModifiedDate: now,
    manageableState: 'unmanaged',
    type: 'Package',
  });
  const zip = await writeZip(files);
  const record: RetrieveRecord = {
    id,
    apiVersion: version,
    pollsLeft: Math.max(1, state.asyncPolls),
    status: 'Pending',
    zipFile: zip.toString('base64'),
    fileProperties: props,
    messages,
  };
  state.retrieves.set(id, record);
  return record;
}

function resolveMembers(
  state: OrgState,
  manifestName: string,
  member: string,
  apiVersion: number,
): Array<{ def: MetadataTypeDef; fullName: string }> {
  if (member === '*') {
    const defs = METADATA_TYPES.filter(
      (t) =>
        t.since <= apiVersion &&
        (manifestName.toLowerCase() === 'settings'
          ? t.manifestName === 'Settings'
          : t.name.toLowerCase() === manifestName.toLowerCase()),
    );
    return defs.flatMap((def) => state.store.components(def.name).map((c) => ({ def, fullName: c.fullName })));
  }
  const def = typeForManifestMember(manifestName, member);
  if (!def || def.since > apiVersion) return [];
  return state.store.get(def.name, def.settingsFullName ?? member)
    ? [{ def, fullName: def.settingsFullName ?? member }]
    : [];
}

export function checkRetrieve(state: OrgState, id: string): RetrieveRecord | undefined {
  const record =
    state.retrieves.get(id) ?? [...state.retrieves.values()].find((r) => r.id.slice(0, 15) === id.slice(0, 15));
  if (!record || record.status === 'Succeeded' || record.status === 'Failed') return record;
  record.pollsLeft -= 1;
  record.status = record.pollsLeft > 0 ? 'InProgress' : 'Succeeded';
  return record;
}
