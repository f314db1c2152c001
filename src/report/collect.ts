/*
 * Reads one org for the report, and a fleet of them concurrently. Per org, at the same time: its prerequisites
 * (prerequisites.ts), every check of `sf ren app status` (appStatus, used as it is: the live OAuth probe and its
 * pending state included), who has connected to the app (usage.ts) and, when asked, a vendor connected app as
 * `sf ren connected-app status` checks it. Only reads. An org that cannot be read at all (a bad alias, an expired
 * login, API access refused) is failing, with the error and its fix; it never stops the others.
 */
import type { Connection } from '@salesforce/core';
import type { ConnectedAppDefinition } from '../connectedApp/definition.js';
import { setupCommandFor } from '../connectedApp/flags.js';
import { connectedAppStatus } from '../connectedApp/status.js';
import type { AppDefinition } from '../eca/definition.js';
import { inPool } from '../onboard/onboardOrg.js';
import type { OnboardTarget } from '../onboard/targets.js';
import { type Check, checksOk, checksPending, countByStatus } from '../shared/checks.js';
import { optionalRead, toRenError } from '../shared/errors.js';
import { appStatus } from '../status/appStatus.js';
import { reportCheck, reportMessages as messages } from './messages.js';
import { ORG_SETTING_CHECKS, USER_CHECKS, orgSettingChecks, readPrerequisites } from './prerequisites.js';
import { redactOrgReport } from './redact.js';
import { connectedAppPage, place, type PlacedCheck, withSetupLinks } from './setupLinks.js';
import type { OrgReport, ReadinessReport, ReadinessStatus } from './types.js';
import { readUsage } from './usage.js';

export type ReportOptions = {
  /** The External Client App's API name. */
  app: string;
  /** The --definition file, repeated in fixes. */
  definitionFile?: string;
  apiVersion?: string;
  /** The vendor connected app to check too (--connected-app). */
  connectedApp?: ConnectedAppDefinition;
  redact: boolean;
};

/** The org as the user named it, and who it is. */
export type OrgIdentity = { name: string; username?: string; orgId?: string };

const NOT_APP_CHECKS = new Set([...ORG_SETTING_CHECKS, ...USER_CHECKS]);

export function readiness(checks: Check[]): ReadinessStatus {
  if (!checksOk(checks)) return 'failing';
  return checksPending(checks) ? 'pending' : 'ready';
}

function orgReport(who: OrgIdentity, checks: OrgReport['checks'], rest: Partial<OrgReport>): OrgReport {
  return {
    org: who.name,
    username: who.username,
    orgId: who.orgId,
    ...rest,
    status: rest.error ? 'failing' : readiness(checks),
    counts: countByStatus(checks),
    checks,
  };
}

/** An org that could not be read: failing, with the error and its fix as its one check. */
export function unreadOrg(who: OrgIdentity, error: unknown): OrgReport {
  const named = toRenError(error, who.name) as Error & { actions?: string[] };
  const check = reportCheck(
    'readOrg',
    'fail',
    messages.getMessage('expected.readOrg'),
    `${named.name}: ${named.message}`,
    named.actions?.join(' '),
  );
  return orgReport(who, [{ ...check, group: 'org' }], {
    error: { name: named.name, message: named.message, actions: named.actions },
  });
}

/** Reads one org for the report; never throws (an error makes the org failing). */
export async function collectOrg(
  conn: Connection,
  who: OrgIdentity,
  definition: AppDefinition,
  options: ReportOptions,
): Promise<OrgReport> {
  const ctx = {
    target: who.name,
    app: options.app,
    definitionFile: options.definitionFile,
    apiVersion: options.apiVersion,
  };
  const def = { ...definition, apiName: options.app };
  let report: OrgReport;
  try {
    const [prerequisites, status, usage, vendor] = await Promise.all([
      readPrerequisites(conn, def),
      // No wait: a probe Salesforce has not caught up with yet is reported as pending, as status does.
      appStatus(conn, { ...ctx, definition: def, probeWait: { waitMs: 0 } }),
      optionalRead(readUsage(conn, [def.label, options.app])),
      options.connectedApp
        ? connectedAppStatus(conn, options.connectedApp, {
            setupCommand: setupCommandFor(who.name, options.connectedApp, { definition: undefined }),
          })
        : undefined,
    ]);
    const placed: PlacedCheck[] = [
      ...prerequisites.org,
      ...(await orgSettingChecks(conn, def, ctx, status)),
      ...prerequisites.user,
      ...place(
        status.checks.filter((c) => !NOT_APP_CHECKS.has(c.name)),
        'app',
        'ecaManager',
      ),
      ...(vendor ? place(vendor.report.checks, 'connected-app', connectedAppPage) : []),
    ];
    report = orgReport(who, withSetupLinks(placed, prerequisites.loginUrl), {
      loginUrl: prerequisites.loginUrl,
      edition: prerequisites.edition,
      usage: usage.value,
      usageError: usage.error?.message,
      ...(vendor ? { connectedApp: { name: vendor.report.name, stage: vendor.report.stage } } : {}),
    });
  } catch (error) {
    report = unreadOrg(who, error);
  }
  return report;
}

export type FleetOptions = ReportOptions & {
  concurrency: number;
  /** Called as each org is done (for a progress line). */
  onOrg?: (report: OrgReport) => void;
};

/** Every org of the run, read concurrently, in the order given; redacted when asked. */
export async function collectReport(targets: OnboardTarget[], options: FleetOptions): Promise<ReadinessReport> {
  const generatedAt = new Date().toISOString();
  const orgs = await inPool(targets, options.concurrency, async (target, index) => {
    const who: OrgIdentity = { name: target.name, username: target.org?.getUsername(), orgId: target.org?.getOrgId() };
    let report: OrgReport;
    let hosts: string[] = [];
    if (!target.org || !target.definition) report = unreadOrg(who, target.error);
    else {
      const conn = target.org.getConnection(options.apiVersion);
      hosts = [conn.instanceUrl];
      report = await collectOrg(conn, who, target.definition, options);
    }
    const shown = options.redact ? redactOrgReport(report, index + 1, hosts) : report;
    options.onOrg?.(shown);
    return shown;
  });
  const count = (status: ReadinessStatus): number => orgs.filter((o) => o.status === status).length;
  const summary = { orgs: orgs.length, ready: count('ready'), pending: count('pending'), failing: count('failing') };
  return {
    generatedAt,
    app: options.app,
    ...(options.connectedApp ? { connectedApp: options.connectedApp.name } : {}),
    redacted: options.redact,
    summary,
    ok: summary.ready === summary.orgs,
    pending: summary.failing === 0 && summary.pending > 0,
    orgs,
  };
}
