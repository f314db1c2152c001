/*
 * The CPU a command burns while it waits for a deploy that never finishes (the org answers every status check
 * "InProgress": the emulator's asyncPolls set out of reach). Both commands give up after `--wait 1` (a minute);
 * what they cost meanwhile is the polling and the progress display. CPU time (user + sys) is that of the ended
 * children (timing.ts, childrenCpuMs). Output goes to a file, or to a pseudo-terminal (`script`), where the display
 * animates.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { sfBin, type SfSession } from '../../test/e2e/harness.js';
import { applyDelay, childrenCpuMs } from './timing.js';

export type StallMode = 'file' | 'pty';
export type StallFigure = { cpuMs: number; wallMs: number };

const quote = (arg: string): string => `'${arg.replace(/'/g, "'\\''")}'`;

function runMeasured(
  session: SfSession,
  args: string[],
  options: { mode: StallMode; output: string; cwd: string },
): Promise<StallFigure> {
  const sf = [sfBin, ...args].map(quote).join(' ');
  const [command, commandArgs] =
    options.mode === 'file'
      ? ['sh', ['-c', `${sf} >${quote(options.output)} 2>&1`]]
      : // script runs the command at a pseudo-terminal and copies what it draws to the output file. Without a
        // terminal of its own script's has no size (0 columns), which no real terminal has: give it one.
        ['script', ['-qec', `stty cols 120 rows 40; exec ${sf}`, options.output]];
  const cpuBefore = childrenCpuMs() ?? NaN;
  const start = process.hrtime.bigint();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, commandArgs, {
      cwd: options.cwd,
      // No COLUMNS/LINES: a CI job that logs to a file has none either.
      env: { ...session.env, FORCE_COLOR: options.mode === 'pty' ? '1' : '0' },
      // stdin stays open until sf ends: script ends its session when its input does.
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    child.on('error', reject);
    child.on('close', () =>
      resolvePromise({
        cpuMs: (childrenCpuMs() ?? NaN) - cpuBefore,
        wallMs: Number(process.hrtime.bigint() - start) / 1e6,
      }),
    );
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
      figures.push(await runMeasured(session, args, { mode, output: join(options.dir, `${name}-${mode}.out`), cwd }));
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
