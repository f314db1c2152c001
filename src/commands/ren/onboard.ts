import '../../shared/compileCache.js';
import { Messages, type Org } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { mergeDefinition, type AppDefinition } from '../../eca/definition.js';
import { accessFlags, appFlags, definitionFromFlags, policyFlags } from '../../eca/flags.js';
import type { OrgOutcome } from '../../onboard/onboardOrg.js';
import type { OnboardTarget } from '../../onboard/targets.js';
import { StageDisplay } from '../../shared/progress.js';
import { waitFlag } from '../../shared/flags.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@rensystems/plugin-ren', 'ren.onboard');

export type RenOnboardResult = {
  /** Every org was onboarded and meets the guide; the exit code is 0 exactly then. */
  ok: boolean;
  /** One entry per org, in the order given. */
  orgs: OrgOutcome[];
};

/** Whether the user named orgs with --target-org/-o (rather than sf filling in the default org). */
const namedOrgs = (argv: string[]): boolean =>
  argv.some((arg) => /^(-o|--target-org)(=|$)/.test(arg) || /^-o./.test(arg));

export default class RenOnboard extends SfCommand<RenOnboardResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');

  public static readonly flags = {
    'target-org': Flags.requiredOrg({
      multiple: true,
      summary: messages.getMessage('flags.target-org.summary'),
      // Static help text, as for every command (see shared/flags.ts).
      defaultHelp: undefined,
    }),
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
    'ren-url': Flags.string({ summary: messages.getMessage('flags.ren-url.summary') }),
    'allow-secret-access': Flags.boolean({ summary: messages.getMessage('flags.allow-secret-access.summary') }),
    'dry-run': Flags.boolean({ summary: messages.getMessage('flags.dry-run.summary') }),
    wait: waitFlag(messages.getMessage('flags.wait.summary')),
  };

  public async run(): Promise<RenOnboardResult> {
    const { flags } = await this.parse(RenOnboard);
    const [
      { onboardOrg, inPool },
      { resolveTargets, handoffFile },
      { readOrgsFile },
      app,
      handoff,
      { renToken },
      { onboardError },
    ] = await Promise.all([
      import('../../onboard/onboardOrg.js'),
      import('../../onboard/targets.js'),
      import('../../onboard/orgsFile.js'),
      import('../../eca/createApp.js'),
      import('../../credentials/handoff.js'),
      import('../../credentials/token.js'),
      import('../../onboard/messages.js'),
    ]);

    // Everything the user gave is checked before any org is contacted.
    const fromFile = await app.definitionFile(flags.definition);
    const base = mergeDefinition(fromFile, definitionFromFlags(flags));
    app.assertValidDefinition(base);
    const entries = flags['orgs-file'] ? await readOrgsFile(flags['orgs-file']) : [];
    const given: Org[] = flags['orgs-file'] && !namedOrgs(this.argv) ? [] : [flags['target-org']].flat();
    const targets = await resolveTargets(given, entries);
    if (flags['output-file'] && targets.length > 1)
      throw onboardError('error.RenOutputFileOneOrg', [String(targets.length)]);
    if (flags['ren-url']) {
      const problem = handoff.renUrlProblem(flags['ren-url']);
      if (problem) throw onboardError('error.RenBadRenUrl', [problem]);
    }
    if (flags['output-file']) await handoff.checkOutputFile(flags['output-file'], true);
    if (flags['output-dir']) await handoff.checkOutputFile(handoffFile(flags['output-dir'], 'check'), true);
    const token =
      flags['ren-url'] && !flags['dry-run']
        ? await renToken(() => this.secretPrompt({ message: messages.getMessage('prompt.token') }))
        : undefined;

    const definitionFor = (target: OnboardTarget): AppDefinition => {
      const def = {
        ...base,
        profiles: target.profiles ?? base.profiles,
        permissionSets: target.permissionSets ?? base.permissionSets,
      };
      app.assertValidDefinition(def);
      return def;
    };
    const progress = await this.startProgress(targets);
    const outcomes = await inPool(targets, flags.concurrency, async (target) => {
      if (!target.org) return unopened(target);
      const outcome = await onboardOrg(target.org, {
        definition: definitionFor(target),
        allowCodeCredentialsFlows: flags['allow-code-credentials-flows'],
        dryRun: flags['dry-run'],
        wait: flags.wait,
        apiVersion: flags['api-version'],
        target: target.name,
        handoff: {
          file:
            flags['output-file'] ?? (flags['output-dir'] ? handoffFile(flags['output-dir'], target.name) : undefined),
          renUrl: flags['ren-url'],
          token,
          force: flags.force,
          allowSecretAccess: flags['allow-secret-access'],
        },
        onStep: (step) => progress.step(target.name, step),
      });
      progress.done(target.name, outcome);
      return outcome;
    });
    progress.finish(outcomes.every((o) => o.ok));
    this.report(outcomes, flags['dry-run']);
    const ok = outcomes.every((o) => o.ok);
    if (!ok) process.exitCode = 1;
    return { ok, orgs: outcomes };
  }

  /** One org: the multi-stage display. Several: a line per org and step (they run at once). */
  private async startProgress(targets: OnboardTarget[]): Promise<{
    step: (org: string, step: string) => void;
    done: (org: string, outcome: OrgOutcome) => void;
    finish: (ok: boolean) => void;
  }> {
    const stages = {
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
        step: (_org, step) => display.goto(stages[step as keyof typeof stages]),
        done: () => undefined,
        finish: (ok) => (ok ? display.finish() : display.fail()),
      };
    }
    const say = (text: string): void => {
      if (!this.jsonEnabled()) this.logToStderr(text);
    };
    return {
      step: (org, step) => say(`${org}: ${stages[step as keyof typeof stages]}`),
      done: (org, outcome) =>
        say(`${org}: ${outcome.ok ? messages.getMessage('line.ok') : messages.getMessage('line.failed')}`),
      finish: () => undefined,
    };
  }

  private report(outcomes: OrgOutcome[], dryRun: boolean): void {
    this.table({
      data: outcomes.map((o) => ({
        Org: o.org,
        App: o.app ? `${o.app.apiName} ${o.app.status}${dryRun ? ' (dry run)' : ''}` : '—',
        Credentials: o.handoff.to.length > 0 ? `${o.handoff.status}: ${o.handoff.to.join(', ')}` : o.handoff.status,
        Ready: o.ready ? readyCell(o.ready) : '—',
        Problem: o.error
          ? errorCell(o.error)
          : (o.ready?.failed.map((f) => `${f.name}: ${f.fix ?? f.actual}`).join('; ') ?? ''),
      })),
    });
    const failed = outcomes.filter((o) => !o.ok).length;
    if (failed === 0) {
      const key = dryRun ? 'result.dryRun' : outcomes.length === 1 ? 'result.okOne' : 'result.ok';
      this.logSuccess(messages.getMessage(key, [String(outcomes.length)]));
    } else this.log(messages.getMessage('result.failed', [String(failed), String(outcomes.length)]));
  }
}

/** An org that could not be opened (e.g. not logged in): its outcome, with sf's error and fix. */
function unopened(target: OnboardTarget): OrgOutcome {
  const error = target.error as Error & { actions?: string[] };
  return {
    org: target.name,
    ok: false,
    handoff: { status: 'not-reached', to: [] },
    error: {
      step: 'create',
      name: error?.name ?? 'Error',
      message: error?.message ?? String(error),
      actions: error?.actions,
    },
  };
}

const readyCell = (ready: NonNullable<OrgOutcome['ready']>): string =>
  ready.ok ? `yes${ready.warnings ? ` (${ready.warnings} warnings)` : ''}` : 'no';

const errorCell = (error: NonNullable<OrgOutcome['error']>): string =>
  `${error.name}: ${error.message.split('\n')[0]}${error.actions?.[0] ? ` → ${error.actions[0]}` : ''}`;
