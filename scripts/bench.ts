/*
 * `npm run bench`: prints figures, asserts nothing. The plugin is measured as users get it: packed with
 * `npm pack` and installed with `sf plugins install` into a clean sf, against the local org emulator. Each
 * command runs in pairs with the `sf` command it is compared to (A, B, A, B, …, after one warm-up each), and
 * the ratio of the medians is printed with the round trips (HTTP requests the org saw) of each.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packPlugin, startSfSession, type SfSession } from '../test/e2e/harness.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);

type Command = { label: string; args: string[]; before?: () => void | Promise<void>; cwd?: string };
type Timing = { ms: number[]; roundTrips: number };

async function once(session: SfSession, command: Command): Promise<{ ms: number; roundTrips: number }> {
  await command.before?.();
  const requests = session.emulator.requests.length;
  const start = process.hrtime.bigint();
  const run = await session.sf(command.args, { cwd: command.cwd });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (run.code !== 0) throw new Error(`${command.label} failed: ${run.stderr || run.stdout}`);
  return { ms, roundTrips: session.emulator.requests.length - requests };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

async function pair(session: SfSession, a: Command, b: Command): Promise<[Timing, Timing]> {
  await once(session, a);
  await once(session, b);
  const ta: Timing = { ms: [], roundTrips: 0 };
  const tb: Timing = { ms: [], roundTrips: 0 };
  for (let i = 0; i < RUNS; i++) {
    // eslint-disable-next-line no-await-in-loop
    const ra = await once(session, a);
    // eslint-disable-next-line no-await-in-loop
    const rb = await once(session, b);
    ta.ms.push(ra.ms);
    tb.ms.push(rb.ms);
    ta.roundTrips = ra.roundTrips;
    tb.roundTrips = rb.roundTrips;
  }
  return [ta, tb];
}

const packDir = await mkdtemp(join(tmpdir(), 'ren-bench-pack-'));
const packed = await packPlugin(packDir);
const session = await startSfSession({ installTarball: packed.tarball });
const rows: string[][] = [];
try {
  const o = ['--target-org', session.alias];
  const project = await mkdtemp(join(tmpdir(), 'ren-bench-'));
  await writeFile(
    join(project, 'sfdx-project.json'),
    JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '64.0' }),
  );
  const sourceDir = join(project, 'force-app');
  await session.sf(['ren', 'app', 'create', ...o, '--output-dir', sourceDir]);
  // A fresh org each time: the app is created again.
  const fresh = (): void => session.emulator.reset();
  const created = async (): Promise<void> => {
    const run = await session.sf(['ren', 'app', 'create', ...o, '--json']);
    if (run.code !== 0) throw new Error(`create failed: ${run.stdout}`);
  };

  // Ten orgs, each its own emulator, for the many-orgs figure.
  const others = Array.from({ length: 9 }, (_, i) => `org${i + 2}`);
  for (const name of others) {
    // eslint-disable-next-line no-await-in-loop
    await session.addOrg(name);
  }
  const handoffDir = await mkdtemp(join(tmpdir(), 'ren-bench-handoff-'));
  const freshAll = (): void => {
    session.emulator.reset();
    for (const other of session.others.values()) other.reset();
  };
  const onboardArgs = (orgs: string[]): string[] => [
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

  const pairs: Array<[string, Command, Command]> = [
    [
      'load: --help',
      { label: 'sf ren app create --help', args: ['ren', 'app', 'create', '--help'] },
      { label: 'sf org display --help', args: ['org', 'display', '--help'] },
    ],
    [
      'unchanged re-run',
      {
        label: 'sf ren app create --json (unchanged)',
        args: ['ren', 'app', 'create', ...o, '--json'],
        before: created,
      },
      { label: 'sf org display --json', args: ['org', 'display', ...o, '--json'] },
    ],
    [
      'create (5 components)',
      { label: 'sf ren app create --json (created)', args: ['ren', 'app', 'create', ...o, '--json'], before: fresh },
      {
        label: 'sf project deploy start (same 5)',
        args: ['project', 'deploy', 'start', ...o, '--source-dir', sourceDir, '--json'],
        before: fresh,
        cwd: project,
      },
    ],
    [
      'onboard one org',
      { label: 'sf ren onboard (1 org, from nothing)', args: onboardArgs([session.alias]), before: freshAll },
      {
        label: 'sf project deploy start (same 5)',
        args: ['project', 'deploy', 'start', ...o, '--source-dir', sourceDir, '--json'],
        before: fresh,
        cwd: project,
      },
    ],
    [
      'onboard ten orgs',
      {
        label: 'sf ren onboard (10 orgs, from nothing)',
        args: onboardArgs([session.alias, ...others]),
        before: freshAll,
      },
      { label: 'sf ren onboard (1 org, from nothing)', args: onboardArgs([session.alias]), before: freshAll },
    ],
  ];
  for (const [name, a, b] of pairs) {
    // eslint-disable-next-line no-await-in-loop
    const [ta, tb] = await pair(session, a, b);
    rows.push([
      name,
      a.label,
      median(ta.ms).toFixed(0),
      String(ta.roundTrips),
      b.label,
      median(tb.ms).toFixed(0),
      String(tb.roundTrips),
      (median(ta.ms) / median(tb.ms)).toFixed(2),
    ]);
  }
  await rm(project, { recursive: true, force: true });
  await rm(handoffDir, { recursive: true, force: true });
} finally {
  await session.close();
  await rm(packDir, { recursive: true, force: true });
}

console.log(
  `plugin-ren ${packed.tarball.replace(/.*plugin-ren-/, '').replace('.tgz', '')}, installed from its npm tarball; ${RUNS} paired runs each (median)`,
);
const header = ['pair', 'A', 'A ms', 'A trips', 'B', 'B ms', 'B trips', 'A/B'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells: string[]): string =>
  cells.map((c, i) => (i >= 2 && i !== 4 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
console.log(line(header));
rows.forEach((r) => console.log(line(r)));
