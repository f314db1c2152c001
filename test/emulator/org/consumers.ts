/**
 * OAuth consumers: the client id/secret pair Salesforce generates for an External Client App that gets global OAuth
 * settings, with the staged pairs of a credential rotation. One consumer per app, found by the app's fullName
 * (case-insensitive).
 */
import { randomBytes } from 'node:crypto';
import { type IdFactory, KeyPrefix } from '../ids.js';
import { nowIso } from '../time.js';

export type StagedCredential = {
  id: string;
  key: string;
  secret: string;
  state: 'Active' | 'Expired' | 'Rotated';
  createdById: string;
  createdDate: string;
  expirationDate: string;
};

/** The OAuth consumer (client id/secret) Salesforce generates for an app's global OAuth settings. */
export type OauthConsumer = {
  id: string;
  appFullName: string;
  key: string;
  secret: string;
  createdDate: string;
  staged: StagedCredential[];
};

export class Consumers {
  /** ECA fullName (lowercase) → consumer. */
  private readonly byApp = new Map<string, OauthConsumer>();

  public constructor(private readonly ids: IdFactory) {}

  public forApp(appFullName: string): OauthConsumer | undefined {
    return this.byApp.get(appFullName.toLowerCase());
  }

  /** The consumer of an app, created (with a generated key and secret) when the app gets OAuth settings. */
  public ensure(appFullName: string): OauthConsumer {
    const existing = this.forApp(appFullName);
    if (existing) return existing;
    const consumer: OauthConsumer = {
      id: this.ids.next(KeyPrefix.OauthConsumer),
      appFullName,
      key: makeConsumerKey(),
      secret: makeConsumerSecret(),
      createdDate: nowIso(),
      staged: [],
    };
    this.byApp.set(appFullName.toLowerCase(), consumer);
    return consumer;
  }

  public remove(appFullName: string): void {
    this.byApp.delete(appFullName.toLowerCase());
  }

  public all(): OauthConsumer[] {
    return [...this.byApp.values()];
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
