/**
 * The deploy engine shared by SOAP `deploy` and REST `deployRequest`.
 *
 * A deploy is asynchronous: starting one reads the zip and its package.xml and answers Queued; the Nth status check
 * (N = OrgState.asyncPolls) validates every component against the org as it is then and applies them all, or none
 * (rollbackOnError, the default). checkOnly deploys validate and report, and never change the org.
 */
import type { FaultInjector } from '../faults.js';
import { KeyPrefix, sameId } from '../ids.js';
import type { OrgState } from '../org/state.js';
import { nowIso } from '../time.js';
import { XmlParseError, children, childText, parseXml } from '../xml.js';
import { applyComponent, previewComponent } from './apply.js';
import type { DeployMessage, DeployOptions, DeployRecord, DeployResultData } from './operations.js';
import type { MdRecord } from './store.js';
import {
  type MetadataTypeDef,
  ExternalClientApplication,
  ExtlClntAppGlobalOauthSettings,
  METADATA_TYPES,
  componentForPath,
  componentPath,
  typeForManifestMember,
} from './types.js';
import { parseComponent } from './recordXml.js';
import { type Incoming, validateComponent } from './validate.js';
import { readZip } from './zip.js';

type PlannedFile = { def: MetadataTypeDef; fullName: string; fileName: string; source: string };
type PlannedDelete = { def: MetadataTypeDef; fullName: string; fileName: string };

/** What a deploy will do, read from its zip when it starts. */
type Plan = {
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

export type StartDeployInput = {
  zip: Buffer;
  options: DeployOptions;
  /** Version of the endpoint the deploy came through (`/services/Soap/m/64.0`). */
  apiVersion: string;
  userId: string;
  api: 'soap' | 'rest';
};

type ManifestTypes = Array<{ name: string; members: string[] }>;

const MANIFESTS = ['package.xml', 'destructiveChanges.xml', 'destructiveChangesPre.xml', 'destructiveChangesPost.xml'];

export async function startDeploy(state: OrgState, faults: FaultInjector, input: StartDeployInput): Promise<DeployRecord> {
  const id = state.ids.next(KeyPrefix.DeployRequest);
  const user = state.directory.userById(input.userId);
  const now = nowIso();
  const plan = await readPlan(input.zip, Number(input.apiVersion));
  plan.injected = faults.takeDeployFailures();
  const result: DeployResultData = {
    id,
    status: 'Pending',
    success: false,
    done: false,
    checkOnly: input.options.checkOnly === true,
    ignoreWarnings: input.options.ignoreWarnings === true,
    rollbackOnError: input.options.rollbackOnError !== false,
    createdBy: input.userId,
    createdByName: user?.Name ?? '',
    createdDate: now,
    startDate: now,
    lastModifiedDate: now,
    numberComponentsTotal: plan.files.length + plan.deletes.length,
    numberComponentsDeployed: 0,
    numberComponentErrors: 0,
    componentSuccesses: [],
    componentFailures: [],
    numFiles: plan.files.length,
    zipSize: input.zip.length,
  };
  const record: DeployRecord = {
    id,
    api: input.api,
    apiVersion: input.apiVersion,
    options: input.options,
    components: [
      ...plan.files.map((f) => ({ type: f.def.name, fullName: f.fullName })),
      ...plan.deletes.map((d) => ({ type: d.def.name, fullName: d.fullName, destructive: true })),
    ],
    pollsLeft: Math.max(1, state.asyncPolls),
    result,
  };
  record.finish = (): void => finishDeploy(state, record, plan, input.userId);
  state.deploys.set(id, record);
  return record;
}

/** Answers a status check: InProgress until the configured poll, then the final result (applied once). */
function findDeploy(state: OrgState, id: string): DeployRecord | undefined {
  return [...state.deploys.values()].find((d) => sameId(d.id, id));
}

export function checkDeploy(state: OrgState, id: string): DeployRecord | undefined {
  const record = findDeploy(state, id);
  if (!record || record.result.done) return record;
  record.pollsLeft -= 1;
  if (record.pollsLeft > 0) {
    record.result.status = 'InProgress';
    record.result.lastModifiedDate = nowIso();
    return record;
  }
  record.finish?.();
  record.finish = undefined;
  return record;
}

export function cancelDeploy(state: OrgState, id: string, userId: string): DeployRecord | undefined {
  const record = findDeploy(state, id);
  if (!record || record.result.done) return record;
  const user = state.directory.userById(userId);
  const now = nowIso();
  Object.assign(record.result, {
    status: 'Canceled',
    done: true,
    success: false,
    canceledBy: userId,
    canceledByName: user?.Name ?? '',
    completedDate: now,
    lastModifiedDate: now,
  });
  record.finish = undefined;
  return record;
}

// ------------------------------------------------------------------------------------------------ reading the zip

async function readPlan(zipData: Buffer, endpointVersion: number): Promise<Plan> {
  const plan: Plan = { apiVersion: endpointVersion, root: '', files: [], deletes: [], manifestFailures: [], injected: [] };
  let files: Map<string, string>;
  try {
    files = await readZip(zipData);
  } catch (err) {
    plan.error = { message: `The zip file could not be read: ${(err as Error).message}`, statusCode: 'INVALID_ZIP_FILE' };
    return plan;
  }
  // SDR sends singlePackage zips with package.xml at the root; other clients put the package under a folder.
  const manifestPath =
    files.has('package.xml') ? 'package.xml' : [...files.keys()].find((p) => /^[^/]+\/package\.xml$/.test(p));
  if (!manifestPath) {
    plan.manifestFailures.push(packageFailure('package.xml', 'No package.xml found'));
    return plan;
  }
  plan.root = manifestPath.slice(0, -'package.xml'.length);

  const manifests = readManifests(files, plan);

  for (const [manifest, types] of manifests) {
    for (const t of types) planType(plan, files, manifest, t);
  }
  // Parents first, as Salesforce orders a deploy by dependency.
  const rank = (def: MetadataTypeDef): number => METADATA_TYPES.indexOf(def);
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
        children(doc, 'types').map((t) => ({ name: childText(t, 'name') ?? '', members: children(t, 'members').map((m) => m.text) }))
      );
    } catch (err) {
      const e = err as XmlParseError;
      plan.manifestFailures.push({ ...packageFailure(plan.root + name, `Error parsing file: ${e.message}`), lineNumber: e.line, columnNumber: e.column });
    }
  }
  return manifests;
}

/** Adds the components (or deletions) one `<types>` entry of a manifest names to the plan. */
function planType(plan: Plan, files: Map<string, string>, manifest: string, t: ManifestTypes[number]): void {
  const root = plan.root;
  const destructive = manifest !== 'package.xml';
  // A type name is known when some modeled type has it as its package.xml name at this API version.
  const defsOfName = METADATA_TYPES.filter((d) => d.manifestName.toLowerCase() === t.name.toLowerCase() && d.since <= plan.apiVersion);
  if (defsOfName.length === 0) {
    plan.manifestFailures.push(packageFailure(root + manifest, `Unknown type name '${t.name}' specified in ${manifest}`));
    return;
  }
  for (const member of t.members) {
    if (member === '*' && !destructive) {
      for (const [path, source] of files) {
        const hit = path.startsWith(root) ? componentForPath(path.slice(root.length)) : undefined;
        if (hit && defsOfName.includes(hit.def)) plan.files.push({ def: hit.def, fullName: hit.fullName, fileName: path, source });
      }
      continue;
    }
    const def = typeForManifestMember(t.name, member);
    if (!def || !defsOfName.includes(def)) {
      // Only Settings reach this: a settings component the emulator does not model.
      plan.manifestFailures.push({
        ...packageFailure(root + manifest, `The emulator does not model the settings '${member}' (it models ${defsOfName.map((d) => d.settingsFullName).join(', ')})`),
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
        ...packageFailure(root + 'package.xml', `An object '${member}' of type ${t.name} was named in package.xml, but was not found in zipped directory`),
        componentType: t.name,
        fullName: member,
      });
      continue;
    }
    plan.files.push({ def, fullName, fileName: path, source });
  }
}

function packageFailure(fileName: string, problem: string): DeployMessage {
  return {
    changed: false,
    componentType: '',
    created: false,
    createdDate: nowIso(),
    deleted: false,
    fileName,
    fullName: fileName.split('/').pop() ?? fileName,
    problem,
    problemType: 'Error',
    success: false,
  };
}

// ------------------------------------------------------------------------------------------------ completing

type Parsed = PlannedFile & { record: MdRecord };

/** The verdict on each planned component: what can be applied and what fails (with warnings). */
type Evaluation = { failures: DeployMessage[]; valid: Parsed[]; validDeletes: PlannedDelete[] };

function evaluate(state: OrgState, plan: Plan, userId: string, ignoreWarnings: boolean): Evaluation {
  const failures: DeployMessage[] = [...plan.manifestFailures];
  const parsed: Parsed[] = [];
  for (const file of plan.files) {
    const outcome = parseFile(file, plan.apiVersion);
    if ('problem' in outcome) failures.push(outcome.problem);
    else parsed.push({ ...file, record: outcome.record });
  }

  const incoming: Incoming[] = parsed.map((p) => ({ def: p.def, fullName: p.fullName, record: p.record }));
  const deleting = plan.deletes.map((d) => ({ type: d.def.name, fullName: d.fullName }));
  const ctx = { state, apiVersion: plan.apiVersion, userId, incoming, deleting };
  const valid: Parsed[] = [];
  for (const p of parsed) {
    const problem = validateComponent({ def: p.def, fullName: p.fullName, record: p.record }, ctx);
    if (problem) failures.push(failure(p, problem.problem, 'Error', problem.line, problem.column));
    else if (p.def === ExtlClntAppGlobalOauthSettings && rotates(p.record) && !ignoreWarnings) {
      // Rotation needs ignoreWarnings=true [D MD-GOS].
      failures.push(failure(p, 'Rotating the consumer key or secret of an External Client App requires a deploy with ignoreWarnings set to true.', 'Warning'));
    } else valid.push(p);
  }

  const validDeletes: PlannedDelete[] = [];
  for (const d of plan.deletes) {
    if (state.store.get(d.def.name, d.fullName)) validDeletes.push(d);
    else failures.push(failure(d, `No ${d.def.name} named: ${d.fullName} found`, 'Warning'));
  }

  for (const injected of plan.injected) {
    const matches = (c: { def: MetadataTypeDef; fullName: string }): boolean =>
      c.def.name === injected.type && (!injected.fullName || c.fullName === injected.fullName);
    const target = parsed.find(matches) ?? plan.deletes.find(matches);
    if (target) {
      failures.push(failure(target, injected.problem, 'Error'));
      removeFrom(valid, target);
      removeFrom(validDeletes, target);
    } else {
      failures.push({ ...packageFailure(plan.root + 'package.xml', injected.problem), componentType: injected.type, fullName: injected.fullName ?? injected.type });
    }
  }
  return { failures, valid, validDeletes };
}

/** Applies (or, for checkOnly, previews) the valid components and deletions; returns their success messages. */
function applyAll(state: OrgState, ev: Evaluation, apply: boolean, userId: string, now: string): DeployMessage[] {
  const success = (c: PlannedFile | PlannedDelete, flags: { created: boolean; changed: boolean; deleted: boolean; id?: string }): DeployMessage => ({
    changed: flags.changed,
    componentType: c.def.name,
    created: flags.created,
    createdDate: now,
    deleted: flags.deleted,
    fileName: c.fileName,
    fullName: c.fullName,
    id: flags.id,
    success: true,
  });
  const messages = ev.valid.map((p) => {
    const outcome = apply
      ? applyComponent(state, p.def, p.fullName, p.record, userId, { rotate: true })
      : previewComponent(state, p.def, p.fullName, p.record);
    return success(p, { ...outcome, deleted: false });
  });
  for (const d of ev.validDeletes) {
    const id = state.store.get(d.def.name, d.fullName)?.id;
    if (apply) state.store.delete(d.def, d.fullName);
    messages.push(success(d, { created: false, changed: false, deleted: true, id }));
  }
  return messages;
}

function finishDeploy(state: OrgState, record: DeployRecord, plan: Plan, userId: string): void {
  const result = record.result;
  const now = nowIso();
  Object.assign(result, { done: true, completedDate: now, lastModifiedDate: now });
  if (plan.error) {
    Object.assign(result, { status: 'Failed', success: false, errorMessage: plan.error.message, errorStatusCode: plan.error.statusCode });
    return;
  }

  const ev = evaluate(state, plan, userId, result.ignoreWarnings);
  // A warning blocks the deploy unless ignoreWarnings; a non-blocking warning is still reported as a failure message.
  const blocks = (f: DeployMessage): boolean => f.problemType === 'Error' || !result.ignoreWarnings;
  const manifestSuccess: DeployMessage = {
    changed: true,
    componentType: '',
    created: false,
    createdDate: now,
    deleted: false,
    fileName: plan.root + 'package.xml',
    fullName: 'package.xml',
    success: true,
  };
  const nothingValid = ev.valid.length === 0 && ev.validDeletes.length === 0;
  if (ev.failures.some(blocks) && (result.rollbackOnError || nothingValid)) {
    Object.assign(result, {
      status: 'Failed',
      success: false,
      numberComponentsDeployed: 0,
      numberComponentErrors: ev.failures.filter(blocks).length,
      componentFailures: ev.failures,
      componentSuccesses: [manifestSuccess],
    });
    return;
  }
  const partial = ev.failures.some(blocks);
  if (partial) dropOrphans(state, ev.valid, ev.failures);
  Object.assign(result, {
    status: partial ? 'SucceededPartial' : 'Succeeded',
    success: true,
    numberComponentsDeployed: ev.valid.length + ev.validDeletes.length,
    numberComponentErrors: ev.failures.filter(blocks).length,
    componentFailures: ev.failures,
    componentSuccesses: [manifestSuccess, ...applyAll(state, ev, !result.checkOnly, userId, now)],
  });
}

/**
 * In a partial deploy (rollbackOnError=false), child components whose app failed and is not in the org fail too:
 * their app does not exist once the deploy is applied.
 */
function dropOrphans(state: OrgState, valid: Parsed[], failures: DeployMessage[]): void {
  const appOk = (name: string): boolean =>
    valid.some((v) => v.def === ExternalClientApplication && v.fullName.toLowerCase() === name.toLowerCase()) ||
    state.store.get(ExternalClientApplication.name, name) !== undefined;
  for (const p of [...valid]) {
    const appName = p.def.parentField ? String(p.record[p.def.parentField]) : undefined;
    if (appName !== undefined && !appOk(appName)) {
      failures.push(failure(p, `In field: ${p.def.parentField ?? ''} - no ExternalClientApplication named ${appName} found`, 'Error'));
      removeFrom(valid, p);
    }
  }
}

function rotates(record: MdRecord): boolean {
  return record.shouldRotateConsumerKey === true || record.shouldRotateConsumerSecret === true;
}

function removeFrom<T>(list: T[], item: unknown): void {
  const index = list.indexOf(item as T);
  if (index >= 0) list.splice(index, 1);
}

function parseFile(file: PlannedFile, apiVersion: number): { record: MdRecord } | { problem: DeployMessage } {
  let root;
  try {
    root = parseXml(file.source);
  } catch (err) {
    const e = err as XmlParseError;
    return { problem: failure(file, `Error parsing file: ${e.message}`, 'Error', e.line, e.column) };
  }
  if (root.name !== file.def.name) {
    return { problem: failure(file, `Error parsing file: Element {http://soap.sforce.com/2006/04/metadata}${root.name} invalid at this location`, 'Error', 2, 1) };
  }
  const parsed = parseComponent(file.def, root, apiVersion, { allowFullName: false, source: file.source });
  if (!parsed.ok) {
    return { problem: failure(file, `Error parsing file: ${parsed.problem.problem}`, 'Error', parsed.problem.line, parsed.problem.column) };
  }
  return { record: parsed.record };
}

function failure(
  component: { def: MetadataTypeDef; fullName: string; fileName: string },
  problem: string,
  problemType: 'Error' | 'Warning',
  line?: number,
  column?: number
): DeployMessage {
  return {
    changed: false,
    ...(column !== undefined ? { columnNumber: column } : {}),
    componentType: component.def.name,
    created: false,
    createdDate: nowIso(),
    deleted: false,
    fileName: component.fileName,
    fullName: component.fullName,
    ...(line !== undefined ? { lineNumber: line } : {}),
    problem,
    problemType,
    success: false,
  };
}

