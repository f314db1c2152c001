/* The status bundle (messages/status.md), and a check line named by its message key. */
import { Messages } from '@salesforce/core';
import type { Check, CheckStatus } from '../shared/checks.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
export const statusMessages = Messages.loadMessages('@rensystems/plugin-ren', 'status');

/** A check line named by its message key (`check.<key>`); a passing check has no fix. */
export function statusCheck(key: string, status: CheckStatus, expected: string, actual: string, fix?: string): Check {
  return {
    name: statusMessages.getMessage(`check.${key}`),
    status,
    expected,
    actual,
    fix: status === 'pass' ? undefined : fix,
  };
}
