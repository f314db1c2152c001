/*
 * The CPU a command burns while it waits for a deploy that never finishes (the org answers every status check
 * "InProgress": the emulator's asyncPolls set out of reach). Both commands give up after `--wait 1` (a minute);
 * what they cost meanwhile is the polling and the progress display. The child's CPU time (user + sys) comes from
 * /proc: a shell runs sf and then prints its own /proc/<pid>/stat, whose cutime/cstime fields hold the CPU time of
 * the children it waited for. Output goes to a file, or to a pseudo-terminal (`script`), where the display animates.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sfBin, type SfSession } from '../../test/e2e/harness.js';
import { applyDelay } from './timing.js';

export type StallMode = 'file' | 'pty';
export type StallFigure = { cpuMs: number; wallMs: number };

/** Clock ticks per second of /proc's times (USER_HZ): 100 on every Linux build that matters. */
const TICKS_PER_SECOND = 100;

const quote = (arg: string): string => `'${arg.replace(/'/g, "'\\''")}'`;

function runMeasured(
  session: SfSession,
  args: string[],
  options: { mode: StallMode; dir: string; name: string; cwd: string },
): Promise<StallFigure> {
  const statFile = join(options.dir, `${options.name}.stat`);
  const output = join(options.dir, `${options.name}.out`);
  // `$$` is the measuring shell; sf is its only waited-for child.
  const sf = [sfBin, ...args].map(quote).join(' ');
  const inner =
    options.mode === 'file'
      ? `${sf} >${quote(output)} 2>&1; cat /proc/$$/stat >${quote(statFile)}`
      : `${sf}; cat /proc/$$/stat >${quote(statFile)}`;
  const [command, commandArgs] =
    options.mode === 'file'
      ? ['sh', ['-c', inner]]
      : // script runs the command at a pseudo-terminal and copies what it draws to `output`.
        ['script', ['-qec', `sh -c ${quote(inner)}`, output]];
  const start = process.hrtime.bigint();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, commandArgs, {
      cwd: options.cwd,
      env: { ...session.env, FORCE_COLOR: options.mode === 'pty' ? '1' : '0', COLUMNS: '120', LINES: '40' },
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    child.on('error', reject);
    child.on('close', () => {
      const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
      if (!existsSync(statFile)) {
        reject(new Error(`no CPU figure for ${options.name} (is /proc there? is script installed?)`));
        return;
      }
      // Fields after the command name (which may hold spaces) start at field 3; cutime and cstime are fields 16, 17.
      const stat = readFileSync(statFile, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(fields[16 - 3]) + Number(fields[17 - 3]);
      resolvePromise({ cpuMs: (ticks * 1000) / TICKS_PER_SECOND, wallMs });
    });
    // stdin stays open until sf ends: script ends its session when its input does.
  });
}

export type StallCommands = {
  ren: string[];
  deploy: { args: string[]; cwd: string };
  /** A fresh org whose deploys never finish. */
  stall: () => void;
};

/** CPU and wall time of each command over a deploy that never finishes, for each output mode. */
export async function stalledDeployCpu(
  session: SfSession,
  commands: StallCommands,
  options: { modes: StallMode[]; dir: string; delayMs: number },
): Promise<string[][]> {
  const rows: string[][] = [];
  for (const mode of options.modes) {
    const figures: StallFigure[] = [];
    for (const [name, args, cwd] of [
      ['ren', commands.ren, session.home],
      ['deploy', commands.deploy.args, commands.deploy.cwd],
    ] as Array<[string, string[], string]>) {
      commands.stall();
      applyDelay([session.emulator], options.delayMs);
      figures.push(await runMeasured(session, args, { mode, dir: options.dir, name: `${name}-${mode}`, cwd }));
    }
    const [ren, deploy] = figures;
    rows.push([
      `stalled deploy, output to ${mode === 'file' ? 'a file' : 'a pseudo-terminal'}`,
      ren.cpuMs.toFixed(0),
      (ren.wallMs / 1000).toFixed(0),
      deploy.cpuMs.toFixed(0),
      (deploy.wallMs / 1000).toFixed(0),
      (ren.cpuMs / deploy.cpuMs).toFixed(2),
    ]);
  }
  return rows;
}

export const STALL_HEADER = ['wait', 'ren CPU ms', 'ren s', 'deploy CPU ms', 'deploy s', 'CPU A/B'];
