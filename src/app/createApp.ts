/*
 * Creates the External Client App, or brings an existing one up to date: check the org, read what it
 * has, deploy only what differs (or nothing). Plain functions over a Connection so commands stay thin.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Connection } from '@salesforce/core';
import type { Duration } from '@salesforce/kit';
import { Messages, SfError } from '@salesforce/core';
import { renError } from '../errors.js';
import { soqlString } from '../soql.js';
import { type AppDefinition } from './definition.js';
import { type DefinitionProblem, validateDefinition } from './validate.js';
import { type UnknownName, resolveAccessNames } from './accessNames.js';
import { readExistingApp } from './orgApp.js';
import { type AppPlan, type AppStatus, type FieldChange, planApp, type PlanOptions } from './plan.js';
import { type ComponentProblem, DeployTimeoutError, deployComponents } from './deploy.js';
import { checkOrgPreconditions } from './preconditions.js';
import { componentXml, sourcePath } from './components.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-ren', 'app');

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
  /** How long to wait for the deploy to finish (default 10 minutes). */
  wait?: Duration;
  /** Called when a step starts, for a progress display. */
  onStage?: (stage: Stage) => void;
};

export function invalidDefinitionError(problems: DefinitionProblem[]): SfError {
  const lines = problems.map((p) => `  - ${p.field}: ${p.message}`).join('\n');
  return renError(messages, 'invalidDefinition', 'RenInvalidDefinitionError', [lines]);
}

export function unknownNamesError(unknown: UnknownName[]): SfError {
  const described = unknown
    .map((u) => `${u.kind} "${u.name}"${u.suggestions.length > 0 ? ` (did you mean ${u.suggestions.map((s) => `"${s}"`).join(', ')}?)` : ''}`)
    .join(', ');
  return renError(messages, 'unknownNames', 'RenUnknownNameError', [described]);
}

export function deployFailedError(deployId: string, problems: ComponentProblem[], errorMessage?: string): SfError {
  const lines = problems.map((p) => `  - ${p.type} ${p.fullName}: ${p.problem}`);
  if (errorMessage) lines.push(`  - ${errorMessage}`);
  const error = renError(messages, 'deployFailed', 'RenDeployFailedError', [deployId, lines.join('\n')]);
  error.setData({ deployId, problems });
  return error;
}

/** Throws when the definition has bad values; nothing needs the org for this. */
export function assertValidDefinition(def: AppDefinition): void {
  const problems = validateDefinition(def);
  if (problems.length > 0) throw invalidDefinitionError(problems);
}

/** Checks profile/permission-set names against the org; the org's spelling wins. */
export async function resolveDefinitionNames(conn: Connection, def: AppDefinition): Promise<AppDefinition> {
  if (def.profiles.length === 0 && def.permissionSets.length === 0) return def;
  const resolved = await resolveAccessNames(conn, def.profiles, def.permissionSets);
  if (resolved.unknown.length > 0) throw unknownNamesError(resolved.unknown);
  return { ...def, profiles: resolved.profiles, permissionSets: resolved.permissionSets };
}

async function appId(conn: Connection, apiName: string): Promise<string | undefined> {
  try {
    const result = await conn.query<{ Id: string }>(
      `SELECT Id FROM ExternalClientApplication WHERE DeveloperName = ${soqlString(apiName)}`
    );
    return result.records[0]?.Id;
  } catch {
    // The object is documented as internal; not every org lets us query it. The id is a nicety.
    return undefined;
  }
}

export async function createOrUpdateApp(
  conn: Connection,
  requested: AppDefinition,
  options: CreateAppOptions = {}
): Promise<CreateAppResult> {
  assertValidDefinition(requested);
  const apiVersion = conn.getApiVersion();
  options.onStage?.('check');
  const def = await resolveDefinitionNames(conn, requested);
  const preconditions = await checkOrgPreconditions(conn, { needsCodeCredentialsFlow: def.codeCredentialsFlow });
  if (preconditions.failures.length > 0) throw preconditions.failures[0];

  options.onStage?.('read');
  const existing = await readExistingApp(conn, def.apiName, apiVersion);
  const plan: AppPlan = planApp(def, existing, options);
  const result: CreateAppResult = {
    apiName: existing.app?.fullName ?? def.apiName,
    label: def.label,
    id: existing.app?.id,
    status: plan.status,
    changes: plan.changes,
    dryRun: options.dryRun ?? false,
    warnings: preconditions.warnings,
  };
  if (plan.status === 'unchanged') return result;

  options.onStage?.('deploy');
  const outcome = await deployComponents(conn, plan.toDeploy, {
    apiVersion,
    checkOnly: options.dryRun,
    timeout: options.wait,
  }).catch((error: unknown) => {
    if (error instanceof DeployTimeoutError) {
      throw renError(messages, 'deployTimeout', 'RenDeployTimeoutError', [error.deployId, error.waited.toString()], [error.deployId]);
    }
    throw error;
  });
  result.deployId = outcome.id;
  if (!outcome.success) throw deployFailedError(outcome.id, outcome.problems, outcome.errorMessage);
  if (!options.dryRun) {
    result.id ??=
      outcome.deployed.find((d) => d.type === 'ExternalClientApplication' && d.id)?.id ?? (await appId(conn, result.apiName));
  }
  return result;
}

export type WrittenFiles = { outputDir: string; files: string[] };

/** Writes the app as source-format metadata (what a team keeps in its repo); nothing is deployed. */
export async function writeAppSource(def: AppDefinition, outputDir: string): Promise<WrittenFiles> {
  // Planned against an empty org, every component gets its default name.
  const plan = planApp(def, { children: {} });
  const files: string[] = [];
  for (const component of plan.components) {
    const path = join(outputDir, sourcePath(component));
    // eslint-disable-next-line no-await-in-loop
    await mkdir(dirname(path), { recursive: true });
    // eslint-disable-next-line no-await-in-loop
    await writeFile(path, componentXml(component));
    files.push(path);
  }
  return { outputDir, files };
}
