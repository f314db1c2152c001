import { Messages, type Org } from '@salesforce/core';
import { Duration } from '@salesforce/kit';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { targetOrgFlag } from '../../../shared/flags.js';
import { CHECK_TABLE, type Check, checkRows, countByStatus } from '../../../shared/checks.js';
import { guideFlags, guideFromFlags, setupCommandFor } from '../../../connectedApp/flags.js';
import { type OpenOutcome, openSetupPage } from '../../../connectedApp/open.js';
import type { SetupPages } from '../../../connectedApp/policies.js';
import {
  type InstallGuide,
  setupConnectedApp,
  type SetupOutcome,
  type SetupStage,
} from '../../../connectedApp/setup.js';
import { restoreLeftovers } from '../../../credentials/pendingRestore.js';
import { toRenError } from '../../../shared/errors.js';
import { StageDisplay } from '../../../shared/progress.js';
import { targetName } from '../../../shared/target.js';
import { splitList } from '../../../shared/lists.js';
import { printTable } from '../../../shared/table.js';
import { counted } from '../../../shared/plural.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@rensystems/plugin-ren', 'ren.connected-app.setup');

export type RenConnectedAppSetupResult = Omit<SetupOutcome, 'verification'> & {
  /** What --open did with each page it opened. */
  opened: Array<{ page: string; outcome: OpenOutcome }>;
  setupPages: SetupPages;
  /** True when no verification check failed (settings no API shows are not counted). */
  ok: boolean;
  checks: Check[];
};

/** The stages, shown in three displays: reading, waiting for the Install click (only when needed), the rest. */
const PHASES: ReadonlyArray<readonly SetupStage[]> = [['read'], ['wait'], ['policies', 'preauthorize', 'verify']];

export default class RenConnectedAppSetup extends SfCommand<RenConnectedAppSetupResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');

  public static readonly flags = {
    'target-org': targetOrgFlag,
    'api-version': Flags.orgApiVersion(),
    ...guideFlags,
    remove: Flags.string({ summary: messages.getMessage('flags.remove.summary'), multiple: true }),
    // No default value on purpose: it is applied in run(), so the help stays static (see shared/flags.ts).
    // eslint-disable-next-line sf-plugin/flag-min-max-default
    wait: Flags.duration({
      unit: 'minutes',
      min: 0,
      summary: messages.getMessage('flags.wait.summary'),
      defaultHelp: undefined,
    }),
    open: Flags.boolean({ summary: messages.getMessage('flags.open.summary') }),
  };

  private display?: StageDisplay;
  private readonly opened: RenConnectedAppSetupResult['opened'] = [];

  public async run(): Promise<RenConnectedAppSetupResult> {
    const { flags } = await this.parse(RenConnectedAppSetup);
    // The default (10 minutes) is applied here so the flag's help stays static (see shared/flags.ts).
    const wait = flags.wait ?? Duration.minutes(10);
    const org = flags['target-org'];
    const target = await targetName(org);
    const def = await guideFromFlags(flags);
    const remove = splitList(flags.remove);
    const conn = org.getConnection(flags['api-version']);
    let outcome: SetupOutcome;
    try {
      // A setting an interrupted run of this plugin left open is put back first.
      (await restoreLeftovers(conn, org.getOrgId())).forEach((warning) => this.warn(warning));
      outcome = await setupConnectedApp(
        conn,
        {
          definition: def,
          remove,
          timeoutMs: wait.milliseconds,
          target,
          setupCommand: setupCommandFor(target, def, flags),
        },
        {
          onStage: (stage) => this.stage(stage, def.name, target, wait.minutes),
          onNotInstalled: (guide) => this.guideInstall(guide, org, flags.open),
          onPoll: (p) =>
            this.display?.update({
              elapsed: `${Math.round(p.elapsedMs / 1000)}s of ${wait.minutes}m`,
              checks: String(p.checks),
              used: p.stage === 'never-used' ? 'not yet' : 'yes',
            }),
        },
      );
      this.display?.finish();
    } catch (error) {
      this.display?.fail();
      throw toRenError(error, target);
    }
    const pages = outcome.verification.setupPages;
    if (flags.open && outcome.policies.manualSteps.length + outcome.policies.checkByHand.length > 0)
      await this.openPage(org, pages.manageApps);
    this.report(outcome, target);
    const { verification, ...rest } = outcome;
    if (!verification.ok) process.exitCode = 1;
    return { ...rest, opened: this.opened, setupPages: pages, ok: verification.ok, checks: verification.checks };
  }

  /** Moves the display to a stage, starting the display of its phase when the stage opens one. */
  private async stage(stage: SetupStage, name: string, target: string, waitMinutes: number): Promise<void> {
    const phase = PHASES.find((p) => p.includes(stage))!;
    if (phase[0] === stage) {
      this.display?.finish();
      this.display = await StageDisplay.start({
        title: messages.getMessage(`title.${phase[0]}`, [name, counted(waitMinutes, 'minute')]),
        stages: phase.map((s) => messages.getMessage(`stage.${s}`)),
        jsonEnabled: this.jsonEnabled(),
        info: { Org: target, App: name },
        stageInfo:
          stage === 'wait'
            ? [
                { stage: messages.getMessage('stage.wait'), label: 'Elapsed', key: 'elapsed' },
                { stage: messages.getMessage('stage.wait'), label: 'Checks', key: 'checks' },
                { stage: messages.getMessage('stage.wait'), label: 'Used in the org', key: 'used' },
              ]
            : undefined,
      });
    }
    this.display?.goto(messages.getMessage(`stage.${stage}`));
  }

  /** The app is not installed: never used first, then the exact page and click; --open opens it. */
  private async guideInstall(guide: InstallGuide, org: Org, open: boolean): Promise<void> {
    this.display?.finish();
    this.display = undefined;
    const say = (text: string): void => {
      if (this.jsonEnabled()) this.warn(text);
      else this.log(text);
    };
    if (guide.stage === 'never-used') {
      const lookAlikes =
        guide.suggestions.length > 0
          ? ' ' + messages.getMessage('guide.lookAlikes', [guide.suggestions.map((s) => `"${s}"`).join(', ')])
          : '';
      say(messages.getMessage('guide.neverUsed', [guide.name, guide.firstLogin]) + lookAlikes);
    }
    say(messages.getMessage('guide.install', [guide.installStep]));
    if (open) await this.openPage(org, guide.pages.oauthUsage);
  }

  private async openPage(org: Org, page: string): Promise<void> {
    const { outcome, problem } = await openSetupPage(org, page);
    this.opened.push({ page, outcome });
    if (outcome === 'opened') this.log(messages.getMessage('open.opened', [page]));
    else if (outcome === 'container-mode') this.log(messages.getMessage('open.containerMode', [page]));
    else this.warn(messages.getMessage('open.failed', [page, problem ?? '']));
  }

  private report(outcome: SetupOutcome, target: string): void {
    outcome.warnings.forEach((w) => this.warn(w));
    const waited = outcome.waited ? ' ' + messages.getMessage('result.waited', [String(outcome.waited.seconds)]) : '';
    this.logSuccess(
      messages.getMessage(outcome.status === 'updated' ? 'result.updated' : 'result.unchanged', [
        outcome.name,
        target,
      ]) + waited,
    );
    const { policies, preauthorization } = outcome;
    if (policies.changes.length > 0) {
      printTable(
        this,
        policies.changes.map((c) => ({ Setting: c.setting, Before: c.before, After: c.after })),
      );
    }
    if (preauthorization.added.length + preauthorization.removed.length > 0) {
      this.log(
        messages.getMessage('result.preauthorized', [
          preauthorization.added.join(', ') || '—',
          preauthorization.removed.join(', ') || '—',
        ]),
      );
    }
    for (const [key, steps] of [
      ['result.manual', policies.manualSteps],
      ['result.checkByHand', policies.checkByHand],
    ] as const) {
      if (steps.length === 0) continue;
      this.log(messages.getMessage(key));
      steps.forEach((step, i) => this.log(`  ${i + 1}. ${step}`));
    }
    printTable(this, checkRows(outcome.verification.checks), CHECK_TABLE);
    const counts = countByStatus(outcome.verification.checks);
    if (outcome.verification.ok) this.log(messages.getMessage('result.ok', [counted(counts.unverified, 'setting')]));
    else this.log(messages.getMessage('result.notOk', [counted(counts.fail, 'check')]));
  }
}
