/*
 * Decides what a run must deploy: compares the records the definition asks for with the org's current
 * ones. A deploy replaces a whole record (docs/salesforce.md §1.10), so a changed component is sent in
 * full, keeping the fields the definition does not manage; an unchanged one is not sent at all.
 */
import { splitList } from '../shared/lists.js';
import { canonicalScope, type AppDefinition } from './definition.js';
import {
  COMPONENT_TYPES,
  type Component,
  type ComponentKind,
  type MetadataRecord,
  type MetadataValue,
  componentType,
  desiredRecords,
} from './components.js';
import { type ExistingApp, type ExistingComponent } from './orgApp.js';

export type FieldChange = {
  type: string;
  fullName: string;
  field: string;
  before?: MetadataValue;
  after?: MetadataValue;
};

export type AppStatus = 'created' | 'updated' | 'unchanged';

export type AppPlan = {
  status: AppStatus;
  /** Every component of the app as it should be (what --output-dir writes). */
  components: Component[];
  /** The components whose records differ from the org's: what the deploy carries. */
  toDeploy: Component[];
  changes: FieldChange[];
};

export type PlanOptions = {
  /** 'add' (default) keeps the profiles/permission sets the org already pre-authorizes; 'replace' sets them exactly. */
  preauthorization?: 'add' | 'replace';
  /** Only these components may change (default: all five); the others are left as the org has them. */
  kinds?: ComponentKind[];
};

/** Fields the definition fully controls: when it leaves them out they are removed, not kept. */
const CONTROLLED_WHEN_ABSENT: Partial<Record<ComponentKind, string[]>> = {
  policies: ['startUrl'],
  oauthPolicies: ['refreshTokenValidityPeriod', 'refreshTokenValidityUnit'],
};

/** What Salesforce assumes for a field a record leaves out, where the type's doc says so. */
const IMPLIED_WHEN_ABSENT: Partial<Record<ComponentKind, MetadataRecord>> = {
  app: { isProtected: false },
};

/** How the org stores an item of a list field: scopes fold into the scope that covers them. */
const LIST_ITEM_AS_STORED: Record<string, (item: string) => string> = {
  commaSeparatedOauthScopes: canonicalScope,
};

export function sameValue(
  kind: ComponentKind,
  field: string,
  a: MetadataValue | undefined,
  b: MetadataValue | undefined,
): boolean {
  if (componentType(kind).lists.includes(field)) {
    const stored = LIST_ITEM_AS_STORED[field] ?? ((item: string): string => item);
    const asSet = (value: MetadataValue | undefined): Set<string> =>
      new Set(splitList(typeof value === 'string' ? value : undefined).map(stored));
    const setA = asSet(a);
    const setB = asSet(b);
    return setA.size === setB.size && [...setA].every((item) => setB.has(item));
  }
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The record's fields in the order to write them: a record read from the org keeps the org's order (fields
 * the plugin does not know included), and a field it lacks goes where alphabetical order puts it, as a
 * retrieve lists them. A new record is alphabetical.
 */
function inOrgOrder(record: MetadataRecord, orgOrder: string[]): MetadataRecord {
  const order = orgOrder.filter((field) => field in record);
  for (const field of Object.keys(record).sort()) {
    if (order.includes(field)) continue;
    const before = order.findIndex((existing) => existing.localeCompare(field) > 0);
    order.splice(before === -1 ? order.length : before, 0, field);
  }
  return Object.fromEntries(order.map((field) => [field, record[field]]));
}

function unionList(current: MetadataValue | undefined, wanted: MetadataValue | undefined): string | undefined {
  const items = [...new Set([...splitList(current as string | undefined), ...splitList(wanted as string | undefined)])];
  return items.length > 0 ? items.join(', ') : undefined;
}

function targetRecord(
  kind: ComponentKind,
  desired: MetadataRecord,
  existing: ExistingComponent | undefined,
  options: PlanOptions,
): MetadataRecord {
  const t = componentType(kind);
  const record: MetadataRecord = {};
  // Keep what the org has and we don't manage (e.g. trusted IP ranges an admin added), minus the
  // fields Salesforce generates and the ones the definition controls outright.
  for (const [field, value] of Object.entries(existing?.record ?? {})) {
    if (t.generated.includes(field) || (CONTROLLED_WHEN_ABSENT[kind] ?? []).includes(field)) continue;
    record[field] = value;
  }
  Object.assign(record, desired);
  // A redeploy of the global OAuth settings carries the org's current consumer key, so the org cannot take the
  // deploy for a request of a new one (docs/salesforce.md §10.6).
  // The secret is never sent.
  const currentKey = existing?.record.consumerKey;
  if (kind === 'globalOauth' && typeof currentKey === 'string' && currentKey) record.consumerKey = currentKey;
  if (kind === 'oauthPolicies') {
    // Pre-authorized profiles/permission sets: what the org has plus what is asked for, unless replacing.
    for (const field of ['commaSeparatedProfile', 'commaSeparatedPermissionSet']) {
      const kept = options.preauthorization === 'replace' ? undefined : existing?.record[field];
      const merged = unionList(kept, desired[field]);
      if (merged === undefined) delete record[field];
      else record[field] = merged;
    }
  }
  return inOrgOrder(record, Object.keys(existing?.record ?? {}));
}

function fieldChanges(kind: ComponentKind, component: Component, before: MetadataRecord | undefined): FieldChange[] {
  const t = componentType(kind);
  const implied = IMPLIED_WHEN_ABSENT[kind] ?? {};
  const fields = new Set([...Object.keys(component.record), ...Object.keys(before ?? {})]);
  const changes: FieldChange[] = [];
  for (const field of [...fields].sort()) {
    if (t.generated.includes(field) || t.actions.includes(field)) continue;
    const after = component.record[field];
    const previous = before ? (before[field] ?? implied[field]) : undefined;
    const next = after ?? implied[field];
    if (before && sameValue(kind, field, previous, next)) continue;
    if (!before && after === undefined) continue;
    changes.push({ type: component.type, fullName: component.fullName, field, before: previous, after: next });
  }
  return changes;
}

export function planApp(def: AppDefinition, existing: ExistingApp, options: PlanOptions = {}): AppPlan {
  const desired = desiredRecords(def);
  const appName = existing.app?.fullName ?? def.apiName;
  const components: Component[] = [];
  const toDeploy: Component[] = [];
  const changes: FieldChange[] = [];

  for (const t of COMPONENT_TYPES) {
    const current = t.kind === 'app' ? existing.app : existing.children[t.kind as Exclude<ComponentKind, 'app'>];
    const fullName = current?.fullName ?? t.defaultName(appName);
    const wanted: MetadataRecord = { ...desired[t.kind] };
    if (t.kind !== 'app') {
      // Children point at the app by its name as the org spells it, and keep the org's own label.
      wanted.externalClientApplication = appName;
      wanted.label = (current?.record.label as string | undefined) ?? fullName;
    }
    const component: Component = {
      kind: t.kind,
      type: t.type,
      fullName,
      record: targetRecord(t.kind, wanted, current, options),
    };
    components.push(component);
    if (options.kinds && !options.kinds.includes(t.kind)) continue;
    const componentChanges = fieldChanges(t.kind, component, current?.record);
    if (!current || componentChanges.length > 0) {
      toDeploy.push(component);
      changes.push(...componentChanges);
    }
  }

  const status: AppStatus = !existing.app ? 'created' : toDeploy.length > 0 ? 'updated' : 'unchanged';
  return { status, components, toDeploy, changes };
}
