/**
 * The deploy engine shared by SOAP `deploy` and REST `deployRequest`.
 *
 * A deploy is asynchronous: starting one reads the zip and its package.xml and answers Queued; the Nth status check
 * (N = OrgState.asyncPolls) validates every component against the org as it is then and applies them all, or none
 * (rollbackOnError, the default). checkOnly deploys validate and report, and never change the org.
 * This module runs that life cycle (start, status checks, cancel, completion); deployPlan.ts reads the zip,
 * deployEvaluate.ts gives the verdict on each component, deployResult.ts writes the result for either API.
 */
import type { FaultInjector } from '../faults.js';
import { KeyPrefix, sameId } from '../ids.js';
import type { OrgState } from '../org/state.js';
import { applyComponent, previewComponent } from './apply.js';
import { generateAfterTransaction } from './defaultPolicies.js';
import { type Evaluation, dropOrphans, evaluate } from './deployEvaluate.js';
import { type Plan, type PlannedDelete, type PlannedFile, readPlan } from './deployPlan.js';
import type { DeployMessage, DeployOptions, DeployRecord, DeployResultData } from './operations.js';

export type StartDeployInput = {
  zip: Buffer;
  options: DeployOptions;
  /** Version of the endpoint the deploy came through (`/services/Soap/m/64.0`). */
  apiVersion: string;
  userId: string;
  api: 'soap' | 'rest';
};

export async function startDeploy(
  state: OrgState,
  faults: FaultInjector,
  input: StartDeployInput,
): Promise<DeployRecord> {
  const id = state.ids.next(KeyPrefix.DeployRequest);
  const user = state.directory.userById(input.userId);
  const now = state.clock.nowIso();
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
    files: Object.fromEntries(plan.files.map((f) => [f.fileName, f.source])),
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
    record.result.lastModifiedDate = state.clock.nowIso();
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
  const now = state.clock.nowIso();
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

// ------------------------------------------------------------------------------------------------ completing

/** Applies (or, for checkOnly, previews) the valid components and deletions; returns their success messages. */
function applyAll(state: OrgState, ev: Evaluation, apply: boolean, userId: string, now: string): DeployMessage[] {
  const success = (
    c: PlannedFile | PlannedDelete,
    flags: { created: boolean; changed: boolean; deleted: boolean; id?: string },
  ): DeployMessage => ({
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
  // Apps left without policy records get Salesforce's generated ones (not reported, as Salesforce does not).
  if (apply)
    generateAfterTransaction(
      state,
      ev.valid.map((p) => ({ type: p.def.name, fullName: p.fullName, record: p.record })),
      userId,
    );
  return messages;
}

function finishDeploy(state: OrgState, record: DeployRecord, plan: Plan, userId: string): void {
  const result = record.result;
  const now = state.clock.nowIso();
  Object.assign(result, { done: true, completedDate: now, lastModifiedDate: now });
  if (plan.error) {
    Object.assign(result, {
      status: 'Failed',
      success: false,
      errorMessage: plan.error.message,
      errorStatusCode: plan.error.statusCode,
    });
    return;
  }

  const ev = evaluate(state, plan, userId, result.ignoreWarnings);
  for (const f of ev.failures) f.createdDate = now;
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
