import { Messages } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { appFlag, sfCommand } from '../../../shared/commandLine.js';
import { restoreLeftovers } from '../../../credentials/pendingRestore.js';
import {
  type Preauthorization,
  type PreauthorizeResult,
  emptyNameFlags,
  preauthorizeApp,
  requestProblems,
} from '../../../eca/preauthorize.js';
import type { FieldChange } from '../../../eca/plan.js';
import {
  accessFlags,
  definitionFromFlags,
  IP_RELAXATION_FLAG,
  PERMITTED_USERS_FLAG,
  policyFlags,
  REFRESH_TOKEN_POLICY_FLAG,
  toFlag,
} from '../../../eca/flags.js';
import { splitList } from '../../../shared/lists.js';
import { withNamedErrors } from '../../../shared/errors.js';
import { StageDisplay } from '../../../shared/progress.js';
import { targetName } from '../../../shared/target.js';
import { targetOrgFlag, waitFlag } from '../../../shared/flags.js';
import { printTable } from '../../../shared/table.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@rensystems/plugin-ren', 'ren.app.preauthorize');

export type RenAppPreauthorizeResult = Preauthorization & {
  app: string;
  status: 'updated' | 'unchanged';
  /** The pre-authorization and policies before the run. */
  before: Preauthorization;
  changes: FieldChange[];
  deployId?: string;
  dryRun: boolean;
};

export default class RenAppPreauthorize extends SfCommand<RenAppPreauthorizeResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');

  public static readonly flags = {
    'target-org': targetOrgFlag,
    'api-version': Flags.orgApiVersion(),
    app: Flags.string({ char: 'a', summary: messages.getMessage('flags.app.summary'), default: 'ren' }),
    ...accessFlags,
    remove: Flags.string({ summary: messages.getMessage('flags.remove.summary'), multiple: true }),
    replace: Flags.boolean({ summary: messages.getMessage('flags.replace.summary') }),
    ...policyFlags,
    'dry-run': Flags.boolean({ summary: messages.getMessage('flags.dry-run.summary') }),
    wait: waitFlag(messages.getMessage('flags.wait.summary')),
  };

  public async run(): Promise<RenAppPreauthorizeResult> {
    const { flags } = await this.parse(RenAppPreauthorize);
    const org = flags['target-org'];
    const target = await targetName(org);
    const given = definitionFromFlags(flags);
    const request = {
      app: flags.app,
      profiles: given.profiles ?? [],
      permissionSets: given.permissionSets ?? [],
      remove: splitList(flags.remove),
      replace: flags.replace,
      policies: {
        permittedUsers: given.permittedUsers,
        refreshTokenPolicy: given.refreshTokenPolicy,
        refreshTokenValidityPeriod: given.refreshTokenValidityPeriod,
        refreshTokenValidityUnit: given.refreshTokenValidityUnit,
        ipRelaxation: given.ipRelaxation,
      },
    };
    // Empty or contradicting input is refused before the org is contacted.
    const emptyFlags = emptyNameFlags({
      profile: flags.profile,
      'permission-set': flags['permission-set'],
      remove: flags.remove,
    });
    const problem = requestProblems(request, emptyFlags);
    if (problem) throw problem;

    const conn = org.getConnection(flags['api-version']);
    const dryRun = flags['dry-run'];
    // A setting an interrupted run left open is put back first (never in a dry run, which changes nothing).
    const leftovers = dryRun ? [] : await withNamedErrors(target, () => restoreLeftovers(conn, org.getOrgId()));
    leftovers.forEach((warning) => this.warn(warning));
    const stages = {
      check: messages.getMessage('stage.check'),
      deploy: messages.getMessage(dryRun ? 'stage.validate' : 'stage.deploy'),
    };
    const done = messages.getMessage('stage.done');
    const display = await StageDisplay.start({
      title: messages.getMessage('title', [flags.app]),
      stages: [stages.check, stages.deploy, done],
      jsonEnabled: this.jsonEnabled(),
      info: { Org: target, App: flags.app },
    });
    const result = await withNamedErrors(target, () =>
      display.around(
        () =>
          preauthorizeApp(conn, request, {
            dryRun,
            wait: flags.wait,
            target,
            onStage: (stage) => display.goto(stages[stage]),
          }),
        {
          stage: done,
          skipped: (r) => r.status === 'unchanged',
        },
      ),
    );
    result.warnings.forEach((warning) => this.warn(warning));
    this.report(result, target);
    return {
      app: result.app,
      status: result.status,
      ...result.after,
      before: result.before,
      changes: result.changes,
      deployId: result.deployId,
      dryRun: result.dryRun,
    };
  }

  private report(result: PreauthorizeResult, target: string): void {
    const key = result.status === 'unchanged' ? 'result.unchanged' : result.dryRun ? 'result.dryRun' : 'result.updated';
    this.logSuccess(messages.getMessage(key, [result.app, target]));
    const rows: Array<[string, (p: Preauthorization) => string]> = [
      ['Permitted users', (p): string => toFlag(PERMITTED_USERS_FLAG, p.permittedUsers) ?? '—'],
      ['Profiles', (p): string => p.profiles.join(', ') || '—'],
      ['Permission sets', (p): string => p.permissionSets.join(', ') || '—'],
      ['Refresh token policy', refreshPolicy],
      ['IP relaxation', (p): string => toFlag(IP_RELAXATION_FLAG, p.ipRelaxation) ?? '—'],
    ];
    // The settings a run leaves alone are shown too (so the whole policy is in view), the changed ones marked.
    const mark = messages.getMessage(result.dryRun ? 'mark.wouldChange' : 'mark.changed');
    printTable(
      this,
      rows.map(([setting, show]) => ({
        Setting: setting,
        Before: show(result.before),
        After: show(result.after),
        Change: show(result.before) === show(result.after) ? '' : mark,
      })),
    );
    if (!result.dryRun) {
      const status = sfCommand('ren app status', [['--target-org', target], appFlag(result.app)]);
      this.log(messages.getMessage('result.next', [status]));
    }
  }
}

function refreshPolicy(p: Preauthorization): string {
  const policy = toFlag(REFRESH_TOKEN_POLICY_FLAG, p.refreshTokenPolicy) ?? '—';
  return p.refreshTokenValidityPeriod
    ? `${policy} (${p.refreshTokenValidityPeriod} ${p.refreshTokenValidityUnit?.toLowerCase() ?? ''})`
    : policy;
}
