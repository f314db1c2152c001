/*
 * Creates the External Client App, or brings an existing one up to date: check the org, read what it
 * has, deploy only what differs (or nothing). Plain functions over a Connection so commands stay thin.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Connection } from '@salesforce/core';
import type { Duration } from '@salesforce/kit';
import { resolveAccessNames, unknownNamesError } from '../shared/accessNames.js';
import {
  type ComponentProblem,
  type DeployOptions,
  deployFailedError,
  deployFiles,
  type SourceFile,
} from '../shared/deploy.js';
import { readComponents } from '../shared/metadata.js';
import { type AppDefinition } from './definition.js';
import { assertValidDefinition } from './validate.js';
import { ecaError, ecaMessage, preconditionsError } from './messages.js';
import { type ExistingApp, findAppId, readExistingApp } from './orgApp.js';
import { isAlreadyTaken, listsOf, withOnlyMissing } from './policyLists.js';
import { type AppPlan, type AppStatus, type FieldChange, planApp, type PlanOptions } from './plan.js';
import { checkApiVersion, codeCredentialsFlowAllowed, preconditionFailures, readOrgFacts } from './preconditions.js';
import { allowCodeCredentialsFlows } from './orgSettings.js';
import { COMPONENT_TYPES, sourceFile } from './components.js';

export type Stage = 'check' | 'read' | 'deploy';

export type CreateAppResult = {
  apiName: string;
  label: string;
  id?: string;
  status: AppStatus;
  changes: FieldChange[];
  deployId?: string;
  dryRun: boolean;
  warnings: string[];
  /** The deploy gave the app a new consumer key: whoever holds the old one is cut off. */
  keyChanged?: boolean;
};

export type CreateAppOptions = PlanOptions & {
  dryRun?: boolean;
  /** Turn the org's "Allow Authorization Code and Credentials Flows" on in the same deploy when it is off. */
  allowCodeCredentialsFlows?: boolean;
  /** How long to wait for the deploy to finish (default 10 minutes). */
  wait?: Duration;
  /** Called when a step starts, for a progress display. */
  onStage?: (stage: Stage) => void;
  /** The org's name (alias or username) in fixes. */
  target: string;
};

/** Checks profile/permission-set names against the org; the org's spelling wins. `target` names the org in fixes. */
export async function resolveDefinitionNames(
  conn: Connection,
  def: AppDefinition,
  target: string,
): Promise<AppDefinition> {
  if (def.profiles.length === 0 && def.permissionSets.length === 0) return def;
  const resolved = await resolveAccessNames(conn, def.profiles, def.permissionSets);
  if (resolved.unknown.length > 0) throw unknownNamesError(resolved.unknown, target);
  return { ...def, profiles: resolved.profiles, permissionSets: resolved.permissionSets };
}

export async function createOrUpdateApp(
  conn: Connection,
  requested: AppDefinition,
  options: CreateAppOptions,
): Promise<CreateAppResult> {
  assertValidDefinition(requested);
  const apiVersion = conn.getApiVersion();
  options.onStage?.('check');
  await checkApiVersion(conn);
  // The names, the org's facts and its current app are read at once; the checks judge them together.
  const needsCodeCredentialsFlow = requested.codeCredentialsFlow;
  const [named, read, current] = await Promise.allSettled([
    resolveDefinitionNames(conn, requested, options.target),
    readOrgFacts(conn, { needsCodeCredentialsFlow }),
    readExistingApp(conn, requested.apiName, apiVersion),
  ]);
  if (named.status === 'rejected') throw named.reason;
  if (read.status === 'rejected') throw read.reason;
  const [def, facts] = [named.value, read.value];
  const judge = (deployTypes: string[]): void => {
    const failures = preconditionFailures(facts, {
      deployTypes,
      needsCodeCredentialsFlow,
      allowCodeCredentialsFlows: options.allowCodeCredentialsFlows,
      username: conn.getUsername() ?? 'unknown',
      target: options.target,
    });
    if (failures.length > 0) throw failures.length === 1 ? failures[0] : preconditionsError(failures);
  };
  if (current.status === 'rejected') {
    // The org refused to show its app: name what the user lacks for a whole deploy, else the org's own error.
    judge(COMPONENT_TYPES.map((t) => t.type));
    throw current.reason;
  }
  const existing = current.value;
  options.onStage?.('read');
  const plan: AppPlan = planApp(def, existing, options);
  const files = plan.toDeploy.map(sourceFile);
  const changes = [...plan.changes];
  const deployTypes = new Set(plan.toDeploy.map((c) => c.type));
  // The org flow switch goes first, in a deploy of its own, and is read back before the app is deployed: whether
  // an org applies a setting before it validates the app in the same deploy is not documented.
  const flowSwitch =
    needsCodeCredentialsFlow && options.allowCodeCredentialsFlows && facts.codeCredentialsFlow !== true
      ? allowCodeCredentialsFlows(facts.codeCredentialsFlow)
      : undefined;
  if (flowSwitch) {
    changes.push(flowSwitch.change);
    deployTypes.add(flowSwitch.change.type);
  }
  judge([...deployTypes]);

  const result: CreateAppResult = {
    apiName: existing.app?.fullName ?? def.apiName,
    label: def.label,
    id: existing.app?.id,
    status: plan.status === 'unchanged' && flowSwitch ? 'updated' : plan.status,
    changes,
    dryRun: options.dryRun ?? false,
    warnings: [...facts.warnings],
  };
  if (files.length === 0 && !flowSwitch) return result;
  options.onStage?.('deploy');
  const deployed = await deployChanges(
    conn,
    { def, files, flowSwitch, plan, existing, apiName: result.apiName },
    options,
  );
  return { ...result, ...deployed, warnings: [...result.warnings, ...(deployed.warnings ?? [])] };
}

type DeployWork = {
  def: AppDefinition;
  files: SourceFile[];
  flowSwitch?: { file: SourceFile };
  plan: AppPlan;
  existing: ExistingApp;
  apiName: string;
};

/** The deploys of a create: the flow switch on its own first, then the app's components; their results. */
async function deployChanges(
  conn: Connection,
  work: DeployWork,
  options: CreateAppOptions,
): Promise<Pick<CreateAppResult, 'deployId' | 'id' | 'keyChanged'> & { warnings?: string[] }> {
  const deployOptions = { apiVersion: conn.getApiVersion(), checkOnly: options.dryRun, timeout: options.wait };
  if (work.flowSwitch) await turnFlowSwitchOn(conn, work.flowSwitch.file, deployOptions);
  if (work.files.length === 0) return {};
  let outcome = await deployFiles(conn, work.files, deployOptions);
  if (!outcome.success && isAlreadyTaken(outcome)) {
    // The org keeps the pre-authorized lists additively (§10.5): send the policies again with the new names only.
    const granted = listsOf(work.existing);
    const after = { profiles: work.def.profiles, permissionSets: work.def.permissionSets };
    const retried = work.plan.toDeploy.map((c) =>
      c.kind === 'oauthPolicies' ? withOnlyMissing(c, granted, after) : c,
    );
    outcome = await deployFiles(conn, retried.map(sourceFile), deployOptions);
  }
  if (!outcome.success) {
    // A check-only run cannot turn the switch on first, so the org may refuse the flow in the app's validation.
    if (options.dryRun && work.flowSwitch && outcome.problems.every(isFlowSwitchProblem)) {
      return { deployId: outcome.id, warnings: [ecaMessage('warning.dryRunFlowSwitch')] };
    }
    throw deployFailedError(outcome.id, outcome.problems, outcome.errorMessage);
  }
  if (options.dryRun) return { deployId: outcome.id };
  const id =
    work.existing.app?.id ??
    outcome.deployed.find((d) => d.type === 'ExternalClientApplication' && d.id)?.id ??
    // The id is a nicety here: an org that shows it neither way leaves it out.
    (await findAppId(conn, work.apiName).catch(() => undefined));
  const global = work.plan.toDeploy.find((c) => c.kind === 'globalOauth');
  const key = global ? await checkKeyKept(conn, work.existing, global.fullName, work.apiName) : {};
  return { deployId: outcome.id, id, ...key };
}

/** Deploys the flow switch alone and reads it back (a check-only run only validates it). */
async function turnFlowSwitchOn(conn: Connection, file: SourceFile, options: DeployOptions): Promise<void> {
  const outcome = await deployFiles(conn, [file], options);
  if (!outcome.success) throw deployFailedError(outcome.id, outcome.problems, outcome.errorMessage);
  if (options.checkOnly) return;
  const now = await codeCredentialsFlowAllowed(conn).catch(() => undefined);
  if (now !== true) throw ecaError('error.RenFlowSwitchNotOn', [outcome.id]);
}

/** A component problem that only says the org's flow switch is off. */
function isFlowSwitchProblem(problem: ComponentProblem): boolean {
  return (
    problem.type === 'ExtlClntAppGlobalOauthSettings' &&
    /Authorization Code and Credentials|oAuthCdCrdtFlowEnable|CodeCred/i.test(problem.problem)
  );
}

/**
 * After a deploy that touched the global OAuth settings: the consumer key must be the one the org had. A new key
 * would cut the vendor off, so it is said loudly (result.keyChanged; onboard hands off again).
 */
async function checkKeyKept(
  conn: Connection,
  existing: ExistingApp,
  fullName: string,
  apiName: string,
): Promise<{ keyChanged?: boolean; warnings?: string[] }> {
  const before = existing.children.globalOauth?.record.consumerKey;
  if (typeof before !== 'string' || !before) return {};
  const read = await readComponents(conn, 'ExtlClntAppGlobalOauthSettings', [fullName]).catch(() => []);
  const after = read[0]?.consumerKey;
  if (typeof after !== 'string' || !after) return { warnings: [ecaMessage('warning.keyUnverified', [apiName])] };
  if (after !== before) return { keyChanged: true, warnings: [ecaMessage('warning.keyChanged', [apiName])] };
  return {};
}

export type WrittenFiles = { outputDir: string; files: string[] };

/** Writes the app as source-format metadata (what a team keeps in its repo); nothing is deployed. */
export async function writeAppSource(def: AppDefinition, outputDir: string): Promise<WrittenFiles> {
  // Planned against an empty org, every component gets its default name.
  const files = planApp(def, { children: {} }).components.map(sourceFile);
  const written = await Promise.all(
    files.map(async (file) => {
      const path = join(outputDir, file.path);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, file.content);
      return path;
    }),
  );
  return { outputDir, files: written };
}
