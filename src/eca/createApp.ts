/*
 * Creates the External Client App, or brings an existing one up to date: check the org, read what it
 * has, deploy only what differs (or nothing). Plain functions over a Connection so commands stay thin.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Connection } from '@salesforce/core';
import type { Duration } from '@salesforce/kit';
import { resolveAccessNames, unknownNamesError } from '../shared/accessNames.js';
import { deployFailedError, deployFiles } from '../shared/deploy.js';
import { type AppDefinition } from './definition.js';
import { assertValidDefinition } from './validate.js';
import { preconditionsError } from './messages.js';
import { findAppId, readExistingApp } from './orgApp.js';
import { type AppPlan, type AppStatus, type FieldChange, planApp, type PlanOptions } from './plan.js';
import { checkApiVersion, preconditionFailures, readOrgFacts } from './preconditions.js';
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
  if (needsCodeCredentialsFlow && options.allowCodeCredentialsFlows && facts.codeCredentialsFlow !== true) {
    const setting = allowCodeCredentialsFlows(facts.codeCredentialsFlow);
    files.push(setting.file);
    changes.push(setting.change);
    deployTypes.add(setting.change.type);
  }
  judge([...deployTypes]);

  const result: CreateAppResult = {
    apiName: existing.app?.fullName ?? def.apiName,
    label: def.label,
    id: existing.app?.id,
    status: plan.status === 'unchanged' && files.length > 0 ? 'updated' : plan.status,
    changes,
    dryRun: options.dryRun ?? false,
    warnings: facts.warnings,
  };
  if (files.length === 0) return result;

  options.onStage?.('deploy');
  const outcome = await deployFiles(conn, files, { apiVersion, checkOnly: options.dryRun, timeout: options.wait });
  result.deployId = outcome.id;
  if (!outcome.success) throw deployFailedError(outcome.id, outcome.problems, outcome.errorMessage);
  if (!options.dryRun) {
    result.id ??=
      outcome.deployed.find((d) => d.type === 'ExternalClientApplication' && d.id)?.id ??
      // The id is a nicety here: an org that shows it neither way leaves it out.
      (await findAppId(conn, result.apiName).catch(() => undefined));
  }
  return result;
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
