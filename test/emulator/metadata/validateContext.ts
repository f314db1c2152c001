/**
 * What a semantic check of a component sees (validate.ts, validateEca.ts): the component, the org, the API version,
 * the user, and the rest of the transaction; and the org settings as the transaction leaves them.
 */
import { settingsRecord } from '../org/settings.js';
import type { OrgState } from '../org/state.js';
import type { MdRecord } from './store.js';
import type { MetadataTypeDef } from './types.js';

/** A component arriving in the current transaction (deploy, or one CRUD call). */
export type Incoming = { def: MetadataTypeDef; fullName: string; record: MdRecord };

export type ValidationContext = {
  state: OrgState;
  apiVersion: number;
  userId: string;
  /** Every component of the transaction (including the one validated). */
  incoming: Incoming[];
  /** Components the transaction deletes. */
  deleting?: Array<{ type: string; fullName: string }>;
};

/**
 * Field values of a settings type as an app of the transaction is validated against them. A settings component
 * changes only the fields it carries, and (reading `flowSwitchSameDeploy: 'applies-first'`, the default) settings
 * apply before the app components of the same deploy (deployPlan.ts); with `'validates-first'` the org validates the
 * app against the settings it had before the deploy.
 */
export function settingsAfter(ctx: ValidationContext, def: MetadataTypeDef): MdRecord {
  const stored = settingsRecord(ctx.state.store, def.name);
  if (ctx.state.readings.flowSwitchSameDeploy === 'validates-first') return stored;
  const incoming = ctx.incoming.find((c) => c.def.name === def.name);
  return { ...stored, ...incoming?.record };
}

export function sameName(a: unknown, b: string): boolean {
  return typeof a === 'string' && a.toLowerCase() === b.toLowerCase();
}
