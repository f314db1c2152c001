/**
 * OAuth consumers: the client id/secret pair Salesforce generates for an External Client App that gets global OAuth
 * settings, with the staged pairs of a credential rotation. An app has its own consumer (made by its global OAuth
 * settings) and may have more (seeded); apps are found by fullName (case-insensitive).
 */
import { randomBytes } from 'node:crypto';
import { type IdFactory, KeyPrefix } from '../ids.js';
import type { Clock } from '../time.js';

/**
 * A staged credential record (CR-STAGEDR). `state` is what was last done to it: Active (staged, not rotated in) or
 * Rotated (after the rotate, it holds the consumer's previous pair); it reads Expired once its expirationDate has
 * passed on the org's clock (stagedState).
 */
export type StagedCredential = {
  id: string;
  key: string;
  secret: string;
  state: 'Active' | 'Rotated';
  createdById: string;
  createdDate: string;
  expirationDate: string;
};

/** The state a staged record shows at a time: its own, or Expired once its expirationDate has passed. */
export function stagedState(s: StagedCredential, now: number): 'Active' | 'Expired' | 'Rotated' {
  return Date.parse(s.expirationDate) > now ? s.state : 'Expired';
}

/** The OAuth consumer (client id/secret) Salesforce generates for an app's global OAuth settings. */
export type OauthConsumer = {
  id: string;
  appFullName: string;
  /** The consumer's name in the credentials API (the app's name for the consumer its global OAuth settings made). */
  name: string;
  key: string;
  secret: string;
  createdDate: string;
  staged: StagedCredential[];
};

export class Consumers {
  /** ECA fullName (lowercase) → its consumers; the first is the one the app's global OAuth settings made. */
  private readonly byApp = new Map<string, OauthConsumer[]>();

  public constructor(
    private readonly ids: IdFactory,
    private readonly clock: Clock,
  ) {}

  /** The app's own consumer: the one its global OAuth settings made (or the first seeded). */
  public forApp(appFullName: string): OauthConsumer | undefined {
    return this.byApp.get(appFullName.toLowerCase())?.[0];
  }

  /** Every consumer of the app, its own first. */
  public allForApp(appFullName: string): OauthConsumer[] {
    return [...(this.byApp.get(appFullName.toLowerCase()) ?? [])];
  }

  /** The consumer whose current key is `key` (a client_id), if any. */
  public byKey(key: string): OauthConsumer | undefined {
    return this.all().find((c) => c.key === key);
  }

  /** Adds a consumer to an app (generated key and secret unless given). */
  public add(appFullName: string, fields: { name?: string; key?: string; secret?: string } = {}): OauthConsumer {
    const consumer: OauthConsumer = {
      id: this.ids.next(KeyPrefix.OauthConsumer),
      appFullName,
      name: fields.name ?? appFullName,
      key: fields.key ?? makeConsumerKey(),
      secret: fields.secret ?? makeConsumerSecret(),
      createdDate: this.clock.nowIso(),
      staged: [],
    };
    const lower = appFullName.toLowerCase();
    this.byApp.set(lower, [...(this.byApp.get(lower) ?? []), consumer]);
    return consumer;
  }

  /** Removes every consumer of the app. */
  public remove(appFullName: string): void {
    this.byApp.delete(appFullName.toLowerCase());
  }

  public all(): OauthConsumer[] {
    return [...this.byApp.values()].flat();
  }
}

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._';

/** An 85-character consumer key in the shape Salesforce generates (`3MVG9…`). */
export function makeConsumerKey(): string {
  const bytes = randomBytes(80);
  let key = '3MVG9';
  for (const byte of bytes) key += KEY_ALPHABET[byte % KEY_ALPHABET.length];
  return key;
}

/** A consumer secret: 64 hex characters. */
export function makeConsumerSecret(): string {
  return randomBytes(32).toString('hex').toUpperCase();
}
