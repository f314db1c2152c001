/*
 * `npm run bench`: prints figures, asserts nothing. The plugin is measured as users get it: packed with
 * `npm pack` and installed with `sf plugins install` into a clean sf, against the local org emulator. Each
 * command runs in pairs with the `sf` command it is compared to (A, B, A, B, …, after one warm-up each), and
 * the ratio of the medians is printed with the round trips (HTTP requests the org saw) of each.
 *
 * Options (after `npm run bench --`):
 *   --delay MS        every request the org answers waits MS first (a real org answers in ~100 ms)
 *   --pty             the stalled-deploy CPU figure also at a pseudo-terminal (needs `script`)
 *   --profile         where the time goes: modules loaded, compile/load/run split of a CPU profile (bench/profile.ts)
 *   --variant FILE    another build's tarball, installed in a second sf: its commands paired with this build's
 *   --only LIST       sections to run, of pairs,report,levers,stall,profile,variant (default: pairs,report,levers,
 *                     stall and those asked for)
 * Sections: pairs (the plugin's commands against sf's own), report (20 orgs in one readiness report against one
 * org), levers (the compile cache on against off, in the same sf), stall (CPU of a deploy that never finishes).
 * BENCH_RUNS (default 7) sets the runs of each pair.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { packPlugin, startSfSession, type SfSession } from '../test/e2e/harness.js';
import { PAIR_HEADER, type Command, type SfRunner, onboardArgs, pair, pairRow, printTable } from './bench/timing.js';
import { STALL_HEADER, type StallMode, stalledDeployCpu } from './bench/stall.js';
import { PROFILE_HEADER, profileCommands, profileDetails, profileRows } from './bench/profile.js';
import { reportPair } from './bench/report.js';

const { values: options } = parseArgs({
  options: {
    delay: { type: 'string', default: '0' },
    pty: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    variant: { type: 'string' },
    only: { type: 'string' },
  },
});
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const delayMs = Number(options.delay);
const sections = new Set(
  options.only?.split(',') ?? [
    'pairs',
    'report',
    'levers',
    'stall',
    ...(options.profile ? ['profile'] : []),
    ...(options.variant ? ['variant'] : []),
  ],
);

const runnerOf = (session: SfSession): SfRunner => ({
  sf: (args, opts) => session.sf(args, opts),
  get emulators() {
    return [session.emulator, ...session.others.values()];
  },
});

/** The plugin's own commands in a session: --help, the unchanged re-run and a create in a fresh org. */
function renCommands(session: SfSession, name = ''): Record<'help' | 'unchanged' | 'created', Command> {
  const o = ['--target-org', session.alias];
  const runner = runnerOf(session);
  return {
    help: { label: `sf ren app create --help${name}`, args: ['ren', 'app', 'create', '--help'], runner },
    unchanged: {
      label: `sf ren app create --json (unchanged)${name}`,
      args: ['ren', 'app', 'create', ...o, '--json'],
      runner,
      // The app exists as the command would leave it, in a fresh org.
      before: async () => {
        session.emulator.reset();
        const run = await session.sf(['ren', 'app', 'create', ...o, '--json']);
        if (run.code !== 0) throw new Error(`create failed: ${run.stdout}`);
      },
    },
    created: {
      label: `sf ren app create --json (created)${name}`,
      args: ['ren', 'app', 'create', ...o, '--json'],
      runner,
      before: () => session.emulator.reset(),
    },
  };
}

const packDir = await mkdtemp(join(tmpdir(), 'ren-bench-pack-'));
const packed = await packPlugin(packDir);
const session = await startSfSession({ installTarball: packed.tarball });
const variant =
  sections.has('variant') && options.variant ? await startSfSession({ installTarball: options.variant }) : undefined;
const work = await mkdtemp(join(tmpdir(), 'ren-bench-'));
const pairRows: string[][] = [];
let stallRows: string[][] = [];
const profileLines: string[] = [];
let profileTable: string[][] = [];
try {
  const o = ['--target-org', session.alias];
  const runner = runnerOf(session);
  const ren = renCommands(session);
  /** Times a pair, keeps its row for the table and shows it at once (the table is printed at the end). */
  const runPair = async (name: string, a: Command, b: Command): Promise<void> => {
    const [ta, tb] = await pair(runner, a, b, { runs: RUNS, delayMs });
    pairRows.push(pairRow(name, a, ta, b, tb));
    console.error(pairRows[pairRows.length - 1].join('  '));
  };
  const project = join(work, 'project');
  await mkdir(project);
  await writeFile(
    join(project, 'sfdx-project.json'),
    JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '64.0' }),
  );
  const sourceDir = join(project, 'force-app');
  await session.sf(['ren', 'app', 'create', ...o, '--output-dir', sourceDir]);
  const deploy: Command = {
    label: 'sf project deploy start (same 5)',
    args: ['project', 'deploy', 'start', ...o, '--source-dir', sourceDir, '--json'],
    before: () => session.emulator.reset(),
    cwd: project,
  };
  const display: Command = { label: 'sf org display --json', args: ['org', 'display', ...o, '--json'] };

  if (sections.has('pairs')) {
    // Ten orgs, each its own emulator, for the many-orgs figure.
    const others = Array.from({ length: 9 }, (_, i) => `org${i + 2}`);
    for (const name of others) await session.addOrg(name);
    const handoffDir = join(work, 'handoff');
    await mkdir(handoffDir);
    const freshAll = (): void => {
      session.emulator.reset();
      for (const other of session.others.values()) other.reset();
    };
    const onboard = (orgs: string[], label: string): Command => ({
      label,
      args: onboardArgs(orgs, handoffDir),
      before: freshAll,
    });
    const onboardOne = onboard([session.alias], 'sf ren onboard (1 org, from nothing)');
    const pairs: Array<[string, Command, Command]> = [
      ['load: --help', ren.help, { label: 'sf org display --help', args: ['org', 'display', '--help'] }],
      ['unchanged re-run', ren.unchanged, display],
      ['create (5 components)', ren.created, deploy],
      ['onboard one org', onboardOne, deploy],
      ['onboard ten orgs', onboard([session.alias, ...others], 'sf ren onboard (10 orgs, from nothing)'), onboardOne],
    ];
    for (const [name, a, b] of pairs) {
      await runPair(name, a, b);
    }
  }

  if (sections.has('report')) {
    // Every org of the pairs above, and more up to 20 (scripts/bench/report.ts).
    const [name, a, b] = await reportPair(session, [session.alias, ...session.others.keys()], work);
    await runPair(name, a, b);
  }

  if (sections.has('levers')) {
    // The compile cache (src/shared/compileCache.ts): the same installed build with the cache turned off.
    const uncached: SfRunner = {
      sf: (args, opts) => session.sf(args, { ...opts, env: { ...opts?.env, NODE_DISABLE_COMPILE_CACHE: '1' } }),
      get emulators() {
        return runner.emulators;
      },
    };
    for (const kind of ['help', 'unchanged', 'created'] as const) {
      const off: Command = { ...ren[kind], label: `${ren[kind].label} [no compile cache]`, runner: uncached };
      await runPair(`lever: compile cache, ${kind}`, ren[kind], off);
    }
  }

  if (variant) {
    const other = renCommands(variant, ' [variant]');
    for (const kind of ['help', 'unchanged', 'created'] as const) {
      await runPair(`this build vs variant: ${kind}`, ren[kind], other[kind]);
    }
  }

  if (sections.has('stall')) {
    const modes: StallMode[] = options.pty ? ['file', 'pty'] : ['file'];
    stallRows = await stalledDeployCpu(
      session,
      {
        ren: ['ren', 'app', 'create', ...o, '--wait', '1'],
        deploy: { args: ['project', 'deploy', 'start', ...o, '--source-dir', sourceDir, '--wait', '1'], cwd: project },
        // A status check never says done: the emulator answers "InProgress" a million times.
        stall: () => session.emulator.reset({ asyncPolls: 1_000_000 }),
      },
      { modes, dir: work, delayMs },
    );
  }

  if (sections.has('profile')) {
    const figures = await profileCommands(
      session,
      [display, ren.unchanged, { label: 'sf org display --help', args: ['org', 'display', '--help'] }, ren.help],
      work,
    );
    profileTable = profileRows(figures);
    profileLines.push(...profileDetails(figures));
  }
} finally {
  await session.close();
  await variant?.close();
  await rm(packDir, { recursive: true, force: true });
  await rm(work, { recursive: true, force: true });
}

const version = packed.tarball.replace(/.*plugin-ren-/, '').replace('.tgz', '');
console.log(
  `plugin-ren ${version}, installed from its npm tarball; ${RUNS} paired runs each (median)` +
    `; every request delayed ${delayMs} ms`,
);
if (pairRows.length > 0) printTable(PAIR_HEADER, pairRows);
if (stallRows.length > 0) {
  console.log('\nCPU while a deploy never finishes (`--wait 1`: both give up after a minute), one run each');
  printTable(STALL_HEADER, stallRows);
}
if (profileTable.length > 0) {
  console.log('\nProfiled (ms of the CPU profile; to run() = sf start + command load; run() = CPU + idle)');
  printTable(PROFILE_HEADER, profileTable);
  profileLines.forEach((line) => console.log(line));
}
