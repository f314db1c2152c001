/*
 * Deploys components through source-deploy-retrieve: it packages the files into a Metadata API zip,
 * starts the SOAP deploy and polls checkDeployStatus, as `sf project deploy start` does. The files
 * live in an in-memory tree; nothing is written to disk.
 */
import type { Connection } from '@salesforce/core';
import { Duration } from '@salesforce/kit';
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

const ROOT = '/ren-app';

const asArray = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const isTrue = (value: unknown): boolean => value === true || value === 'true';

export async function deployComponents(
  conn: Connection,
  components: Component[],
  options: DeployOptions
): Promise<DeployOutcome> {
  // Loaded here, not at the top: SDR is large and `sf ren --help` should not pay for it.
  const { ComponentSet, VirtualTreeContainer } = await import('@salesforce/source-deploy-retrieve');
  const files = components.map((component) => ({ path: `${ROOT}/${sourcePath(component)}`, data: componentXml(component) }));
  const directories = new Map<string, Array<{ name: string; data: Buffer }>>();
  for (const file of files) {
    const dir = file.path.slice(0, file.path.lastIndexOf('/'));
    const name = file.path.slice(dir.length + 1);
    directories.set(dir, [...(directories.get(dir) ?? []), { name, data: Buffer.from(file.data) }]);
  }
  const tree = new VirtualTreeContainer([
    { dirPath: ROOT, children: [...directories.keys()].map((dir) => dir.slice(ROOT.length + 1)) },
    ...[...directories].map(([dirPath, children]) => ({ dirPath, children })),
  ]);
  const set = ComponentSet.fromSource({ fsPaths: [ROOT], tree });
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
  const result = await deploy.pollStatus({
    frequency: options.pollFrequency ?? Duration.milliseconds(500),
    timeout: options.timeout ?? Duration.minutes(10),
  });
  const response = result.response;
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
