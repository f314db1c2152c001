/*
 * A small wrapper over @oclif/multi-stage-output, the progress display of the official plugins.
 * With --json nothing is drawn and nothing is loaded: the library pulls in React/ink, which a script's
 * run (and `--help`) should not pay for.
 */
import type { MultiStageOutput } from '@oclif/multi-stage-output';

export type StageDisplayOptions = {
  title: string;
  stages: string[];
  jsonEnabled: boolean;
  info?: Record<string, string>;
  /** Lines shown under one stage while it runs, from the data given to update() (e.g. a wait's elapsed time). */
  stageInfo?: Array<{ stage: string; label: string; key: string }>;
};

export class StageDisplay {
  private constructor(private readonly output?: MultiStageOutput<Record<string, string>>) {}

  public static async start(options: StageDisplayOptions): Promise<StageDisplay> {
    if (options.jsonEnabled) return new StageDisplay();
    const { MultiStageOutput: Output } = await import('@oclif/multi-stage-output');
    const info = options.info ?? {};
    return new StageDisplay(
      new Output<Record<string, string>>({
        title: options.title,
        stages: options.stages,
        jsonEnabled: false,
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
      }),
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
    this.output?.stop('completed');
  }

  /**
   * Finishes with the stages from `stage` on shown as skipped (not ✔): a dry run that stops before its last steps,
   * or a step the user asked to leave out.
   */
  public finishSkipping(stage: string): void {
    this.output?.skipTo(stage);
    this.output?.stop('skipped');
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
    this.output?.error();
  }
}
