/*
 * `npm run bench -- --profile`: where a command's time goes, beyond the wall clock. Each command runs once more
 * with a module hook (node:module registerHooks, preloaded with --require) that lists every module it loads, and
 * PROFILE_RUNS times (default 3) with `node --cpu-prof`, of which the run of median length is shown. The CPU profile is split at the command's run() (its first sample inside a
 * `run` function of a commands/ file): before it is sf's start and the command's loading; after it the work
 * and the waits on the org. Time under the module loader counts as loading, V8's compile frames as compiling.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SfSession } from '../../test/e2e/harness.js';
import type { Command } from './timing.js';

type CallFrame = { functionName: string; url: string };
type ProfileNode = { id: number; callFrame: CallFrame; children?: number[] };
type CpuProfile = { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] };

export type Phase = { compile: number; load: number; gc: number; idle: number; other: number };
export type ProfileFigures = {
  label: string;
  totalMs: number;
  /** Empty when the command never reached a run() (help). */
  before: Phase;
  after: Phase;
  reachedRun: boolean;
  modules: Record<Origin, number>;
  /** Module count by package, for the packages the plugin loads from its own node_modules. */
  pluginPackages: Map<string, number>;
  requests: string[];
};

type Origin = 'node' | 'sf' | 'plugin deps' | 'plugin';

const PROFILE_RUNS = Number(process.env.PROFILE_RUNS ?? 3);
const COMPILE = new Set(['wrapSafe', 'compileFunctionForCJSLoader', 'compileSourceTextModule', 'compileFunction']);
const emptyPhase = (): Phase => ({ compile: 0, load: 0, gc: 0, idle: 0, other: 0 });

/** Splits a CPU profile at the command's run() and sorts each sample's time into a kind. */
export function analyzeProfile(profile: CpuProfile): { before: Phase; after: Phase; reachedRun: boolean } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const stackOf = (id: number): CallFrame[] => {
    const frames: CallFrame[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) frames.push(byId.get(at)!.callFrame);
    return frames;
  };
  const before = emptyPhase();
  const after = emptyPhase();
  let reachedRun = false;
  profile.samples.forEach((sample, i) => {
    const ms = profile.timeDeltas[i] / 1000;
    const stack = stackOf(sample);
    if (!reachedRun && stack.some((f) => f.functionName === 'run' && f.url.includes('/commands/'))) reachedRun = true;
    const phase = reachedRun ? after : before;
    const top = stack[0].functionName;
    if (top === '(idle)') phase.idle += ms;
    else if (top === '(garbage collector)') phase.gc += ms;
    else if (stack.some((f) => COMPILE.has(f.functionName))) phase.compile += ms;
    else if (stack.some((f) => f.url.startsWith('node:internal/modules/'))) phase.load += ms;
    else phase.other += ms;
  });
  return { before, after, reachedRun };
}

/** The module hook: every URL the loader loads, written to `<dir>/modules-<pid>.json` when the process exits. */
const moduleHook = (dir: string): string => `
const { registerHooks } = require('node:module');
const loaded = [];
registerHooks({ load(url, context, next) { loaded.push(url); return next(url, context); } });
process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(dir)} + '/modules-' + process.pid + '.json', JSON.stringify(loaded)));
`;

function originOf(url: string, pluginRoot: string): { origin: Origin; pkg?: string } {
  if (url.startsWith('node:')) return { origin: 'node' };
  const path = decodeURIComponent(url.replace(/^file:\/\//, ''));
  const pkg = /.*\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1];
  if (pkg === '@rensystems/plugin-ren') return { origin: 'plugin', pkg };
  return path.startsWith(pluginRoot) ? { origin: 'plugin deps', pkg } : { origin: 'sf', pkg };
}

async function newestFile(dir: string, prefix: string): Promise<string> {
  const names = (await readdir(dir)).filter((n) => n.startsWith(prefix)).sort();
  if (names.length === 0) throw new Error(`nothing written to ${dir} (${prefix}…)`);
  return join(dir, names[names.length - 1]);
}

/** Profiles each command once (after a warm-up run) against the session's org. */
export async function profileCommands(session: SfSession, commands: Command[], dir: string): Promise<ProfileFigures[]> {
  // `sf plugins install` puts the plugin and its dependencies under sf's data folder.
  const pluginRoot = join(session.home, '.local', 'share', 'sf');
  const figures: ProfileFigures[] = [];
  for (const [index, command] of commands.entries()) {
    /** Runs the command; returns the requests the org saw from it (not from its `before`). */
    const run = async (env: NodeJS.ProcessEnv): Promise<string[]> => {
      await command.before?.();
      const from = session.emulator.requests.length;
      const result = await session.sf(command.args, { cwd: command.cwd, env });
      if (result.code !== 0) throw new Error(`${command.label} failed: ${result.stderr || result.stdout}`);
      return session.emulator.requests
        .slice(from)
        .map((r) => `${r.method} ${r.path.replace(/\/v?\d+\.\d+/, '')}${r.soapMethod ? ` ${r.soapMethod}` : ''}`);
    };
    await run({});
    const modulesDir = join(dir, `modules-${index}`);
    await mkdir(modulesDir);
    const hook = join(modulesDir, 'hook.cjs');
    await writeFile(hook, moduleHook(modulesDir));
    const requests = await run({ NODE_OPTIONS: `--require ${hook}` });
    const loaded = JSON.parse(await readFile(await newestFile(modulesDir, 'modules-'), 'utf8')) as string[];
    const modules: Record<Origin, number> = { node: 0, sf: 0, 'plugin deps': 0, plugin: 0 };
    const pluginPackages = new Map<string, number>();
    for (const url of loaded) {
      const { origin, pkg } = originOf(url, pluginRoot);
      modules[origin] += 1;
      if (origin === 'plugin deps' && pkg) pluginPackages.set(pkg, (pluginPackages.get(pkg) ?? 0) + 1);
    }
    const profiles: CpuProfile[] = [];
    for (let i = 0; i < PROFILE_RUNS; i++) {
      const profDir = join(dir, `cpu-${index}-${i}`);
      await run({ NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${profDir}` });
      profiles.push(JSON.parse(await readFile(await newestFile(profDir, 'CPU'), 'utf8')) as CpuProfile);
    }
    const length = (p: CpuProfile): number => p.endTime - p.startTime;
    const profile = profiles.sort((a, b) => length(a) - length(b))[Math.floor(profiles.length / 2)];
    figures.push({
      label: command.label,
      totalMs: (profile.endTime - profile.startTime) / 1000,
      ...analyzeProfile(profile),
      modules,
      pluginPackages,
      requests,
    });
  }
  return figures;
}

const sum = (phase: Phase): number => phase.compile + phase.load + phase.gc + phase.idle + phase.other;

/** Rows for printTable under PROFILE_HEADER. */
export function profileRows(figures: ProfileFigures[]): string[][] {
  return figures.map((f) => [
    f.label,
    f.totalMs.toFixed(0),
    String(f.modules.node),
    String(f.modules.sf),
    String(f.modules['plugin deps'] + f.modules.plugin),
    sum(f.before).toFixed(0),
    f.before.compile.toFixed(0),
    f.before.load.toFixed(0),
    f.before.gc.toFixed(0),
    f.reachedRun ? sum(f.after).toFixed(0) : '',
    f.reachedRun ? (sum(f.after) - f.after.idle).toFixed(0) : '',
    f.reachedRun ? f.after.idle.toFixed(0) : '',
    String(f.requests.length),
  ]);
}

export const PROFILE_HEADER = [
  'command (median profile)',
  'ms',
  'node mods',
  'sf mods',
  'plugin mods',
  'to run()',
  'compile',
  'load',
  'gc',
  'run()',
  'CPU',
  'idle',
  'trips',
];

/** The packages the plugin loads from its own node_modules, most modules first, and each command's requests. */
export function profileDetails(figures: ProfileFigures[]): string[] {
  return figures.flatMap((f) => {
    const top = [...f.pluginPackages.entries()].sort((a, b) => b[1] - a[1]).slice(0, 12);
    return [
      `${f.label}:`,
      ...(top.length > 0 ? [`  plugin's own copies: ${top.map(([pkg, n]) => `${pkg} ${n}`).join(', ')}`] : []),
      ...(f.requests.length > 0 ? [`  requests: ${f.requests.join('; ')}`] : []),
    ];
  });
}
