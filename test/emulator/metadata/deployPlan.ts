/**
 * Reading a deploy's zip when it starts: package.xml (its `<version>` sets the deploy's API version) and the
 * destructiveChanges manifests become a Plan of component files to write and components to delete, parents first;
 * what the manifests get wrong becomes package failures.
 */
import { XmlParseError, children, childText, parseXml } from '../xml.js';
import { packageFailure } from './deployMessages.js';
import type { DeployMessage } from './operations.js';
import {
  type MetadataTypeDef,
  METADATA_TYPES,
  componentForPath,
  componentPath,
  typeForManifestMember,
} from './types.js';
import { readZip } from './zip.js';

export type PlannedFile = { def: MetadataTypeDef; fullName: string; fileName: string; source: string };
export type PlannedDelete = { def: MetadataTypeDef; fullName: string; fileName: string };

/** What a deploy will do, read from its zip when it starts. */
export type Plan = {
  apiVersion: number;
  root: string;
  files: PlannedFile[];
  deletes: PlannedDelete[];
  /** Problems found in the manifest itself (unknown types, members without files…). */
  manifestFailures: DeployMessage[];
  /** A problem with the whole deploy (unreadable zip). */
  error?: { message: string; statusCode: string };
  injected: Array<{ type: string; fullName?: string; problem: string }>;
};

type ManifestTypes = Array<{ name: string; members: string[] }>;

const MANIFESTS = ['package.xml', 'destructiveChanges.xml', 'destructiveChangesPre.xml', 'destructiveChangesPost.xml'];

export async function readPlan(zipData: Buffer, endpointVersion: number): Promise<Plan> {
  const plan: Plan = {
    apiVersion: endpointVersion,
    root: '',
    files: [],
    deletes: [],
    manifestFailures: [],
    injected: [],
  };
  let files: Map<string, string>;
  try {
    files = await readZip(zipData);
  } catch (err) {
    plan.error = {
      message: `The zip file could not be read: ${(err as Error).message}`,
      statusCode: 'INVALID_ZIP_FILE',
    };
    return plan;
  }
  // SDR sends a component set's zip with package.xml at the root, and a metadata folder (`--metadata-dir`, with or
  // without --single-package) under one root folder; orgs take both.
  const manifestPath = files.has('package.xml')
    ? 'package.xml'
    : [...files.keys()].find((p) => /^[^/]+\/package\.xml$/.test(p));
  if (!manifestPath) {
    plan.manifestFailures.push(packageFailure('package.xml', 'No package.xml found'));
    return plan;
  }
  plan.root = manifestPath.slice(0, -'package.xml'.length);

  const manifests = readManifests(files, plan);

  for (const [manifest, types] of manifests) {
    for (const t of types) planType(plan, files, manifest, t);
  }
  // Org settings first, then parents before children, as Salesforce orders a deploy by dependency: an app that needs
  // an org setting deploys together with the settings file that turns it on.
  const rank = (def: MetadataTypeDef): number => (def.manifestName === 'Settings' ? -1 : METADATA_TYPES.indexOf(def));
  plan.files.sort((a, b) => rank(a.def) - rank(b.def));
  return plan;
}

/** Parses package.xml and the destructiveChanges manifests; the package.xml `<version>` sets the deploy's version. */
function readManifests(files: Map<string, string>, plan: Plan): Map<string, ManifestTypes> {
  const manifests = new Map<string, ManifestTypes>();
  for (const name of MANIFESTS) {
    const text = files.get(plan.root + name);
    if (text === undefined) continue;
    try {
      const doc = parseXml(text);
      const version = Number(childText(doc, 'version'));
      if (name === 'package.xml' && !Number.isNaN(version)) plan.apiVersion = version;
      manifests.set(
        name,
        children(doc, 'types').map((t) => ({
          name: childText(t, 'name') ?? '',
          members: children(t, 'members').map((m) => m.text),
        })),
      );
    } catch (err) {
      const e = err as XmlParseError;
      plan.manifestFailures.push({
        ...packageFailure(plan.root + name, `Error parsing file: ${e.message}`),
        lineNumber: e.line,
        columnNumber: e.column,
      });
    }
  }
  return manifests;
}

/** Adds the components (or deletions) one `<types>` entry of a manifest names to the plan. */
function planType(plan: Plan, files: Map<string, string>, manifest: string, t: ManifestTypes[number]): void {
  const root = plan.root;
  const destructive = manifest !== 'package.xml';
  // A type name is known when some modeled type has it as its package.xml name at this API version.
  const defsOfName = METADATA_TYPES.filter(
    (d) => d.manifestName.toLowerCase() === t.name.toLowerCase() && d.since <= plan.apiVersion,
  );
  if (defsOfName.length === 0) {
    plan.manifestFailures.push(
      packageFailure(root + manifest, `Unknown type name '${t.name}' specified in ${manifest}`),
    );
    return;
  }
  for (const member of t.members) {
    if (member === '*' && !destructive) {
      for (const [path, source] of files) {
        const hit = path.startsWith(root) ? componentForPath(path.slice(root.length)) : undefined;
        if (hit && defsOfName.includes(hit.def))
          plan.files.push({ def: hit.def, fullName: hit.fullName, fileName: path, source });
      }
      continue;
    }
    const def = typeForManifestMember(t.name, member);
    if (!def || !defsOfName.includes(def)) {
      // Only Settings reach this: a settings component the emulator does not model.
      plan.manifestFailures.push({
        ...packageFailure(
          root + manifest,
          `The emulator does not model the settings '${member}' (it models ${defsOfName.map((d) => d.settingsFullName).join(', ')})`,
        ),
        componentType: t.name,
        fullName: member,
      });
      continue;
    }
    const fullName = def.settingsFullName ?? member;
    const path = root + componentPath(def, fullName);
    if (destructive) {
      plan.deletes.push({ def, fullName, fileName: path });
      continue;
    }
    const source = files.get(path);
    if (source === undefined) {
      plan.manifestFailures.push({
        ...packageFailure(
          root + 'package.xml',
          `An object '${member}' of type ${t.name} was named in package.xml, but was not found in zipped directory`,
        ),
        componentType: t.name,
        fullName: member,
      });
      continue;
    }
    plan.files.push({ def, fullName, fileName: path, source });
  }
}
