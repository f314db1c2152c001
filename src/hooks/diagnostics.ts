/*
 * `sf doctor --plugin @rensystems/plugin-ren`: what matters to this plugin on this machine, as the official plugins
 * report theirs: Node and plugin versions, the default org's API version and its secret-access setting, and any
 * restore of that setting an interrupted run left pending (in any org). Only reads; never fails the doctor run.
 */
import { readFile } from 'node:fs/promises';
import { ConfigAggregator, Lifecycle, Messages, Org, OrgConfigProperties } from '@salesforce/core';
import { listPendingRestores } from '../credentials/pendingRestore.js';
import { readSecretAccess } from '../credentials/secretSetting.js';

const PLUGIN = '@rensystems/plugin-ren';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages(PLUGIN, 'diagnostics');

/** The part of sf doctor's SfDoctor a plugin uses. */
export type Doctor = {
  addPluginData(pluginName: string, data: Record<string, unknown>): void;
  addSuggestion(suggestion: string): void;
};

type Status = 'pass' | 'fail' | 'warn' | 'unknown';

const report = (testName: string, status: Status): Promise<unknown> =>
  Lifecycle.getInstance().emit('Doctor:diagnostic', { testName, status });

async function pluginVersion(): Promise<string> {
  const manifest = new URL('../../package.json', import.meta.url);
  return (JSON.parse(await readFile(manifest, 'utf8')) as { version: string }).version;
}

type OrgReading = { apiVersion?: string; secretAccess?: boolean; orgId?: string; problem?: string };

async function readDefaultOrg(target: string | undefined): Promise<OrgReading> {
  if (!target) return {};
  try {
    const org = await Org.create({ aliasOrUsername: target });
    const conn = org.getConnection();
    const [apiVersion, secretAccess] = await Promise.all([
      org.retrieveMaxApiVersion(),
      readSecretAccess(conn).catch(() => undefined),
    ]);
    return { apiVersion, secretAccess, orgId: org.getOrgId() };
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error) };
  }
}

export async function diagnose(doctor: Doctor): Promise<void> {
  const config = await ConfigAggregator.create();
  const target = config.getPropertyValue<string>(OrgConfigProperties.TARGET_ORG);
  const [version, org, pending] = await Promise.all([pluginVersion(), readDefaultOrg(target), listPendingRestores()]);
  const nodeMajor = Number(process.versions.node.split('.')[0]);
  doctor.addPluginData(PLUGIN, {
    pluginVersion: version,
    nodeVersion: process.versions.node,
    defaultOrg: target,
    defaultOrgApiVersion: org.apiVersion,
    defaultOrgSecretAccess: org.secretAccess,
    defaultOrgProblem: org.problem,
    pendingRestores: pending.map(({ orgId, username, openedAt, value, pid }) => ({
      orgId,
      username,
      openedAt,
      value,
      pid,
    })),
  });

  const checks: Array<Promise<unknown>> = [];
  checks.push(report(messages.getMessage('test.node', [process.versions.node]), nodeMajor >= 22 ? 'pass' : 'fail'));
  if (nodeMajor < 22) doctor.addSuggestion(messages.getMessage('suggestion.node'));
  if (target && !org.problem) {
    const setting = org.secretAccess === undefined ? 'unknown' : org.secretAccess ? 'warn' : 'pass';
    checks.push(report(messages.getMessage('test.secretAccess', [target]), setting));
    if (org.secretAccess) doctor.addSuggestion(messages.getMessage('suggestion.secretAccess', [target]));
  }
  checks.push(report(messages.getMessage('test.pending'), pending.length === 0 ? 'pass' : 'fail'));
  for (const record of pending) {
    const who = record.username ?? record.orgId;
    doctor.addSuggestion(messages.getMessage('suggestion.pending', [who, record.openedAt, who]));
  }
  await Promise.all(checks);
}

/** The hook sf doctor runs (oclif calls a hook module's default export). */
const hook = async (options: { doctor: Doctor }): Promise<void> => diagnose(options.doctor);
export default hook;
