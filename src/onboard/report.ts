/*
 * What `sf ren onboard` shows: one row per org (app, hand-off, readiness, the problem in one line), then the
 * details a row cannot hold: each error in full with its fixes, and the warnings each org counted.
 */
import { Messages } from '@salesforce/core';
import { asGuideLine, changeRows, changeTable } from '../eca/changeRows.js';
import { counted } from '../shared/plural.js';
import type { OrgOutcome } from './onboardOrg.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@rensystems/plugin-ren', 'ren.onboard');

const readyCell = (o: OrgOutcome): string => {
  if (!o.ready) return '—';
  if (o.ready.pending) return 'pending (run again in a few minutes)';
  if (!o.ready.ok) return 'no';
  const warned = o.ready.warnings.length > 0 ? ` (${counted(o.ready.warnings.length, 'warning')})` : '';
  return o.readyForRen ? `yes${warned}` : `set up, not handed off${warned}`;
};

const problemCell = (o: OrgOutcome): string => {
  if (o.error) {
    const more = o.error.message.includes('\n') || (o.error.actions?.length ?? 0) > 0 ? ' (see details)' : '';
    return `${o.error.name}: ${o.error.message.split('\n')[0]}${more}`;
  }
  return o.ready?.failed.map((f) => `${f.name}: ${f.fix ?? f.actual}`).join('; ') ?? '';
};

export function onboardRows(outcomes: OrgOutcome[], dryRun: boolean): Array<Record<string, string>> {
  return outcomes.map((o) => ({
    Org: o.org,
    App: o.app ? appCell(o.app.apiName, o.app.status, dryRun) : '—',
    Credentials: o.handoff.to.length > 0 ? `${o.handoff.status}: ${o.handoff.to.join(', ')}` : o.handoff.status,
    Ready: readyCell(o),
    Problem: problemCell(o),
  }));
}

/** "ren created", or in a dry run "ren would be created (dry run)": nothing was created. */
function appCell(apiName: string, status: string, dryRun: boolean): string {
  if (!dryRun || status === 'unchanged') return `${apiName} ${status}${dryRun ? ' (dry run)' : ''}`;
  return messages.getMessage('table.wouldBe', [apiName, status]);
}

/** The lines under the table: every error whole, with its actions, and the warnings each org counted. */
export function onboardDetails(outcomes: OrgOutcome[]): string[] {
  const lines: string[] = [];
  for (const o of outcomes) {
    if (o.error && (o.error.message.includes('\n') || (o.error.actions?.length ?? 0) > 0)) {
      lines.push(`${o.org}: ${o.error.name}: ${o.error.message}`);
      for (const action of o.error.actions ?? []) lines.push(`  → ${action}`);
    }
    if (o.ready && o.ready.warnings.length > 0) {
      const named = o.ready.warnings.map((w) => `${w.name} (${w.actual})`).join('; ');
      lines.push(messages.getMessage('details.warnings', [o.org, counted(o.ready.warnings.length, 'warning'), named]));
    }
    for (const warning of o.warnings) lines.push(`${o.org}: ${warning}`);
  }
  return lines;
}

export type OrgChanges = { title: string; rows: Array<Record<string, string>>; note?: string };

/**
 * What each org's app run changed (or, in a dry run, would change): a title and the change table's rows, the same
 * rows `sf ren app create` shows. Orgs whose app was unchanged or not reached have none.
 */
export function onboardChanges(outcomes: OrgOutcome[]): OrgChanges[] {
  return outcomes.flatMap((o) => {
    if (!o.app || o.app.status === 'unchanged') return [];
    const rows = changeRows(o.app.changes, o.app.status === 'created');
    const key = o.app.dryRun ? `changes.dryRun.${o.app.status}` : `changes.${o.app.status}`;
    return [
      {
        title: messages.getMessage(key, [o.org, o.app.apiName]),
        rows: changeTable(rows.shown),
        note: asGuideLine(rows),
      },
    ];
  });
}
