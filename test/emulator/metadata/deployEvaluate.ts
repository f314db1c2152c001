/**
 * The verdict on a deploy's plan when it completes: each file is parsed and validated against the org as it is then
 * and the rest of the deploy; rotations without ignoreWarnings, missing deletes and injected faults fail; in a partial
 * deploy, children of an app that failed fail with it.
 */
import type { OrgState } from '../org/state.js';
import { XmlParseError, parseXml } from '../xml.js';
import { failure, packageFailure } from './deployMessages.js';
import type { Plan, PlannedDelete, PlannedFile } from './deployPlan.js';
import type { DeployMessage } from './operations.js';
import { parseComponent } from './recordXml.js';
import type { MdRecord } from './store.js';
import { type MetadataTypeDef, ExternalClientApplication, ExtlClntAppGlobalOauthSettings } from './types.js';
import { type Incoming, validateComponent } from './validate.js';

export type Parsed = PlannedFile & { record: MdRecord };

/** The verdict on each planned component: what can be applied and what fails (with warnings). */
export type Evaluation = { failures: DeployMessage[]; valid: Parsed[]; validDeletes: PlannedDelete[] };

export function evaluate(state: OrgState, plan: Plan, userId: string, ignoreWarnings: boolean): Evaluation {
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
      failures.push(
        failure(
          p,
          'Rotating the consumer key or secret of an External Client App requires a deploy with ignoreWarnings set to true.',
          'Warning',
        ),
      );
    } else valid.push(p);
  }

  const validDeletes: PlannedDelete[] = [];
  for (const d of plan.deletes) {
    const problem = deleteProblem(state, plan, d);
    if (problem) failures.push(problem);
    else validDeletes.push(d);
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
      failures.push({
        ...packageFailure(plan.root + 'package.xml', injected.problem),
        componentType: injected.type,
        fullName: injected.fullName ?? injected.type,
      });
    }
  }
  return { failures, valid, validDeletes };
}

/**
 * In a partial deploy (rollbackOnError=false), child components whose app failed and is not in the org fail too:
 * their app does not exist once the deploy is applied.
 */
export function dropOrphans(state: OrgState, valid: Parsed[], failures: DeployMessage[]): void {
  const appOk = (name: string): boolean =>
    valid.some((v) => v.def === ExternalClientApplication && v.fullName.toLowerCase() === name.toLowerCase()) ||
    state.store.get(ExternalClientApplication.name, name) !== undefined;
  for (const p of [...valid]) {
    const appName = p.def.parentField ? String(p.record[p.def.parentField]) : undefined;
    if (appName !== undefined && !appOk(appName)) {
      failures.push(
        failure(
          p,
          `In field: ${p.def.parentField ?? ''} - no ExternalClientApplication named ${appName} found`,
          'Error',
        ),
      );
      removeFrom(valid, p);
    }
  }
}

/**
 * Why a planned delete fails: a component the org does not have (a warning), or, under the reading
 * `deleteNamingChildren: 'fails'`, a child named in the same destructive manifest as its app (the text is a guess).
 */
function deleteProblem(state: OrgState, plan: Plan, d: PlannedDelete): DeployMessage | undefined {
  const stored = state.store.get(d.def.name, d.fullName);
  if (!stored) return failure(d, `No ${d.def.name} named: ${d.fullName} found`, 'Warning');
  if (state.readings.deleteNamingChildren !== 'fails' || !d.def.parentField) return undefined;
  const app = String(stored.record[d.def.parentField] ?? '').toLowerCase();
  const parent = plan.deletes.find((p) => p.def === ExternalClientApplication && p.fullName.toLowerCase() === app);
  if (!parent) return undefined;
  return failure(
    d,
    `Unable to delete ${d.def.name} ${d.fullName}: the ExternalClientApplication ${parent.fullName} it belongs to is deleted in the same deployment. Delete the ExternalClientApplication alone.`,
    'Error',
  );
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
    return {
      problem: failure(
        file,
        `Error parsing file: Element {http://soap.sforce.com/2006/04/metadata}${root.name} invalid at this location`,
        'Error',
        2,
        1,
      ),
    };
  }
  const parsed = parseComponent(file.def, root, apiVersion, { allowFullName: false, source: file.source });
  if (!parsed.ok) {
    return {
      problem: failure(
        file,
        `Error parsing file: ${parsed.problem.problem}`,
        'Error',
        parsed.problem.line,
        parsed.problem.column,
      ),
    };
  }
  return { record: parsed.record };
}
