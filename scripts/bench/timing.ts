/*
 * Timing for `npm run bench`: one run of a command, paired runs of two commands (A, B, A, B, … after one
 * warm-up each, so a machine that gets busier or quieter during the bench slows both alike), medians, and a
 * plain-text table.
 */
import type { Emulator } from '../../test/emulator/index.js';
import type { SfResult } from '../../test/e2e/harness.js';

/** Anything that runs `sf` with some arguments: a session of the harness, or one with another plugin build. */
export type SfRunner = {
  /** The orgs the runs reach: their requests are counted (on the first) and each gets the fixed delay. */
  emulators: Emulator[];
  sf(args: string[], opts?: { cwd?: string; env?: NodeJS.ProcessEnv }): Promise<SfResult>;
};

export type Command = {
  label: string;
  args: string[];
  before?: () => void | Promise<void>;
  cwd?: string;
  /** Where it runs; the pair's default runner when not given. */
  runner?: SfRunner;
};
export type Timing = { ms: number[]; roundTrips: number };

/**
 * A fixed delay on every request of every org (the emulator's `delay` fault with no `match`), so the figures
 * hold for an org slower than the emulator. A reset of the emulator drops its faults: call this before each run.
 */
export function applyDelay(emulators: Emulator[], delayMs: number): void {
  if (delayMs <= 0) return;
  for (const emulator of emulators) {
    if (!emulator.faults.list().some((rule) => rule.fault === 'delay'))
      emulator.faults.add({ fault: 'delay', delayMs });
  }
}

export async function once(
  runner: SfRunner,
  command: Command,
  delayMs: number,
): Promise<{ ms: number; roundTrips: number }> {
  const where = command.runner ?? runner;
  await command.before?.();
  applyDelay(where.emulators, delayMs);
  const requests = where.emulators[0].requests.length;
  const start = process.hrtime.bigint();
  const run = await where.sf(command.args, { cwd: command.cwd });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (run.code !== 0) throw new Error(`${command.label} failed: ${run.stderr || run.stdout}`);
  return { ms, roundTrips: where.emulators[0].requests.length - requests };
}

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

export async function pair(
  runner: SfRunner,
  a: Command,
  b: Command,
  options: { runs: number; delayMs: number },
): Promise<[Timing, Timing]> {
  await once(runner, a, options.delayMs);
  await once(runner, b, options.delayMs);
  const ta: Timing = { ms: [], roundTrips: 0 };
  const tb: Timing = { ms: [], roundTrips: 0 };
  for (let i = 0; i < options.runs; i++) {
    const ra = await once(runner, a, options.delayMs);
    const rb = await once(runner, b, options.delayMs);
    ta.ms.push(ra.ms);
    tb.ms.push(rb.ms);
    ta.roundTrips = ra.roundTrips;
    tb.roundTrips = rb.roundTrips;
  }
  return [ta, tb];
}

/** One table row of a pair: name, A, its median and round trips, B, the same, and the ratio of the medians. */
export function pairRow(name: string, a: Command, ta: Timing, b: Command, tb: Timing): string[] {
  return [
    name,
    a.label,
    median(ta.ms).toFixed(0),
    String(ta.roundTrips),
    b.label,
    median(tb.ms).toFixed(0),
    String(tb.roundTrips),
    (median(ta.ms) / median(tb.ms)).toFixed(2),
  ];
}

export const PAIR_HEADER = ['pair', 'A', 'A ms', 'A trips', 'B', 'B ms', 'B trips', 'A/B'];

/** Prints rows under a header, numbers right-aligned (a cell is a number when it parses as one). */
export function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const numeric = (i: number): boolean => rows.length > 0 && rows.every((r) => r[i] === '' || !isNaN(Number(r[i])));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (numeric(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
  console.log(line(header));
  rows.forEach((r) => console.log(line(r)));
}
