/*
 * The verdict lines of every command that checks an org against a guide (`sf ren app status`, `sf ren connected-app
 * status|setup`, onboard's last step): one check per requirement, with what the guide expects, what the org shows
 * and the fix. A check no API can read is "unverified": it names the Setup page to look at and never counts as a
 * pass (nor as a failure: the exit code follows the readable ones).
 */

/**
 * `pending`: not true yet, but expected to become true without anyone doing anything (e.g. Salesforce has not made a
 * new app known to its login yet); never a pass, and never a failure.
 */
export type CheckStatus = 'pass' | 'fail' | 'warn' | 'unverified' | 'pending';
export type Check = { name: string; status: CheckStatus; expected: string; actual: string; fix?: string };

/** True when no check failed. */
export function checksOk(checks: Check[]): boolean {
  return checks.every((c) => c.status !== 'fail');
}

/** True when nothing failed but something is still pending: run again later (exit code 69). */
export function checksPending(checks: Check[]): boolean {
  return checksOk(checks) && checks.some((c) => c.status === 'pending');
}

export function countByStatus(checks: Check[]): Record<CheckStatus, number> {
  const counts: Record<CheckStatus, number> = { pass: 0, fail: 0, warn: 0, unverified: 0, pending: 0 };
  for (const c of checks) counts[c.status] += 1;
  return counts;
}

/** How a status is shown in the table. */
export function statusLabel(status: CheckStatus): string {
  return status === 'unverified' ? 'CANNOT VERIFY' : status.toUpperCase();
}

/** The checks as table rows: one row each, the fix last (a Setup step or a command). */
export function checkRows(checks: Check[]): Array<Record<string, string>> {
  return checks.map((c) => ({
    Check: c.name,
    Status: statusLabel(c.status),
    Expected: c.expected,
    Actual: c.actual,
    Fix: c.fix ?? '',
  }));
}

/** How checkRows are laid out (shared/table.ts): a fix is a command or a Setup step to copy, never broken. */
export const CHECK_TABLE = { whole: ['Fix'], key: 'Check' };
