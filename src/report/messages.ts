/* The report bundle (messages/report.md), and a check line named by its message key. */
import { Messages } from '@salesforce/core';
import type { Check, CheckStatus } from '../shared/checks.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
export const reportMessages = Messages.loadMessages('@rensystems/plugin-ren', 'report');

/** A check line named by its message key (`check.<key>`); a passing check has no fix. */
export function reportCheck(key: string, status: CheckStatus, expected: string, actual: string, fix?: string): Check {
  return {
    name: reportMessages.getMessage(`check.${key}`),
    status,
    expected,
    actual,
    fix: status === 'pass' ? undefined : fix,
  };
}
