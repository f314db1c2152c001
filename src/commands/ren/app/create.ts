import { Messages } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { mergeDefinition } from '../../../eca/definition.js';
import { accessFlags, appFlags, definitionFromFlags, policyFlags } from '../../../eca/flags.js';
import {
  type CreateAppResult,
  createOrUpdateApp,
  resolveDefinitionNames,
  type Stage,
  writeAppSource,
} from '../../../eca/createApp.js';
import { assertValidDefinition, definitionFile } from '../../../eca/validate.js';
import { restoreLeftovers } from '../../../credentials/pendingRestore.js';
import type { FieldChange } from '../../../eca/plan.js';
import { withNamedErrors } from '../../../shared/errors.js';
import { StageDisplay } from '../../../shared/progress.js';
import { targetName } from '../../../shared/target.js';
import { targetOrgFlag, waitFlag } from '../../../shared/flags.js';
import { printTable } from '../../../shared/table.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@rensystems/plugin-ren', 'ren.app.create');

export type RenAppCreateResult = {
  apiName: string;
  label: string;
  /** Record id of the ExternalClientApplication (0xI…), when known. */
  id?: string;
  /** `written`: --output-dir wrote the files and nothing was sent to the org. */
  status: 'created' | 'updated' | 'unchanged' | 'written';
  changes: FieldChange[];
  deployId?: string;
  dryRun: boolean;
  /** Files written with --output-dir. */
  files?: string[];
};

export default class RenAppCreate extends SfCommand<RenAppCreateResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');

  public static readonly flags = {
    'target-org': targetOrgFlag,
    'api-version': Flags.orgApiVersion(),
    definition: Flags.file({ summary: messages.getMessage('flags.definition.summary'), exists: true }),
    ...appFlags,
    ...policyFlags,
    ...accessFlags,
    'allow-code-credentials-flows': Flags.boolean({
      summary: messages.getMessage('flags.allow-code-credentials-flows.summary'),
      description: messages.getMessage('flags.allow-code-credentials-flows.description'),
    }),
    wait: waitFlag(messages.getMessage('flags.wait.summary')),
    'dry-run': Flags.boolean({ summary: messages.getMessage('flags.dry-run.summary'), exclusive: ['output-dir'] }),
    'output-dir': Flags.directory({ summary: messages.getMessage('flags.output-dir.summary'), exclusive: ['dry-run'] }),
  };

  public async run(): Promise<RenAppCreateResult> {
    const { flags } = await this.parse(RenAppCreate);
    const org = flags['target-org'];
    const target = await targetName(org);
    // Everything the user typed is checked before the org is contacted.
    const fromFile = await definitionFile(flags.definition);
    const requested = mergeDefinition(fromFile, definitionFromFlags(flags));
    assertValidDefinition(requested);
    const conn = org.getConnection(flags['api-version']);

    if (flags['output-dir']) {
      const def = await withNamedErrors(target, () => resolveDefinitionNames(conn, requested, target));
      const written = await writeAppSource(def, flags['output-dir']);
      this.log(messages.getMessage('result.written', [def.apiName, written.outputDir]));
      written.files.forEach((file) => this.log(`  ${file}`));
      return {
        apiName: def.apiName,
        label: def.label,
        status: 'written',
        changes: [],
        dryRun: false,
        files: written.files,
      };
    }

    const dryRun = flags['dry-run'] ?? false;
    // A setting an interrupted run left open is put back first (never in a dry run, which changes nothing).
    const leftovers = dryRun ? [] : await withNamedErrors(target, () => restoreLeftovers(conn, org.getOrgId()));
    leftovers.forEach((warning) => this.warn(warning));
    const stageTitles: Record<Stage, string> = {
      check: messages.getMessage('stage.check'),
      read: messages.getMessage('stage.read'),
      deploy: messages.getMessage(dryRun ? 'stage.validate' : 'stage.deploy'),
    };
    const done = messages.getMessage('stage.done');
    const display = await StageDisplay.start({
      title: messages.getMessage('title'),
      stages: [...Object.values(stageTitles), done],
      jsonEnabled: this.jsonEnabled(),
      info: { Org: target, 'API version': conn.getApiVersion() },
    });
    // With nothing to deploy the deploy stage shows as skipped.
    const result = await withNamedErrors(target, () =>
      display.around(
        () =>
          createOrUpdateApp(conn, requested, {
            dryRun,
            target,
            allowCodeCredentialsFlows: flags['allow-code-credentials-flows'],
            wait: flags.wait,
            onStage: (stage) => display.goto(stageTitles[stage]),
          }),
        { stage: done, skipped: (r) => r.status === 'unchanged' },
      ),
    );
    result.warnings.forEach((warning) => this.warn(warning));
    this.report(result, target);
    return {
      apiName: result.apiName,
      label: result.label,
      id: result.id,
      status: result.status,
      changes: result.changes,
      deployId: result.deployId,
      dryRun: result.dryRun,
    };
  }

  private report(result: CreateAppResult, target: string): void {
    const tokens = [result.label, result.apiName, target];
    if (result.status === 'unchanged') {
      this.logSuccess(messages.getMessage('result.unchanged', tokens));
      return;
    }
    const key = result.dryRun ? `result.dryRun.${result.status}` : `result.${result.status}`;
    this.logSuccess(messages.getMessage(key, tokens));
    if (result.changes.length > 0) {
      printTable(
        this,
        result.changes.map((change) => ({
          Component: `${change.type} ${change.fullName}`,
          Field: change.field,
          Before: show(change.before),
          After: show(change.after),
        })),
      );
    }
    if (!result.dryRun) {
      if (result.id) this.log(`Id: ${result.id}`);
      this.log(messages.getMessage('result.next', [target, result.label]));
    }
  }
}

function show(value: unknown): string {
  if (value === undefined) return '—';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
