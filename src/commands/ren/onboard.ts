import { Messages } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { type FlagPair, sfCommand } from '../../shared/commandLine.js';
import { checkHandoffInput } from '../../credentials/handoffInput.js';
import { HANDOFF_FORMATS } from '../../credentials/payload.js';
import { mergeDefinition } from '../../eca/definition.js';
import { accessFlags, appFlags, definitionFromFlags, fieldLabeller, policyFlags } from '../../eca/flags.js';
import { definitionFile, assertValidDefinition } from '../../eca/validate.js';
import { orgTargetFlag } from '../../onboard/flags.js';
import { onboardError } from '../../onboard/messages.js';
import { inPool, notRunOutcome, onboardOrg, type OnboardStep, type OrgOutcome } from '../../onboard/onboardOrg.js';
import { readOrgsFile } from '../../onboard/orgsFile.js';
import { onboardChanges, onboardDetails, onboardRows } from '../../onboard/report.js';
import {
  defaultOrgTarget,
  firstName,
  type OnboardTarget,
  type OrgTarget,
  resolveTargets,
} from '../../onboard/targets.js';
import { EXIT } from '../../shared/exitCodes.js';
import { waitFlag } from '../../shared/flags.js';
import { StageDisplay } from '../../shared/progress.js';
import { printTable } from '../../shared/table.js';
import { counted } from '../../shared/plural.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@rensystems/plugin-ren', 'ren.onboard');

export type RenOnboardResult = {
  /** Every org did every step asked and meets the guide; the exit code is 0 exactly then. */
  ok: boolean;
  /** One entry per org, in the order given. */
  orgs: OrgOutcome[];
};

export default class RenOnboard extends SfCommand<RenOnboardResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');

  public static readonly flags = {
    'target-org': orgTargetFlag({ summary: messages.getMessage('flags.target-org.summary') }),
    'api-version': Flags.orgApiVersion(),
    'orgs-file': Flags.file({ summary: messages.getMessage('flags.orgs-file.summary'), exists: true }),
    concurrency: Flags.integer({
      summary: messages.getMessage('flags.concurrency.summary'),
      default: 4,
      min: 1,
      max: 16,
    }),
    definition: Flags.file({ summary: messages.getMessage('flags.definition.summary'), exists: true }),
    ...appFlags,
    ...policyFlags,
    ...accessFlags,
    'allow-code-credentials-flows': Flags.boolean({
      summary: messages.getMessage('flags.allow-code-credentials-flows.summary'),
    }),
    'output-file': Flags.string({
      summary: messages.getMessage('flags.output-file.summary'),
      exclusive: ['output-dir'],
    }),
    'output-dir': Flags.directory({
      summary: messages.getMessage('flags.output-dir.summary'),
      exclusive: ['output-file'],
    }),
    force: Flags.boolean({ summary: messages.getMessage('flags.force.summary') }),
    'ren-url': Flags.url({ summary: messages.getMessage('flags.ren-url.summary') }),
    'handoff-command': Flags.string({
      summary: messages.getMessage('flags.handoff-command.summary'),
      description: messages.getMessage('flags.handoff-command.description'),
    }),
    'handoff-format': Flags.option({
      summary: messages.getMessage('flags.handoff-format.summary'),
      description: messages.getMessage('flags.handoff-format.description'),
      options: HANDOFF_FORMATS,
      dependsOn: ['handoff-command'],
    })(),
    'skip-handoff': Flags.boolean({
      summary: messages.getMessage('flags.skip-handoff.summary'),
      exclusive: ['output-file', 'output-dir', 'ren-url', 'handoff-command'],
    }),
    'allow-secret-access': Flags.boolean({ summary: messages.getMessage('flags.allow-secret-access.summary') }),
    'dry-run': Flags.boolean({ summary: messages.getMessage('flags.dry-run.summary') }),
    wait: waitFlag(messages.getMessage('flags.wait.summary')),
    'probe-wait': Flags.integer({ summary: messages.getMessage('flags.probe-wait.summary'), min: 0, default: 5 }),
  };

  public async run(): Promise<RenOnboardResult> {
    const { flags } = await this.parse(RenOnboard);
    // Everything the user gave is checked before any org is contacted.
    const fromFile = await definitionFile(flags.definition);
    const base = mergeDefinition(fromFile, definitionFromFlags(flags));
    assertValidDefinition(base, { label: fieldLabeller(flags, fromFile, flags.definition) });
    const entries = flags['orgs-file'] ? await readOrgsFile(flags['orgs-file']) : [];
    const named = flags['target-org'] ?? (entries.length > 0 ? [] : [await this.defaultOrg()]);
    const handoff = await checkHandoffInput(
      {
        outputFile: flags['output-file'],
        outputDir: flags['output-dir'],
        renUrl: flags['ren-url']?.href,
        command: flags['handoff-command'],
        format: flags['handoff-format'],
        force: flags.force,
        otherWay: flags['skip-handoff'],
        targets: messages.getMessage('handoffTargets'),
        dryRun: flags['dry-run'],
      },
      () => this.secretPrompt({ message: messages.getMessage('prompt.token') }),
      // An existing file is judged per org, against the org's current pair.
      { existingFileAllowed: true },
    );
    const targets = await resolveTargets(named, entries, { base, outputDir: handoff.dir });
    if (handoff.file && targets.length > 1) {
      throw onboardError('error.RenOutputFileOneOrg', [String(targets.length)]);
    }

    // A dry run hands nothing off and checks nothing; --skip-handoff hands nothing off: those stages show as skipped.
    const progress = await this.startProgress(targets, {
      handoff: flags['dry-run'] || flags['skip-handoff'],
      status: flags['dry-run'],
    });
    // Each program's output (masked), shown once the display is done: orgs run at once, their blocks stay whole.
    const programOutput: string[] = [];
    const outcomes = await inPool(targets, flags.concurrency, async (target) => {
      if (!target.org || !target.definition) return notRunOutcome(target.name, target.error);
      const outcome = await onboardOrg(target.org, {
        definition: target.definition,
        allowCodeCredentialsFlows: flags['allow-code-credentials-flows'],
        dryRun: flags['dry-run'],
        wait: flags.wait,
        apiVersion: flags['api-version'],
        target: target.name,
        definitionFile: flags.definition,
        probeWaitMs: flags['probe-wait'] * 60_000,
        handoff: {
          file: handoff.file ?? target.file,
          renUrl: handoff.renUrl,
          token: handoff.token,
          command: handoff.command && { ...handoff.command, onOutput: (lines) => programOutput.push(...lines) },
          force: flags.force,
          allowSecretAccess: flags['allow-secret-access'],
          skip: flags['skip-handoff'],
        },
        onStep: (step) => progress.step(target.name, step),
      });
      progress.done(target.name, outcome);
      return outcome;
    });
    const ok = outcomes.every((o) => o.ok);
    progress.finish(ok);
    programOutput.forEach((line) => this.log(line));
    this.report(outcomes, flags['dry-run']);
    // Failed beats pending: 69 only when nothing failed and some org is not done yet.
    const pending = outcomes.some((o) => o.ready?.pending);
    if (!ok) process.exitCode = outcomes.every((o) => o.ok || o.ready?.pending) && pending ? EXIT.notYet : EXIT.failed;
    return { ok, orgs: outcomes };
  }

  /** The default org, as every sf command takes it when no org is named; a clear error when there is none. */
  private async defaultOrg(): Promise<OrgTarget> {
    const name = this.configAggregator.getPropertyValue<string>('target-org');
    return defaultOrgTarget(name, () => onboardError('error.RenNoOrgs'));
  }

  /** One org: the multi-stage display. Several: a line per org and step on stderr (they run at once). */
  private async startProgress(
    targets: OnboardTarget[],
    skipped: { handoff: boolean; status: boolean },
  ): Promise<{
    step: (org: string, step: OnboardStep) => void;
    done: (org: string, outcome: OrgOutcome) => void;
    finish: (ok: boolean) => void;
  }> {
    const stages: Record<string, string> = {
      create: messages.getMessage('stage.create'),
      handoff: messages.getMessage('stage.handoff'),
      status: messages.getMessage('stage.status'),
    };
    if (targets.length === 1 && !this.jsonEnabled()) {
      const display = await StageDisplay.start({
        title: messages.getMessage('title'),
        stages: Object.values(stages),
        jsonEnabled: false,
        info: { Org: targets[0].name },
      });
      return {
        step: (_org, step): void => {
          if (step === 'handoff' && skipped.handoff) return;
          if (step === 'status' && skipped.handoff) display.skipTo(stages.status);
          else display.goto(stages[step]);
        },
        done: () => undefined,
        finish: (ok): void => {
          if (!ok) display.fail();
          else if (skipped.status) display.finishSkipping(stages.status);
          else display.finish();
        },
      };
    }
    const logLine = (text: string): void => {
      if (!this.jsonEnabled()) this.logToStderr(text);
    };
    return {
      step: (org, step): void => {
        if (step !== 'handoff' || !skipped.handoff) logLine(`${org}: ${stages[step]}`);
      },
      done: (org, outcome) =>
        logLine(`${org}: ${outcome.ok ? messages.getMessage('line.ok') : messages.getMessage('line.failed')}`),
      finish: () => undefined,
    };
  }

  private report(outcomes: OrgOutcome[], dryRun: boolean): void {
    printTable(this, onboardRows(outcomes, dryRun), { whole: ['Credentials', 'Problem'], key: 'Org' });
    // What each org's app got (or would get): the same change rows as `sf ren app create`.
    for (const changes of onboardChanges(outcomes)) {
      this.log(`\n${changes.title}`);
      if (changes.rows.length > 0) printTable(this, changes.rows);
      if (changes.note) this.log(changes.note);
    }
    const details = onboardDetails(outcomes);
    if (details.length > 0) {
      this.log(`\n${messages.getMessage('details.title')}`);
      details.forEach((line) => this.log(line));
    }
    const failed = outcomes.filter((o) => !o.ok).length;
    const skipped = outcomes.filter((o) => o.ok && o.handoff.status === 'skipped').length;
    if (failed > 0) this.log(messages.getMessage('result.failed', [String(failed), counted(outcomes.length, 'org')]));
    else if (dryRun) this.logSuccess(messages.getMessage('result.dryRun', [counted(outcomes.length, 'org')]));
    else if (skipped > 0)
      this.log(messages.getMessage('result.skipped', [String(skipped), counted(outcomes.length, 'org')]));
    else {
      this.logSuccess(
        messages.getMessage(outcomes.length === 1 ? 'result.okOne' : 'result.ok', [String(outcomes.length)]),
      );
      const report = sfCommand('ren report', [
        ...outcomes.map((o): FlagPair => ['--target-org', firstName(o.org)]),
        ['--output-file', 'readiness.html'],
      ]);
      this.log(messages.getMessage('result.next', [report]));
    }
  }
}
