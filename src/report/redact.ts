/*
 * --redact, for a report the consultant hands to someone else: usernames, org ids and the org's own hosts (its My
 * Domain names the client, a sandbox's names the sandbox too) are taken out of every text of the org's report —
 * check values, fixes (whose commands name the org), errors — and the Setup links keep only their path. An org
 * named by a username (any name with an "@") is shown as "org N", N its place in the run; aliases stay: the
 * consultant chose them.
 */
import type { OrgReport, ReportCheck } from './types.js';

export const HIDDEN = { username: '<username>', orgId: '<org id>', host: '<my-domain>' } as const;

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** What to take out of an org's texts: longest first, so a host with its port goes before the bare host name. */
function replacements(report: OrgReport, urls: string[]): Array<[RegExp, string]> {
  const hosts = [report.loginUrl, ...urls].flatMap((url) => {
    if (!url) return [];
    try {
      const parsed = new URL(url);
      return [parsed.host, parsed.hostname];
    } catch {
      return [];
    }
  });
  const usernames = [report.username, ...report.org.split(', ').filter((name) => name.includes('@'))];
  const orgIds = report.orgId ? [report.orgId, report.orgId.slice(0, 15)] : [];
  const pairs: Array<[string, string]> = [
    ...usernames.filter((u): u is string => Boolean(u)).map((u): [string, string] => [u, HIDDEN.username]),
    ...orgIds.map((id): [string, string] => [id, HIDDEN.orgId]),
    ...hosts.map((host): [string, string] => [host, HIDDEN.host]),
  ];
  return [...new Map(pairs.map(([text, by]) => [text.toLowerCase(), [text, by] as [string, string]])).values()]
    .sort(([a], [b]) => b.length - a.length)
    .map(([text, by]) => [new RegExp(escapeRegExp(text), 'gi'), by]);
}

/** The org's report with nothing that names its users, its id or its hosts. */
export function redactOrgReport(report: OrgReport, position: number, urls: string[] = []): OrgReport {
  const rules = replacements(report, urls);
  const hide = (text: string): string => rules.reduce((out, [pattern, by]) => out.replace(pattern, by), text);
  const names = report.org.split(', ').filter((name) => hide(name) === name);
  const check = (c: ReportCheck): ReportCheck => ({
    ...c,
    name: hide(c.name),
    expected: hide(c.expected),
    actual: hide(c.actual),
    ...(c.fix === undefined ? {} : { fix: hide(c.fix) }),
    ...(c.setup ? { setup: { page: c.setup.page, path: c.setup.path } } : {}),
  });
  const redacted: OrgReport = {
    ...report,
    org: names.length > 0 ? names.join(', ') : `org ${position}`,
    checks: report.checks.map(check),
    ...(report.usageError === undefined ? {} : { usageError: hide(report.usageError) }),
    ...(report.error
      ? {
          error: {
            name: report.error.name,
            message: hide(report.error.message),
            ...(report.error.actions ? { actions: report.error.actions.map(hide) } : {}),
          },
        }
      : {}),
  };
  delete redacted.username;
  delete redacted.orgId;
  delete redacted.loginUrl;
  return redacted;
}
