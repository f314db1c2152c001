/*
 * Deploys components through source-deploy-retrieve: it packages the files into a Metadata API zip,
 * starts the SOAP deploy and polls checkDeployStatus, as `sf project deploy start` does. The source
 * files go to a private temporary directory that is removed afterwards (SDR's in-memory tree cannot
 * stream file contents to its converter).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Connection } from '@salesforce/core';
import { Duration } from '@salesforce/kit';
import type { MetadataApiDeployStatus } from '@salesforce/source-deploy-retrieve';
import { type Component, componentXml, sourcePath } from './components.js';

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
};

const asArray = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const isTrue = (value: unknown): boolean => value === true || value === 'true';

export async function deployComponents(
  conn: Connection,
  components: Component[],
  options: DeployOptions
): Promise<DeployOutcome> {
  // Loaded here, not at the top: SDR is large and `sf ren --help` should not pay for it.
  const { ComponentSet } = await import('@salesforce/source-deploy-retrieve');
  const root = await mkdtemp(join(tmpdir(), 'ren-deploy-'));
  try {
    for (const component of components) {
      const path = join(root, sourcePath(component));
      // eslint-disable-next-line no-await-in-loop
      await mkdir(dirname(path), { recursive: true });
      // eslint-disable-next-line no-await-in-loop
      await writeFile(path, componentXml(component), { mode: 0o600 });
    }
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
    const timeout = options.timeout ?? Duration.minutes(10);
    try {
      const result = await deploy.pollStatus({ frequency: options.pollFrequency ?? Duration.milliseconds(500), timeout });
      return outcomeOf(result.response);
    } catch (error) {
      if (deploy.id && /timeout|timed out/i.test(`${(error as Error).name} ${(error as Error).message}`)) {
        throw new DeployTimeoutError(deploy.id, timeout);
      }
      throw error;
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** The org took longer than --wait; the deploy itself goes on (and is all-or-nothing). */
export class DeployTimeoutError extends Error {
  public constructor(public readonly deployId: string, public readonly waited: Duration) {
    super(`deploy ${deployId} still running after ${waited.toString()}`);
    this.name = 'DeployTimeoutError';
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
