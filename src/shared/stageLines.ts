/*
 * Progress with no terminal (a pipe, a file, a CI log): one line per stage as it starts, one at the end, and the
 * stage's figures (a wait's elapsed time) at most every INFO_EVERY_MS. Nothing is redrawn: a redrawing display
 * writes every frame into the log (the whole display, tens of times a second) and burnt more CPU waiting than the
 * wait itself.
 */
import { Messages } from '@salesforce/core';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@rensystems/plugin-ren', 'progress');

/** How often a waiting stage's figures are printed again: often enough to show life in a CI log, rarely enough to read. */
export const INFO_EVERY_MS = 30_000;

export type FinalStatus = 'completed' | 'failed' | 'aborted';

export type StageLinesOptions = {
  title: string;
  stages: string[];
  info: Record<string, string>;
  stageInfo?: Array<{ stage: string; label: string; key: string }>;
  write?: (line: string) => void;
  now?: () => number;
};

export class StageLines {
  private current = -1;
  private stopped = false;
  private lastInfoAt = -Infinity;
  private lastInfo = '';
  private readonly started: number;
  private readonly write: (line: string) => void;
  private readonly now: () => number;

  public constructor(private readonly options: StageLinesOptions) {
    this.write = options.write ?? ((line): boolean => process.stdout.write(`${line}\n`));
    this.now = options.now ?? Date.now;
    this.started = this.now();
    this.write(options.title);
    for (const [label, value] of Object.entries(options.info)) this.write(`  ${label}: ${value}`);
  }

  public goto(stage: string): void {
    this.move(stage, false);
  }

  public skipTo(stage: string): void {
    this.move(stage, true);
  }

  public updateData(data: Record<string, string>): void {
    if (this.stopped) return;
    const stage = this.options.stages[this.current];
    const parts = (this.options.stageInfo ?? [])
      .filter((i) => i.stage === stage && data[i.key] !== undefined)
      .map((i) => `${i.label}: ${data[i.key]}`);
    const line = parts.join(', ');
    if (line === '' || line === this.lastInfo || this.now() - this.lastInfoAt < INFO_EVERY_MS) return;
    this.lastInfo = line;
    this.lastInfoAt = this.now();
    this.write(`  ${line}`);
  }

  public stop(status: FinalStatus): void {
    if (this.stopped) return;
    this.stopped = true;
    const stage = this.options.stages[Math.max(0, this.current)];
    const seconds = `${((this.now() - this.started) / 1000).toFixed(1)}s`;
    const key = status === 'completed' ? 'done' : status === 'failed' ? 'failed' : 'stopped';
    this.write(messages.getMessage(key, [status === 'completed' ? this.options.title : stage, seconds]));
  }

  /**
   * The run ends early (a dry run's last steps, a step the user left out): every stage not reached yet says it was
   * skipped, then the run is done. `stage` must be one of the stages (as for skipTo).
   */
  public skipRest(stage: string): void {
    if (this.stopped || !this.options.stages.includes(stage)) return;
    for (const left of this.options.stages.slice(this.current + 1)) this.write(messages.getMessage('skipped', [left]));
    this.current = this.options.stages.length - 1;
    this.stop('completed');
  }

  /** Like @oclif/multi-stage-output: unknown stages and going back are ignored; `skip` marks the ones passed over. */
  private move(stage: string, skip: boolean): void {
    const index = this.options.stages.indexOf(stage);
    if (this.stopped || index < 0 || index <= this.current) return;
    if (skip)
      for (const passed of this.options.stages.slice(this.current + 1, index))
        this.write(messages.getMessage('skipped', [passed]));
    this.current = index;
    this.lastInfoAt = -Infinity;
    this.write(messages.getMessage('stage', [stage]));
  }
}
