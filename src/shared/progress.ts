/*
 * A small wrapper over @oclif/multi-stage-output, the progress display of the official plugins, and the one place
 * that decides how progress is shown:
 * - with --json nothing is drawn and nothing is loaded: the library pulls in React/ink, which a script's run (and
 *   `--help`) should not pay for;
 * - with no terminal (a pipe, a file, a CI log), plain stage lines (stageLines.ts), never a redraw;
 * - at a terminal, the library's display at a modest rate: its elapsed-time counters tick every second instead of
 *   every millisecond (the library's default 'ms' unit sets a 1 ms timer), and its spinners turn at 130 ms.
 * A display still drawing when the interrupt guard ends the process is stopped first (stopDisplays), so that the
 * spinner is not left frozen on screen and the cursor comes back.
 */
import type { MultiStageOutput } from '@oclif/multi-stage-output';
import { type FinalStatus, StageLines } from './stageLines.js';

export type StageDisplayOptions = {
  title: string;
  stages: string[];
  jsonEnabled: boolean;
  info?: Record<string, string>;
  /** Lines shown under one stage while it runs, from the data given to update() (e.g. a wait's elapsed time). */
  stageInfo?: Array<{ stage: string; label: string; key: string }>;
};

export type ProgressMode = 'none' | 'lines' | 'redraw';

/** How progress is shown: nothing with --json, stage lines with no terminal (or a dumb one), else the display. */
export function progressMode(
  jsonEnabled: boolean,
  stdout: { isTTY?: boolean } = process.stdout,
  env: NodeJS.ProcessEnv = process.env,
): ProgressMode {
  if (jsonEnabled) return 'none';
  if (!stdout.isTTY || env.TERM === 'dumb') return 'lines';
  return 'redraw';
}

/** The library's icons with a space after them (`✔ Creating`, as sf prints), and the slower spinners. */
const DESIGN = {
  icons: {
    completed: { paddingRight: 1 },
    current: { paddingRight: 1 },
    failed: { paddingRight: 1 },
    pending: { paddingRight: 1 },
    skipped: { paddingRight: 1 },
    warning: { paddingRight: 1 },
  },
  spinners: { stage: 'line', info: 'line' },
} as const;

/** What StageDisplay needs of an output: the library's MultiStageOutput, or StageLines. */
type Output = {
  goto(stage: string): void;
  skipTo(stage: string): void;
  updateData(data: Record<string, string>): void;
  stop(status: FinalStatus): void;
};

/** Displays still drawing, to stop when the process is ended from outside (stopDisplays). */
const active = new Set<Output>();

/** Stops every display still drawing, marking its stage stopped: the interrupt guard calls it before it exits. */
export function stopDisplays(): void {
  for (const output of active) output.stop('aborted');
  active.clear();
}

export class StageDisplay {
  private constructor(private readonly output?: Output) {
    if (output) active.add(output);
  }

  public static async start(options: StageDisplayOptions): Promise<StageDisplay> {
    const mode = progressMode(options.jsonEnabled);
    if (mode === 'none') return new StageDisplay();
    const info = options.info ?? {};
    if (mode === 'lines') return new StageDisplay(new StageLines({ ...options, info }));
    const { MultiStageOutput: Output } = await import('@oclif/multi-stage-output');
    return new StageDisplay(
      new Output<Record<string, string>>({
        title: options.title,
        stages: options.stages,
        jsonEnabled: false,
        timerUnit: 's',
        design: DESIGN,
        preStagesBlock: Object.keys(info).map((label) => ({
          type: 'static-key-value' as const,
          label,
          get: () => info[label],
        })),
        stageSpecificBlock: options.stageInfo?.map(({ stage, label, key }) => ({
          type: 'dynamic-key-value' as const,
          stage,
          label,
          get: (data?: Record<string, string>) => data?.[key],
        })),
      }) satisfies MultiStageOutput<Record<string, string>>,
    );
  }

  public goto(stage: string): void {
    this.output?.goto(stage);
  }

  /** Moves to a later stage, marking the ones in between as skipped. */
  public skipTo(stage: string): void {
    this.output?.skipTo(stage);
  }

  /** New values for the stage lines (stageInfo keys). */
  public update(data: Record<string, string>): void {
    this.output?.updateData(data);
  }

  public finish(): void {
    this.end('completed');
  }

  /**
   * Finishes with the stages from `stage` on shown as skipped (not ✔): a dry run that stops before its last steps,
   * or a step the user asked to leave out.
   */
  public finishSkipping(stage: string): void {
    if (this.output instanceof StageLines) {
      this.output.skipRest(stage);
    } else {
      this.output?.skipTo(stage);
      (this.output as unknown as MultiStageOutput<Record<string, string>> | undefined)?.stop('skipped');
    }
    if (this.output) active.delete(this.output);
  }

  /**
   * Runs a command's work under the display: on success it moves to the `last` stage (marking the stages in
   * between skipped when `skipped(result)` says nothing was done there) and finishes; on failure it marks the
   * display failed and passes the error on.
   */
  public async around<T>(
    work: () => Promise<T>,
    last?: { stage: string; skipped?: (result: T) => boolean },
  ): Promise<T> {
    try {
      const result = await work();
      if (last && last.skipped?.(result)) this.skipTo(last.stage);
      else if (last) this.goto(last.stage);
      this.finish();
      return result;
    } catch (error) {
      this.fail();
      throw error;
    }
  }

  public fail(): void {
    this.end('failed');
  }

  private end(status: FinalStatus): void {
    if (!this.output) return;
    active.delete(this.output);
    this.output.stop(status);
  }
}
