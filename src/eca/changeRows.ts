/*
 * The change table a person reads (create, onboard): only the fields that say something. The JSON result keeps
 * every change; the table leaves out what every deploy writes and no one sets (a child's link to its app and its
 * label, isProtected) and, for an app that is new, the settings that are simply the guide's (one line counts them).
 */
import { mergeDefinition } from './definition.js';
import { ecaMessage } from './messages.js';
import { COMPONENT_TYPES, desiredRecords } from './components.js';
import type { FieldChange } from './plan.js';

/** Fields the plugin writes on every component for Salesforce's sake, never set by a user. */
export function isBookkeeping(change: Pick<FieldChange, 'type' | 'field'>): boolean {
  if (change.field === 'externalClientApplication' || change.field === 'isProtected') return true;
  // The app's label is its name in Setup; a child's label is not shown anywhere.
  return change.field === 'label' && change.type !== 'ExternalClientApplication';
}

export type ChangeRows = {
  /** The changes to show, in the result's order. */
  shown: FieldChange[];
  /** New settings left out because they are the guide's own (a created app only). */
  asGuide: number;
};

/**
 * The changes worth a row. For an app that already existed that is every real change; for a new app (`created`),
 * only the settings that differ from Ren's guide (what the user set), since every field of a new app is "new".
 */
export function changeRows(changes: FieldChange[], created: boolean): ChangeRows {
  const real = changes.filter((change) => !isBookkeeping(change));
  if (!created) return { shown: real, asGuide: 0 };
  // Only the bookkeeping field externalClientApplication depends on the app's name, so the guide's own will do.
  const guide = desiredRecords(mergeDefinition());
  const guideValue = (change: FieldChange): unknown => {
    const kind = COMPONENT_TYPES.find((t) => t.type === change.type)?.kind;
    return kind ? guide[kind][change.field] : undefined;
  };
  const shown = real.filter((change) => JSON.stringify(change.after) !== JSON.stringify(guideValue(change)));
  return { shown, asGuide: real.length - shown.length };
}

/** The rows of a change table, `Component | Field | Before | After`. */
export function changeTable(changes: FieldChange[]): Array<Record<string, string>> {
  return changes.map((change) => ({
    Component: `${change.type} ${change.fullName}`,
    Field: change.field,
    Before: showValue(change.before),
    After: showValue(change.after),
  }));
}

export function showValue(value: unknown): string {
  if (value === undefined) return '—';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** The line under a change table that counts the guide's settings it left out, or nothing. */
export function asGuideLine(rows: ChangeRows): string | undefined {
  return rows.asGuide > 0 ? ecaMessage('changes.asGuide', [String(rows.asGuide)]) : undefined;
}
