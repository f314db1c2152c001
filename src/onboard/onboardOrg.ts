/*
 * The whole guide for one org in one process: finish what an interrupted run left (a setting to put back), create
 * (with pre-authorization), hand the credentials off, then check the org with status (live probe included). Each
 * step is the same code as its own command; an error is kept in the outcome (named, with its fix) so one org never
 * stops the others.
 *
 * The truth rules: the hand-off is `already-done` only when the existing file holds exactly the pair the org has
 * now (read from the org, compared field by field); the org is ready for Ren only when Ren holds that pair and
 * every required check passes.
 */
import type { Org, SfError } from '@salesforce/core';
import type { Duration } from '@salesforce/kit';
import { collectCredentials } from '../credentials/connect.js';
import { compareHandoffFile, deliverCredentials } from '../credentials/handoff.js';
import { type CommandTarget, commandLabel, commandLine, fillPlaceholders } from '../credentials/handoffCommand.js';
import { credentialsError } from '../credentials/messages.js';
import { restoreLeftovers } from '../credentials/pendingRestore.js';
import { markHandedOff } from '../credentials/rotationRecord.js';
import { type CreateAppResult, createOrUpdateApp } from '../eca/createApp.js';
import type { AppDefinition } from '../eca/definition.js';
import type { Check } from '../shared/checks.js';
import { toRenError } from '../shared/errors.js';
import { displayUrl } from '../shared/urls.js';
import { appStatus } from '../status/appStatus.js';
import { firstName } from './targets.js';

export type OnboardStep = 'resolve' | 'create' | 'handoff' | 'status';

export type HandoffPlan = {
  /** The org's own hand-off file (one per org), if any. */
  file?: string;
  renUrl?: string;
  token?: string;
  /** --handoff-command, run once per org with {org} as the org's first name. */
  command?: Omit<CommandTarget, 'org'>;
  loginUrl?: string;
  force: boolean;
  allowSecretAccess: boolean;
  /** --skip-handoff: set the org up, give Ren nothing. */
  skip: boolean;
};

export type HandoffStatus = 'done' | 'already-done' | 'planned' | 'skipped' | 'failed' | 'not-reached';

export type OrgOutcome = {
  /** The org as the user named it (every name, when it was named several ways). */
  org: string;
  username?: string;
  orgId?: string;
  /** Every step the run asked for went through, was read back, and the org meets the guide. */
  ok: boolean;
  /** Ren holds a pair the org accepts (handed off or already there) and the org meets the guide. */
  readyForRen: boolean;
  app?: Pick<CreateAppResult, 'apiName' | 'status' | 'changes' | 'deployId' | 'dryRun'>;
  handoff: { status: HandoffStatus; to: string[] };
  ready?: {
    ok: boolean;
    /** Nothing failed, but Salesforce's login does not know the app's latest change yet: run again later. */
    pending: boolean;
    failed: Array<Pick<Check, 'name' | 'actual' | 'fix'>>;
    warnings: Array<Pick<Check, 'name' | 'actual'>>;
  };
  warnings: string[];
  error?: { step: OnboardStep; name: string; message: string; actions?: string[] };
};

export type OnboardOptions = {
  definition: AppDefinition;
  allowCodeCredentialsFlows: boolean;
  dryRun: boolean;
  wait?: Duration;
  handoff: HandoffPlan;
  apiVersion?: string;
  /** The org's name in messages and fix commands (alias or username). */
  target: string;
  /** The --definition file, repeated in fixes. */
  definitionFile?: string;
  /** How long to wait for the login to know a new app or a changed callback (the probe's pending state). */
  probeWaitMs: number;
  onStep?: (step: OnboardStep) => void;
};

/** The hand-off of one org: to its file (unless it already holds the org's pair) and to Ren's URL. */
async function handOff(org: Org, options: OnboardOptions, created: CreateAppResult): Promise<OrgOutcome['handoff']> {
  const app = created.apiName;
  // A deploy that gave the app a new key makes this org's own file stale: it is replaced, as --force would.
  const plan = { ...options.handoff, force: options.handoff.force || created.keyChanged === true };
  if (plan.skip) return { status: 'skipped', to: [] };
  const command = plan.command && { ...plan.command, org: firstName(options.target) };
  if (options.dryRun) {
    const program =
      command && commandLabel(commandLine(fillPlaceholders(command.argv, { org: command.org, orgId: org.getOrgId() })));
    return {
      status: 'planned',
      to: [plan.file, program, plan.renUrl && displayUrl(plan.renUrl)].filter(Boolean) as string[],
    };
  }
  const conn = org.getConnection(options.apiVersion);
  const collected = await collectCredentials(conn, {
    app,
    loginUrl: plan.loginUrl,
    allowSecretAccess: plan.allowSecretAccess,
    org: { orgId: org.getOrgId(), username: org.getUsername(), instanceUrl: conn.instanceUrl, target: options.target },
  });
  // Onboard never rotates, so the credentials are always read.
  if (collected.status !== 'collected') return { status: 'failed', to: [] };
  // A file that holds exactly this pair is done; one that holds anything else is replaced only with --force.
  const differences = plan.file ? await compareHandoffFile(plan.file, collected.payload) : undefined;
  const fileDone = differences !== undefined && differences.length === 0;
  if (differences && differences.length > 0 && !plan.force) {
    throw credentialsError('error.RenHandoffFileStale', [plan.file ?? '', differences.join(', ')], [plan.file ?? '']);
  }
  const to = await deliverCredentials(
    { ...collected.payload, appId: collected.appId, consumerId: collected.consumer.id },
    { file: fileDone ? undefined : plan.file, force: plan.force, renUrl: plan.renUrl, token: plan.token, command },
  );
  await markHandedOff(org.getOrgId(), app);
  if (fileDone && plan.file) return { status: to.length > 0 ? 'done' : 'already-done', to: [plan.file, ...to] };
  return { status: 'done', to };
}

export async function onboardOrg(org: Org, options: OnboardOptions): Promise<OrgOutcome> {
  const outcome: OrgOutcome = {
    org: options.target,
    username: org.getUsername(),
    orgId: org.getOrgId(),
    ok: false,
    readyForRen: false,
    handoff: { status: 'not-reached', to: [] },
    warnings: [],
  };
  const conn = org.getConnection(options.apiVersion);
  let step: OnboardStep = 'create';
  try {
    options.onStep?.('create');
    if (!options.dryRun) outcome.warnings.push(...(await restoreLeftovers(conn, org.getOrgId())));
    const created = await createOrUpdateApp(conn, options.definition, {
      dryRun: options.dryRun,
      allowCodeCredentialsFlows: options.allowCodeCredentialsFlows,
      wait: options.wait,
      target: options.target,
    });
    outcome.app = {
      apiName: created.apiName,
      status: created.status,
      changes: created.changes,
      deployId: created.deployId,
      dryRun: created.dryRun,
    };
    outcome.warnings.push(...created.warnings);
    step = 'handoff';
    options.onStep?.('handoff');
    outcome.handoff = await handOff(org, options, created);
    if (options.dryRun) {
      outcome.ok = true;
      return outcome;
    }
    step = 'status';
    options.onStep?.('status');
    const report = await appStatus(conn, {
      app: created.apiName,
      definition: options.definition,
      target: options.target,
      definitionFile: options.definitionFile,
      apiVersion: options.apiVersion,
      probeWait: { waitMs: options.probeWaitMs },
    });
    const pick = (status: Check['status']): Check[] => report.checks.filter((c) => c.status === status);
    outcome.ready = {
      ok: report.ok,
      pending: report.pending,
      failed: pick('fail').map(({ name, actual, fix }) => ({ name, actual, fix })),
      warnings: pick('warn').map(({ name, actual }) => ({ name, actual })),
    };
    outcome.ok = report.ok;
    outcome.readyForRen = report.ok && ['done', 'already-done'].includes(outcome.handoff.status);
  } catch (error) {
    const named = toRenError(error, options.target) as SfError;
    if (step === 'handoff') outcome.handoff.status = 'failed';
    outcome.error = { step, name: named.name, message: named.message, actions: named.actions };
  }
  return outcome;
}

/** An org that could not run (not logged in, a bad value): its outcome, with its error and fix. */
export function notRunOutcome(name: string, error: unknown): OrgOutcome {
  const named = error as Partial<SfError>;
  return {
    org: name,
    ok: false,
    readyForRen: false,
    handoff: { status: 'not-reached', to: [] },
    warnings: [],
    error: {
      step: 'resolve',
      name: named?.name ?? 'Error',
      message: named?.message ?? String(error),
      actions: named?.actions,
    },
  };
}

/**
 * Runs `work` over the items with at most `limit` at once, keeping the items' order in the results. `work` must not
 * throw (each org's error is part of its outcome): the pool settles every item.
 */
export async function inPool<T, R>(
  items: T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      // eslint-disable-next-line no-await-in-loop
      results[index] = await work(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
