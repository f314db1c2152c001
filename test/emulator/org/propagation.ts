/**
 * Propagation: on a real org a new app, and a changed callback URL, take minutes to reach the authorize endpoint
 * (real-org-evidence.md item 7: "5-10 minutes", "~10 min"; a public setup script retries its first login 20 × 30 s).
 * Until the reading `propagationDelayMs` has passed on the org's clock, the authorize endpoint does not know a new
 * app's client id (`invalid_client_id`), and after a callback change it still holds the previous callback: the old
 * URL is accepted and the new one is a `redirect_uri_mismatch`. Apps of the seed have propagated long ago. The token
 * endpoint is not delayed (no report says it is).
 */
import type { Clock } from '../time.js';

type Pending = { createdAt?: number; callback?: { previous: string; at: number } };

export class Propagation {
  /** App fullName (lower case) → what has not propagated yet. */
  private readonly pending = new Map<string, Pending>();

  public constructor(
    private readonly clock: Clock,
    private readonly delayMs: () => number,
  ) {}

  /** The app got its consumer (client id) now. */
  public appCreated(app: string): void {
    this.pending.set(app.toLowerCase(), { createdAt: this.clock.now() });
  }

  /** The app's callback URL changed now; `previous` is the value the authorize endpoint still holds. */
  public callbackChanged(app: string, previous: string): void {
    const entry = this.pending.get(app.toLowerCase()) ?? {};
    // Two changes within the delay: the endpoint still holds the value before the first one.
    const held = entry.callback && this.waiting(entry.callback.at) ? entry.callback.previous : previous;
    this.pending.set(app.toLowerCase(), { ...entry, callback: { previous: held, at: this.clock.now() } });
  }

  /** Everything known now has propagated (a seed's apps). */
  public settle(): void {
    this.pending.clear();
  }

  /** True while a new app's client id has not reached the authorize endpoint. */
  public isNew(app: string): boolean {
    const createdAt = this.pending.get(app.toLowerCase())?.createdAt;
    return createdAt !== undefined && this.waiting(createdAt);
  }

  /** The callback URL value the authorize endpoint holds for the app now. */
  public callbackInEffect(app: string, current: string): string {
    const change = this.pending.get(app.toLowerCase())?.callback;
    return change && this.waiting(change.at) ? change.previous : current;
  }

  private waiting(since: number): boolean {
    return this.clock.now() - since < this.delayMs();
  }
}
