/**
 * The emulator's clock: real time plus an offset tests can advance (control `POST /__emulator/clock`), so a behaviour
 * that waits minutes or days on a real org (staged credentials valid 30 days, an app's propagation delay) can be
 * tested in milliseconds. Each org has its own clock (OrgState.clock); timestamps are written as Salesforce writes
 * them in metadata and results (ISO 8601, UTC).
 */
export class Clock {
  private offsetMs = 0;

  /** How far the clock has been moved ahead of real time. */
  public get offset(): number {
    return this.offsetMs;
  }

  /** Milliseconds since the epoch, on the emulator's clock. */
  public now(): number {
    return Date.now() + this.offsetMs;
  }

  public nowIso(): string {
    return new Date(this.now()).toISOString();
  }

  /** Moves the clock ahead (never back: Salesforce's clock does not run backwards). */
  public advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new Error('The clock only moves ahead: advanceMs must be a number >= 0');
    this.offsetMs += ms;
  }
}

/** Days in milliseconds. */
export const DAY_MS = 86_400_000;
