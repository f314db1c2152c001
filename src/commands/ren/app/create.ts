import { Messages, type Org } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { type AppDefinition, mergeDefinition, vendorName } from '../../../eca/definition.js';
import { accessFlags, appFlags, definitionFromFlags, fieldLabeller, policyFlags } from '../../../eca/flags.js';
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
import { asGuideLine, changeRows, changeTable } from '../../../eca/changeRows.js';
import { withNamedErrors } from '../../../shared/errors.js';
import { StageDisplay } from '../../../shared/progress.js';
import { targetName, typedTarget } from '../../../shared/target.js';
import { appFlag, sfCommand } from '../../../shared/commandLine.js';
import { waitFlag } from '../../../shared/flags.js';
import { prepareOutputDir } from '../../../credentials/handoffInput.js';
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
    // Optional: --output-dir needs no org. Static help text, for the reason given in shared/flags.ts.
    'target-org': Flags.optionalOrg({
      summary: messages.getMessage('flags.target-org.summary'),
      defaultHelp: undefined,
    }),
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
    const { flags, raw } = await this.parse(RenAppCreate);
    const org = flags['target-org'];
    // Everything the user typed is checked before the org is contacted.
    const fromFile = await definitionFile(flags.definition);
    const requested = mergeDefinition(fromFile, definitionFromFlags(flags));
    assertValidDefinition(requested, { label: fieldLabeller(flags, fromFile, flags.definition) });
    if (flags['output-dir']) return this.writeSource(requested, flags['output-dir'], org, flags['api-version']);
    if (!org) throw messages.createError('error.RenNoOrg');
    const target = await targetName(org);
    const conn = org.getConnection(flags['api-version']);

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
    this.report(result, typedTarget(raw, target), flags['api-version']);
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

  /**
   * --output-dir: the app as source files, nothing deployed. With an org the profile and permission-set names are
   * looked up (the org's spelling wins); without one they are written as typed, and the command says so.
   */
  private async writeSource(
    requested: AppDefinition,
    outputDir: string,
    org: Org | undefined,
    apiVersion: string | undefined,
  ): Promise<RenAppCreateResult> {
    // The folder is created when its parent exists; a missing parent is more likely a typo than a wish.
    await prepareOutputDir(outputDir, true, 0o777);
    let def = requested;
    const names = def.profiles.length + def.permissionSets.length > 0;
    if (org) {
      const target = await targetName(org);
      def = await withNamedErrors(target, () =>
        resolveDefinitionNames(org.getConnection(apiVersion), requested, target),
      );
    } else if (names) {
      this.warn(messages.getMessage('warning.namesNotChecked'));
    }
    const written = await writeAppSource(def, outputDir);
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

  private report(result: CreateAppResult, target: string, apiVersion: string | undefined): void {
    const tokens = [result.label, result.apiName, target];
    if (result.status === 'unchanged') {
      this.logSuccess(messages.getMessage('result.unchanged', tokens));
      return;
    }
    const key = result.dryRun ? `result.dryRun.${result.status}` : `result.${result.status}`;
    this.logSuccess(messages.getMessage(key, tokens));
    const rows = changeRows(result.changes, result.status === 'created');
    if (rows.shown.length > 0) printTable(this, changeTable(rows.shown));
    const asGuide = asGuideLine(rows);
    if (asGuide) this.log(asGuide);
    if (!result.dryRun) {
      if (result.id) this.log(`Id: ${result.id}`);
      // The hand-off command for this app as typed: --app unless it is ren, the org and API version as given.
      const connect = sfCommand('ren connect', [
        ['--target-org', target],
        appFlag(result.apiName),
        ['--api-version', apiVersion],
        ['--output-file', `${result.apiName}.json`],
        ['--allow-secret-access', true],
      ]);
      this.log(messages.getMessage('result.next', [vendorName(result), connect, result.label]));
    }
  }
}
