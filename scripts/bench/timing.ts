/*
 * Timing for `npm run bench`: one run of a command, paired runs of two commands (A, B, A, B, … after one
 * warm-up each, so a machine that gets busier or quieter during the bench slows both alike), medians, and a
 * plain-text table.
 */
import { existsSync, readFileSync } from 'node:fs';
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
export type Timing = { ms: number[]; cpuMs: number[]; roundTrips: number };

/** `sf ren onboard` of these orgs from nothing, as the bench runs it: a hand-off file each into `handoffDir`. */
export function onboardArgs(orgs: string[], handoffDir: string): string[] {
  return [
    'ren',
    'onboard',
    ...orgs.flatMap((org) => ['--target-org', org]),
    '--profile',
    'Sales',
    '--output-dir',
    handoffDir,
    '--allow-secret-access',
    '--force',
    '--concurrency',
    '10',
    '--json',
  ];
}

/**
 * CPU time (user + sys, ms) of this process's children that have ended, from /proc/self/stat (cutime, cstime,
 * in ticks of 1/100 s); undefined where there is no /proc. sf runs one child at a time and the emulator runs in
 * this process, so the difference across a run is that run's CPU time, which a busy machine inflates far
 * less than wall time.
 */
export function childrenCpuMs(): number | undefined {
  if (!existsSync('/proc/self/stat')) return undefined;
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[16 - 3]) + Number(fields[17 - 3])) * 10;
}

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
): Promise<{ ms: number; cpuMs: number; roundTrips: number }> {
  const where = command.runner ?? runner;
  await command.before?.();
  applyDelay(where.emulators, delayMs);
  const requests = where.emulators[0].requests.length;
  const cpuBefore = childrenCpuMs() ?? NaN;
  const start = process.hrtime.bigint();
  const run = await where.sf(command.args, { cwd: command.cwd });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const cpuMs = (childrenCpuMs() ?? NaN) - cpuBefore;
  if (run.code !== 0) throw new Error(`${command.label} failed: ${run.stderr || run.stdout}`);
  return { ms, cpuMs, roundTrips: where.emulators[0].requests.length - requests };
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
  const ta: Timing = { ms: [], cpuMs: [], roundTrips: 0 };
  const tb: Timing = { ms: [], cpuMs: [], roundTrips: 0 };
  for (let i = 0; i < options.runs; i++) {
    const ra = await once(runner, a, options.delayMs);
    const rb = await once(runner, b, options.delayMs);
    ta.ms.push(ra.ms);
    tb.ms.push(rb.ms);
    ta.cpuMs.push(ra.cpuMs);
    tb.cpuMs.push(rb.cpuMs);
    ta.roundTrips = ra.roundTrips;
    tb.roundTrips = rb.roundTrips;
  }
  return [ta, tb];
}

/** One table row of a pair: name, then A and B (median wall ms, median CPU ms, round trips), then the ratios. */
export function pairRow(name: string, a: Command, ta: Timing, b: Command, tb: Timing): string[] {
  return [
    name,
    a.label,
    median(ta.ms).toFixed(0),
    median(ta.cpuMs).toFixed(0),
    String(ta.roundTrips),
    b.label,
    median(tb.ms).toFixed(0),
    median(tb.cpuMs).toFixed(0),
    String(tb.roundTrips),
    (median(ta.ms) / median(tb.ms)).toFixed(2),
    (median(ta.cpuMs) / median(tb.cpuMs)).toFixed(2),
  ];
}

export const PAIR_HEADER = ['pair', 'A', 'A ms', 'A CPU', 'A trips', 'B', 'B ms', 'B CPU', 'B trips', 'A/B', 'CPU A/B'];

/** Prints rows under a header, numbers right-aligned (a cell is a number when it parses as one). */
export function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const numeric = (i: number): boolean => rows.length > 0 && rows.every((r) => r[i] === '' || !isNaN(Number(r[i])));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (numeric(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
  console.log(line(header));
  rows.forEach((r) => console.log(line(r)));
}
