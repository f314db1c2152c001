/*
 * Creates the External Client App, or brings an existing one up to date: check the org, read what it
 * has, deploy only what differs (or nothing). Plain functions over a Connection so commands stay thin.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Messages, type Connection, type SfError } from '@salesforce/core';
import type { Duration } from '@salesforce/kit';
import { soqlString } from '../shared/soql.js';
import { type UnknownName, resolveAccessNames } from '../shared/accessNames.js';
import { deployFailedError, deployFiles } from '../shared/deploy.js';
import { type AppDefinition } from './definition.js';
import { type DefinitionProblem, validateDefinition } from './validate.js';
import { type ExistingApp, readExistingApp } from './orgApp.js';
import { type AppPlan, type AppStatus, type FieldChange, planApp, type PlanOptions } from './plan.js';
import { checkOrgPreconditions } from './preconditions.js';
import { sourceFile } from './components.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-ren', 'eca');

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
  return messages.createError('error.RenInvalidDefinition', [lines]);
}

export function unknownNamesError(unknown: UnknownName[]): SfError {
  const described = unknown
    .map((u) => `${u.kind} "${u.name}"${u.suggestions.length > 0 ? ` (did you mean ${u.suggestions.map((s) => `"${s}"`).join(', ')}?)` : ''}`)
    .join(', ');
  return messages.createError('error.RenUnknownName', [described]);
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
  // The org's app is read while the checks run (one round trip less of waiting); a failed check wins.
  let reading: Promise<ExistingApp> | undefined;
  const startReading = (): Promise<ExistingApp> => {
    if (!reading) {
      reading = readExistingApp(conn, requested.apiName, apiVersion);
      // Handled here so a failed read never surfaces before a failed check; awaiting it below still throws.
      reading.catch(() => undefined);
    }
    return reading;
  };
  const [def, preconditions] = await Promise.all([
    resolveDefinitionNames(conn, requested),
    checkOrgPreconditions(conn, { needsCodeCredentialsFlow: requested.codeCredentialsFlow, whenVersionOk: startReading }),
  ]);
  if (preconditions.failures.length > 0) throw preconditions.failures[0];

  options.onStage?.('read');
  const existing = await startReading();
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
  const outcome = await deployFiles(conn, plan.toDeploy.map(sourceFile), {
    apiVersion,
    checkOnly: options.dryRun,
    timeout: options.wait,
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
  const files = planApp(def, { children: {} }).components.map(sourceFile);
  const written = await Promise.all(
    files.map(async (file) => {
      const path = join(outputDir, file.path);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, file.content);
      return path;
    })
  );
  return { outputDir, files: written };
}
