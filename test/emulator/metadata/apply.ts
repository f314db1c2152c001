/**
 * Writing validated components to the org's metadata store, with what Salesforce generates on the way: the app's
 * `orgScopedExternalApp`, the OAuth consumer (key and secret) of an app with global OAuth settings, the `oauthLink`
 * of its OAuth settings, and key/secret rotation. Also what a write would report without writing (checkOnly).
 * The org stores OAuth scopes folded (scopes.ts), and the OAuth policies' access lists as SetupEntityAccess rows
 * (grants.ts). A new consumer and a callback change start their way to the authorize endpoint (propagation.ts).
 * Deletes are the store's (store.ts); the policy records Salesforce generates for an app that has none come after a
 * whole transaction (defaultPolicies.ts).
 */
import { makeConsumerKey, makeConsumerSecret } from '../org/consumers.js';
import type { OrgState } from '../org/state.js';
import { applyGrants, withoutGrants } from './grants.js';
import { foldScopes } from './scopes.js';
import type { MdRecord } from './store.js';
import {
  type MetadataTypeDef,
  ExternalClientApplication,
  ExtlClntAppGlobalOauthSettings,
  ExtlClntAppOauthConfigurablePolicies,
  ExtlClntAppOauthSettings,
} from './types.js';

export type ApplyOutcome = { created: boolean; changed: boolean; id: string };

/**
 * Stores a component (a deploy or upsert replaces the whole record; settings merge field by field, as settings
 * deploys only change the fields they name). Generated fields are kept from the stored record.
 */
export function applyComponent(
  state: OrgState,
  def: MetadataTypeDef,
  fullName: string,
  incoming: MdRecord,
  userId: string,
  options: { rotate: boolean },
): ApplyOutcome {
  const existing = state.store.get(def.name, fullName);
  let record: MdRecord =
    def.settingsFullName && existing ? { ...existing.record, ...incoming } : asStored(def, incoming);
  for (const [name, field] of Object.entries(def.fields)) {
    if (field.generated && existing?.record[name] !== undefined && record[name] === undefined) {
      record[name] = existing.record[name];
    }
  }
  const side = sideEffects(state, def, record, existing?.record, {
    rotate: options.rotate,
    keySent: incoming.consumerKey !== undefined,
  });
  record = side.record;
  const changed = existing ? side.changed || !sameRecord(existing.record, record, def) : false;
  const stored =
    existing && !changed
      ? existing
      : state.store.put(def.name, existing?.fullName ?? fullName, record, userId).component;
  const appName =
    def === ExternalClientApplication ? stored.fullName : def.parentField ? String(record[def.parentField]) : undefined;
  if (appName !== undefined) refreshGenerated(state, appName);
  return { created: !existing, changed, id: stored.id };
}

/**
 * What a write does beside storing the record: global OAuth settings carry the consumer (withConsumer) and a changed
 * callback starts its way to the authorize endpoint; OAuth policies keep their access lists as grants (grants.ts).
 * Returns the record to store and whether the side effects changed anything.
 */
function sideEffects(
  state: OrgState,
  def: MetadataTypeDef,
  record: MdRecord,
  stored: MdRecord | undefined,
  options: { rotate: boolean; keySent: boolean },
): { record: MdRecord; changed: boolean } {
  if (def === ExtlClntAppGlobalOauthSettings) {
    const out = withConsumer(state, record, stored, options);
    if (stored && stored.callbackUrl !== out.record.callbackUrl)
      state.propagation.callbackChanged(String(record.externalClientApplication), String(stored.callbackUrl ?? ''));
    return { record: out.record, changed: out.rotated };
  }
  if (def === ExtlClntAppOauthConfigurablePolicies)
    return { record: withoutGrants(record), changed: applyGrants(state, record, { dryRun: false }) };
  return { record, changed: false };
}

/**
 * Global OAuth settings carry the app's consumer: created on first save (with the client's key when it supplies one,
 * as orgs accept: real-org-evidence.md "also seen"), rotated when asked (the rotate switches act once, so the stored
 * record keeps them off), its key copied into the record; the secret is never stored in it. A later save without
 * `consumerKey` keeps the key, or under the reading `globalOauthWithoutKey: 'new-key'` gets a new key and secret.
 */
function withConsumer(
  state: OrgState,
  incoming: MdRecord,
  stored: MdRecord | undefined,
  { rotate, keySent }: { rotate: boolean; keySent: boolean },
): { record: MdRecord; rotated: boolean } {
  // The secret is never stored in the record (validation refuses a supplied one).
  const record = { ...incoming };
  delete record.consumerSecret;
  const appName = String(record.externalClientApplication);
  const supplied = typeof record.consumerKey === 'string' ? record.consumerKey : undefined;
  let consumer = state.consumers.forApp(appName);
  if (!consumer) {
    consumer = state.consumers.add(appName, { key: supplied });
    state.propagation.appCreated(appName);
  }
  // (the record already carries the stored key when the client sent none: keySent tells them apart)
  const newPair = stored !== undefined && !keySent && state.readings.globalOauthWithoutKey === 'new-key';
  const rotateKey = (rotate && record.shouldRotateConsumerKey === true) || newPair;
  const rotateSecret = (rotate && record.shouldRotateConsumerSecret === true) || newPair;
  if (rotateKey) consumer.key = makeConsumerKey();
  if (rotateSecret) consumer.secret = makeConsumerSecret();
  return {
    record: { ...record, consumerKey: consumer.key, shouldRotateConsumerKey: false, shouldRotateConsumerSecret: false },
    rotated: rotateKey || rotateSecret,
  };
}

/** Recomputes the generated fields of an app's components. */
export function refreshGenerated(state: OrgState, appName: string): void {
  const app = state.store.get(ExternalClientApplication.name, appName);
  if (app && app.record.orgScopedExternalApp === undefined) {
    app.record.orgScopedExternalApp = `${state.organization.Id.slice(0, 15)}:${app.fullName}`;
  }
  const link = oauthLinkFor(state, appName);
  for (const settings of state.store.childrenOfApp(ExtlClntAppOauthSettings.name, appName)) {
    if (link) settings.record.oauthLink = link;
  }
  const consumer = state.consumers.forApp(appName);
  for (const global of state.store.childrenOfApp(ExtlClntAppGlobalOauthSettings.name, appName)) {
    if (consumer) global.record.consumerKey = consumer.key;
  }
}

/** `oauthLink` is generated from the org id and consumer id; a supplied value must match it [D H-NEWGLOBAL]. */
export function oauthLinkFor(state: OrgState, appName: string): string | undefined {
  const consumer = state.consumers.forApp(appName);
  return consumer ? `${state.organization.Id.slice(0, 15)}:${consumer.id.slice(0, 15)}` : undefined;
}

/** What applying a component would report, without changing the org (checkOnly). */
export function previewComponent(
  state: OrgState,
  def: MetadataTypeDef,
  fullName: string,
  record: MdRecord,
): { created: boolean; changed: boolean; id?: string } {
  const existing = state.store.get(def.name, fullName);
  if (!existing) return { created: true, changed: false };
  const merged = def.settingsFullName ? { ...existing.record, ...record } : asStored(def, record);
  if (def === ExtlClntAppOauthConfigurablePolicies) {
    const grantsChange = applyGrants(state, merged, { dryRun: true });
    return {
      created: false,
      changed: grantsChange || !sameRecord(existing.record, withoutGrants(merged), def),
      id: existing.id,
    };
  }
  return { created: false, changed: !sameRecord(existing.record, merged, def), id: existing.id };
}

/** A record as the org stores it: OAuth scopes folded into the scopes that cover them. */
function asStored(def: MetadataTypeDef, incoming: MdRecord): MdRecord {
  const scopes = incoming.commaSeparatedOauthScopes;
  if (def !== ExtlClntAppOauthSettings || typeof scopes !== 'string') return { ...incoming };
  return { ...incoming, commaSeparatedOauthScopes: foldScopes(scopes) };
}

/** Compares a stored record with an incoming one, ignoring fields Salesforce generates. */
export function sameRecord(stored: MdRecord, incoming: MdRecord, def: MetadataTypeDef): boolean {
  const keys = new Set([...Object.keys(stored), ...Object.keys(incoming)]);
  for (const key of keys) {
    if (def.fields[key]?.generated && !(key in incoming)) continue;
    if (key === 'shouldRotateConsumerKey' || key === 'shouldRotateConsumerSecret') {
      if ((stored[key] ?? false) !== (incoming[key] ?? false)) return false;
      continue;
    }
    if (JSON.stringify(stored[key]) !== JSON.stringify(incoming[key])) return false;
  }
  return true;
}
