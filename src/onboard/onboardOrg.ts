/*
 * The whole guide for one org in one process: create (with pre-authorization), hand the credentials off,
 * then check the org with status (live probe included). Each step is the same code as its own command;
 * an error is kept in the outcome (named, with its fix) so one org never stops the others.
 */
import type { Connection, Org, SfError } from '@salesforce/core';
import type { Duration } from '@salesforce/kit';
import { type CreateAppResult, createOrUpdateApp } from '../eca/createApp.js';
import type { AppDefinition } from '../eca/definition.js';
import { type Check, appStatus } from '../eca/status.js';
import { collectCredentials } from '../credentials/connect.js';
import { postToRen, writeHandoffFile } from '../credentials/handoff.js';
import { forgetPreviousPair } from '../credentials/rotate.js';
import { toRenError } from '../shared/errors.js';

export type OnboardStep = 'create' | 'handoff' | 'status';

export type HandoffPlan = {
  /** The org's own hand-off file (one per org), if any. */
  file?: string;
  renUrl?: string;
  token?: string;
  force: boolean;
  allowSecretAccess: boolean;
};

export type OrgOutcome = {
  org: string;
  username?: string;
  orgId?: string;
  /** Every step went through and the org meets the guide. */
  ok: boolean;
  app?: Pick<CreateAppResult, 'apiName' | 'status' | 'changes' | 'deployId' | 'dryRun'>;
  handoff: { status: 'done' | 'already-done' | 'planned' | 'not-requested' | 'failed' | 'not-reached'; to: string[] };
  ready?: { ok: boolean; failed: Array<Pick<Check, 'name' | 'actual' | 'fix'>>; warnings: number };
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
  onStep?: (step: OnboardStep) => void;
};

async function fileExists(path: string): Promise<boolean> {
  const { stat } = await import('node:fs/promises');
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function handOff(conn: Connection, org: Org, options: OnboardOptions): Promise<OrgOutcome['handoff']> {
  const plan = options.handoff;
  if (!plan.file && !plan.renUrl) return { status: 'not-requested', to: [] };
  const planned = [plan.file, plan.renUrl].filter((d): d is string => Boolean(d));
  if (options.dryRun) return { status: 'planned', to: planned };
  // A re-run redoes only what is not done: an org whose file is there already keeps it (unless --force).
  if (plan.file && !plan.renUrl && !plan.force && (await fileExists(plan.file))) {
    return { status: 'already-done', to: [plan.file] };
  }
  const collected = await collectCredentials(conn, {
    app: options.definition.apiName,
    allowSecretAccess: plan.allowSecretAccess,
  });
  const payload = {
    loginUrl: collected.loginUrl,
    consumerKey: collected.consumerKey,
    consumerSecret: collected.consumerSecret,
    orgId: org.getOrgId(),
  };
  const to: string[] = [];
  if (plan.file) to.push(await writeHandoffFile(plan.file, payload, plan.force));
  if (plan.renUrl && plan.token) {
    await postToRen(plan.renUrl, payload, plan.token);
    to.push(plan.renUrl);
  }
  if (collected.rotation) await forgetPreviousPair(conn, collected.consumer, collected.rotation);
  return { status: 'done', to };
}

export async function onboardOrg(org: Org, options: OnboardOptions): Promise<OrgOutcome> {
  const outcome: OrgOutcome = {
    org: options.target,
    username: org.getUsername(),
    orgId: org.getOrgId(),
    ok: false,
    handoff: { status: 'not-reached', to: [] },
  };
  const conn = org.getConnection(options.apiVersion);
  let step: OnboardStep = 'create';
  try {
    options.onStep?.('create');
    const created = await createOrUpdateApp(conn, options.definition, {
      dryRun: options.dryRun,
      allowCodeCredentialsFlows: options.allowCodeCredentialsFlows,
      wait: options.wait,
    });
    outcome.app = {
      apiName: created.apiName,
      status: created.status,
      changes: created.changes,
      deployId: created.deployId,
      dryRun: created.dryRun,
    };
    step = 'handoff';
    options.onStep?.('handoff');
    outcome.handoff = await handOff(conn, org, options);
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
    });
    const failed = report.checks
      .filter((c) => c.status === 'fail')
      .map((c) => ({ name: c.name, actual: c.actual, fix: c.fix }));
    outcome.ready = { ok: report.ok, failed, warnings: report.checks.filter((c) => c.status === 'warn').length };
    outcome.ok = report.ok;
  } catch (error) {
    const named = toRenError(error, options.target) as SfError;
    if (step === 'handoff') outcome.handoff.status = 'failed';
    outcome.error = { step, name: named.name, message: named.message, actions: named.actions };
  }
  return outcome;
}

/** Runs `work` over the items with at most `limit` at once, keeping the items' order in the results. */
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
