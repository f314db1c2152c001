/*
 * What every rendering of the report says the same way: the status words (with a symbol, never colour alone), the
 * group titles, the usage line, and which checks an org's section lists first (failing, then pending, then worth
 * a look).
 */
import { type CheckStatus, statusLabel } from '../../shared/checks.js';
import { reportMessages as messages } from '../messages.js';
import type { CheckGroup, OrgReport, ReadinessReport, ReadinessStatus, ReportCheck } from '../types.js';
import { counted } from '../../shared/plural.js';

export const GROUPS: CheckGroup[] = ['org', 'user', 'app', 'connected-app'];

/** "✖ FAILING". */
export const orgStatusText = (status: ReadinessStatus): string =>
  `${messages.getMessage(`org.icon.${status}`)} ${messages.getMessage(`org.status.${status}`)}`;

/** "✖ FAIL", "? CANNOT VERIFY". */
export const checkStatusText = (status: CheckStatus): string =>
  `${messages.getMessage(`check.icon.${status}`)} ${statusLabel(status)}`;

export function groupTitle(group: CheckGroup, report: ReadinessReport, org: OrgReport): string {
  if (group === 'app') return messages.getMessage('group.app', [report.app]);
  if (group === 'connected-app')
    return messages.getMessage('group.connected-app', [org.connectedApp?.name ?? report.connectedApp ?? '']);
  return messages.getMessage(`group.${group}`);
}

/** The org's checks by group, in the page's order; empty groups left out. */
export function checksByGroup(org: OrgReport): Array<[CheckGroup, ReportCheck[]]> {
  return GROUPS.map((group): [CheckGroup, ReportCheck[]] => [
    group,
    org.checks.filter((c) => c.group === group),
  ]).filter(([, checks]) => checks.length > 0);
}

/** The checks an org's section lists before the full list: each with its fix and Setup link. */
export function attention(org: OrgReport): { toFix: ReportCheck[]; pending: ReportCheck[]; worthALook: ReportCheck[] } {
  return {
    toFix: org.checks.filter((c) => c.status === 'fail'),
    pending: org.checks.filter((c) => c.status === 'pending'),
    worthALook: org.checks.filter((c) => c.status === 'warn' || c.status === 'unverified'),
  };
}

/** A date as people read it: `2026-03-01 10:00 UTC` (the org's value as it is when it is not a date). */
export function shortDate(value: string | undefined): string {
  if (!value) return '—';
  const time = Date.parse(value);
  return Number.isNaN(time) ? value : `${new Date(time).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Who has connected, in one line. */
export function usageText(org: OrgReport): string {
  if (org.usageError !== undefined) return messages.getMessage('usage.cannotRead', [org.usageError]);
  const usage = org.usage;
  if (!usage) return '—';
  if (usage.tokens === 0) return messages.getMessage('usage.none');
  return messages.getMessage('usage.line', [
    String(usage.users),
    String(usage.tokens),
    shortDate(usage.lastUsed),
    shortDate(usage.newestToken),
    shortDate(usage.oldestToken),
  ]);
}

/** The org's facts, label and value, as each rendering lists them (values left out are not shown). */
export function orgFacts(org: OrgReport): Array<[string, string]> {
  const facts: Array<[string, string | undefined]> = [
    [messages.getMessage('doc.username'), org.username],
    [messages.getMessage('doc.orgId'), org.orgId],
    [messages.getMessage('doc.loginUrl'), org.loginUrl],
    [messages.getMessage('doc.edition'), org.edition],
    [messages.getMessage('doc.usage'), org.error ? undefined : usageText(org)],
    [
      messages.getMessage('doc.connectedApp', [org.connectedApp?.name ?? '']),
      org.connectedApp ? org.connectedApp.stage : undefined,
    ],
  ];
  return facts.filter((fact): fact is [string, string] => fact[1] !== undefined);
}

/** The Setup line of a check: the page and its path in the org (used where the link cannot be followed). */
export const setupText = (check: ReportCheck): string | undefined =>
  check.setup ? messages.getMessage('doc.setupPath', [check.setup.page, check.setup.path]) : undefined;

export const summaryLine = (report: ReadinessReport): string =>
  messages.getMessage('doc.summaryLine', [
    counted(report.summary.orgs, 'org'),
    String(report.summary.ready),
    String(report.summary.pending),
    String(report.summary.failing),
  ]);

/** The document's opening lines: when it was read, what was checked, what was hidden. */
export function introLines(report: ReadinessReport): string[] {
  return [
    messages.getMessage('doc.intro', [shortDate(report.generatedAt), report.app]),
    ...(report.connectedApp ? [messages.getMessage('doc.introConnectedApp', [report.connectedApp])] : []),
    ...(report.redacted ? [messages.getMessage('doc.redacted')] : []),
  ];
}

export { messages };
