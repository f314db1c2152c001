/*
 * Deploys metadata files through source-deploy-retrieve: it packages them into a Metadata API zip, starts
 * the SOAP deploy and polls checkDeployStatus, as `sf project deploy start` does. The source files go to a
 * private temporary directory that is removed afterwards (SDR's in-memory tree cannot stream file contents
 * to its converter). One deploy is all or nothing (rollbackOnError).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Messages, type Connection, type SfError } from '@salesforce/core';
import { Duration } from '@salesforce/kit';
import type { MetadataApiDeploy, MetadataApiDeployStatus } from '@salesforce/source-deploy-retrieve';
import { EXIT } from './exitCodes.js';
import { asArray } from './lists.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@rensystems/plugin-ren', 'deploy');

/** A metadata file in source format: its path in a package directory and its XML. */
export type SourceFile = { path: string; content: string };

export type ComponentProblem = { type: string; fullName: string; fileName?: string; problem: string };
export type DeployedComponent = { type: string; fullName: string; id?: string; created: boolean; changed: boolean };

export type DeployOutcome = {
  id: string;
  success: boolean;
  status: string;
  checkOnly: boolean;
  deployed: DeployedComponent[];
  problems: ComponentProblem[];
  /** A problem of the whole deploy rather than of one component. */
  errorMessage?: string;
  errorStatusCode?: string;
};

export type DeployOptions = {
  apiVersion: string;
  checkOnly?: boolean;
  /** Needed when a deploy rotates the consumer key or secret (it raises a warning). */
  ignoreWarnings?: boolean;
  pollFrequency?: Duration;
  timeout?: Duration;
  /** Told the deploy's id as soon as the org has accepted it (e.g. to name it if the command is interrupted). */
  onStarted?: (deployId: string) => void;
};

const isTrue = (value: unknown): boolean => value === true || value === 'true';

/** The org refused (part of) the deploy; nothing was changed. Lists each component and its problem. */
export function deployFailedError(deployId: string, problems: ComponentProblem[], errorMessage?: string): SfError {
  const lines = problems.map((p) => `  - ${p.type} ${p.fullName}: ${p.problem}`);
  if (errorMessage) lines.push(`  - ${errorMessage}`);
  const error = messages.createError('error.RenDeployFailed', [deployId, lines.join('\n')]);
  error.setData({ deployId, problems });
  return error;
}

/**
 * Deploys the files and waits for the result; throws RenDeployTimeoutError when the org takes longer than `timeout`.
 */
export async function deployFiles(
  conn: Connection,
  files: SourceFile[],
  options: DeployOptions,
): Promise<DeployOutcome> {
  // Loaded here, not at the top: SDR is large and a run that deploys nothing should not pay for it.
  const { ComponentSet } = await import('@salesforce/source-deploy-retrieve');
  const root = await mkdtemp(join(tmpdir(), 'ren-deploy-'));
  try {
    await Promise.all(
      files.map(async (file) => {
        const path = join(root, file.path);
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, file.content, { mode: 0o600 });
      }),
    );
    const set = ComponentSet.fromSource(root);
    set.apiVersion = options.apiVersion;
    set.sourceApiVersion = options.apiVersion;

    const deploy = await set.deploy({
      usernameOrConnection: conn,
      apiOptions: {
        checkOnly: options.checkOnly ?? false,
        // All or nothing: a failed component leaves the org as it was.
        rollbackOnError: true,
        ignoreWarnings: options.ignoreWarnings ?? false,
        singlePackage: true,
        testLevel: 'NoTestRun',
      },
    });
    return await runDeploy(deploy, options);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** Waits for a started deploy; throws RenDeployTimeoutError when the org takes longer than `timeout`. */
async function runDeploy(deploy: MetadataApiDeploy, options: DeployOptions): Promise<DeployOutcome> {
  const timeout = options.timeout ?? Duration.minutes(10);
  if (deploy.id) options.onStarted?.(deploy.id);
  try {
    const result = await deploy.pollStatus({ frequency: options.pollFrequency ?? Duration.milliseconds(500), timeout });
    return outcomeOf(result.response);
  } catch (error) {
    if (deploy.id && /timeout|timed out/i.test(`${(error as Error).name} ${(error as Error).message}`)) {
      const stillRunning = messages.createError('error.RenDeployTimeout', [deploy.id, timeout.toString()], [deploy.id]);
      // Not done yet, not failed: the deploy goes on in the org (the exit-code table, shared/exitCodes.ts).
      stillRunning.exitCode = EXIT.notYet;
      throw stillRunning;
    }
    throw error;
  }
}

/** A metadata component by type and name, e.g. { type: 'ExternalClientApplication', fullName: 'ren' }. */
export type MetadataMember = { type: string; fullName: string };

/**
 * Deletes the members in one destructive deploy: an empty package.xml and a destructiveChangesPost.xml, deployed
 * as a Metadata API folder (what `sf project deploy start --metadata-dir` does; SDR deploys a component set only
 * when it has local source). All or nothing, like any other deploy.
 */
export async function deleteMembers(
  conn: Connection,
  members: MetadataMember[],
  options: DeployOptions,
): Promise<DeployOutcome> {
  const { ComponentSet, DestructiveChangesType, MetadataApiDeploy, RegistryAccess, SourceComponent } =
    await import('@salesforce/source-deploy-retrieve');
  const registry = new RegistryAccess();
  const set = new ComponentSet([], registry);
  for (const member of members) {
    // Only a SourceComponent can be marked for delete; it needs no file for that.
    set.add(
      new SourceComponent({ name: member.fullName, type: registry.getTypeByName(member.type) }),
      DestructiveChangesType.POST,
    );
  }
  set.apiVersion = options.apiVersion;
  set.sourceApiVersion = options.apiVersion;
  const root = await mkdtemp(join(tmpdir(), 'ren-delete-'));
  try {
    await writeFile(join(root, 'package.xml'), await set.getPackageXml(), { mode: 0o600 });
    await writeFile(join(root, 'destructiveChangesPost.xml'), await set.getPackageXml(4, DestructiveChangesType.POST), {
      mode: 0o600,
    });
    const deploy = new MetadataApiDeploy({
      usernameOrConnection: conn,
      mdapiPath: root,
      // SDR zips the folder under a root folder (zip/package.xml), so the package is not a single package.
      apiOptions: {
        checkOnly: options.checkOnly ?? false,
        rollbackOnError: true,
        singlePackage: false,
        testLevel: 'NoTestRun',
      },
    });
    await deploy.start();
    return await runDeploy(deploy, options);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

function outcomeOf(response: MetadataApiDeployStatus): DeployOutcome {
  const details = response.details ?? {};
  const problems: ComponentProblem[] = asArray(details.componentFailures).map((failure) => ({
    type: failure.componentType ?? '',
    fullName: failure.fullName,
    fileName: failure.fileName,
    problem: failure.problem ?? 'unknown problem',
  }));
  const deployed: DeployedComponent[] = asArray(details.componentSuccesses)
    .filter((success) => success.componentType && success.fullName !== 'package.xml')
    .map((success) => ({
      type: success.componentType!,
      fullName: success.fullName,
      id: success.id,
      created: isTrue(success.created),
      changed: isTrue(success.changed),
    }));
  return {
    id: response.id,
    success: isTrue(response.success) && problems.length === 0,
    status: String(response.status),
    checkOnly: isTrue(response.checkOnly),
    deployed,
    problems,
    errorMessage: response.errorMessage,
    errorStatusCode: response.errorStatusCode,
  };
}
