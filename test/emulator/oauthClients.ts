/**
 * OAuth clients: what a `client_id` (and `client_secret`) names in this org. A client id is the key of an External
 * Client App's consumer; its app's settings (global OAuth settings, app policies, OAuth policies) decide what the
 * client may do. Used by the authorize and token endpoints.
 *
 * Credential pairs a consumer accepts: its current key and secret, and the pair of each of its staged-credential
 * records that has not expired on the org's clock: an Active record (staged, not yet rotated in) and a Rotated one
 * (the previous pair, kept until the record is deleted or 30 days pass). Assumption (README, "Staged credentials"):
 * staging is "dual phase", both pairs work until the staged record is deleted or expires.
 */
import type { StoredComponent } from './metadata/store.js';
import {
  ExternalClientApplication,
  ExtlClntAppConfigurablePolicies,
  ExtlClntAppGlobalOauthSettings,
  ExtlClntAppOauthConfigurablePolicies,
} from './metadata/types.js';
import { type OauthConsumer, stagedState } from './org/consumers.js';
import type { OrgState } from './org/state.js';

export type Pair = { key: string; secret: string };

export type OauthClient = {
  consumer: OauthConsumer;
  /** The key/secret pairs the consumer accepts when the client is looked up (validPairs). */
  pairs: Pair[];
  app: StoredComponent;
  /** The app's ExtlClntAppGlobalOauthSettings record ({} when it has none). */
  global: Record<string, unknown>;
  /** The app's ExtlClntAppConfigurablePolicies record ({} when it has none). */
  policies: Record<string, unknown>;
  /** The app's ExtlClntAppOauthConfigurablePolicies record ({} when it has none). */
  oauthPolicies: Record<string, unknown>;
};

/** The pairs a consumer accepts at a time (see the top of this file). */
export function validPairs(consumer: OauthConsumer, now: number): Pair[] {
  const staged = consumer.staged.filter((s) => stagedState(s, now) !== 'Expired');
  return [{ key: consumer.key, secret: consumer.secret }, ...staged.map((s) => ({ key: s.key, secret: s.secret }))];
}

function recordOf(state: OrgState, type: string, app: string): Record<string, unknown> {
  return state.store.childrenOfApp(type, app)[0]?.record ?? {};
}

/** The client a client_id names, or undefined (Salesforce: invalid_client_id, "client identifier invalid"). */
export function clientById(state: OrgState, clientId: string): OauthClient | undefined {
  if (!clientId) return undefined;
  const now = state.clock.now();
  const consumer = state.consumers.all().find((c) => validPairs(c, now).some((pair) => pair.key === clientId));
  const app = consumer ? state.store.get(ExternalClientApplication.name, consumer.appFullName) : undefined;
  if (!consumer || !app) return undefined;
  return {
    consumer,
    pairs: validPairs(consumer, now),
    app,
    global: recordOf(state, ExtlClntAppGlobalOauthSettings.name, app.fullName),
    policies: recordOf(state, ExtlClntAppConfigurablePolicies.name, app.fullName),
    oauthPolicies: recordOf(state, ExtlClntAppOauthConfigurablePolicies.name, app.fullName),
  };
}

/** True when the secret belongs to the same pair as the client id. */
export function secretMatches(client: OauthClient, clientId: string, secret: string | null | undefined): boolean {
  return Boolean(secret) && client.pairs.some((pair) => pair.key === clientId && pair.secret === secret);
}

/** The callback URLs a callbackUrl value allows (one per line or comma-separated, as the Setup field takes several). */
export function callbackUrls(value: string): string[] {
  return value
    .split(/[\s,]+/)
    .map((url) => url.trim())
    .filter(Boolean);
}

/** The app is switched on (ExtlClntAppConfigurablePolicies.isEnabled, default true). */
export function appEnabled(client: OauthClient): boolean {
  return client.policies.isEnabled !== false;
}

/** The app's OAuth plugin is on (isOauthPluginEnabled, default true) and it has global OAuth settings. */
export function oauthEnabled(client: OauthClient): boolean {
  return client.policies.isOauthPluginEnabled !== false && Object.keys(client.global).length > 0;
}
