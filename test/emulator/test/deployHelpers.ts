/** Helpers of the deploy tests: deploy a file map through jsforce, read its failures, expect a refused deploy. */
import { expect } from 'chai';
import type { Connection } from '@salesforce/core';
import type { Emulator } from '../index.js';
import { type Files, zip } from './fixtures.js';
import type { EmulatorFixture } from './helpers.js';

/** A component file with a raw body (for types the Ren fixtures do not cover). */
export function settingsFileLike(root: string, body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="http://soap.sforce.com/2006/04/metadata">${body}</${root}>\n`;
}

export type DeployResult = Awaited<ReturnType<ReturnType<Connection['metadata']['deploy']>['complete']>>;
export type DeployMessage = DeployResult['details']['componentFailures'][number];

const ECA_TYPES = [
  'ExternalClientApplication',
  'ExtlClntAppOauthSettings',
  'ExtlClntAppGlobalOauthSettings',
  'ExtlClntAppConfigurablePolicies',
  'ExtlClntAppOauthConfigurablePolicies',
];

export async function deploy(
  conn: Connection,
  files: Files,
  options: Record<string, unknown> = {},
  folder = '',
): Promise<DeployResult> {
  const data = await zip(files, folder);
  return conn.metadata.deploy(data, { rollbackOnError: true, singlePackage: folder === '', ...options }).complete(true);
}

export function failures(result: DeployResult): DeployMessage[] {
  return result.details.componentFailures;
}

/** Total number of stored ECA components (all five types). */
export function ecaComponentCount(emulator: Emulator): number {
  return ECA_TYPES.reduce((n, t) => n + emulator.org.components(t).length, 0);
}

type ExpectFailure = (
  files: Files,
  expected: { type: string; fullName: string; problem: string | RegExp },
  options?: Record<string, unknown>,
) => Promise<DeployResult>;

/**
 * expectFailure for a suite's emulator: deploys files expected to fail with one problem on one component, and checks
 * that nothing was stored.
 */
export function expectFailureOf(env: EmulatorFixture): ExpectFailure {
  return async function expectFailure(files, expected, options = {}) {
    const before = ecaComponentCount(env.emulator);
    const result = await deploy(env.conn, files, options);
    expect(result.status).to.equal('Failed');
    expect(result.success).to.equal(false);
    expect(result.numberComponentsDeployed).to.equal(0);
    const failure = failures(result).find((f) => f.componentType === expected.type && f.fullName === expected.fullName);
    expect(failure, JSON.stringify(failures(result))).to.not.equal(undefined);
    if (typeof expected.problem === 'string') expect(failure?.problem).to.equal(expected.problem);
    else expect(failure?.problem).to.match(expected.problem);
    expect(failure?.problemType).to.equal('Error');
    expect(ecaComponentCount(env.emulator)).to.equal(before);
    return result;
  };
}
