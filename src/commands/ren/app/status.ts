import { Messages } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { mergeDefinition, vendorName } from '../../../eca/definition.js';
import { assertValidDefinition, definitionFile } from '../../../eca/validate.js';
import { CHECK_TABLE, type Check, checkRows } from '../../../shared/checks.js';
import { appStatus } from '../../../status/appStatus.js';
import { withNamedErrors } from '../../../shared/errors.js';
import { EXIT } from '../../../shared/exitCodes.js';
import { StageDisplay } from '../../../shared/progress.js';
import { targetName, typedTarget } from '../../../shared/target.js';
import { targetOrgFlag } from '../../../shared/flags.js';
import { printTable } from '../../../shared/table.js';
import { counted } from '../../../shared/plural.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@rensystems/plugin-ren', 'ren.app.status');

export type RenAppStatusResult = {
  app: string;
  /** True when every required check passes (warnings allowed) and nothing is pending; the exit code is 0 exactly then. */
  ok: boolean;
  /** Nothing failed but something is not true yet (exit code 69): run again later, or wait with --probe-wait. */
  pending: boolean;
  checks: Check[];
};

export default class RenAppStatus extends SfCommand<RenAppStatusResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');

  public static readonly flags = {
    'target-org': targetOrgFlag,
    'api-version': Flags.orgApiVersion(),
    app: Flags.string({ char: 'a', summary: messages.getMessage('flags.app.summary'), default: 'ren' }),
    definition: Flags.file({ summary: messages.getMessage('flags.definition.summary'), exists: true }),
    'probe-wait': Flags.integer({ summary: messages.getMessage('flags.probe-wait.summary'), min: 0, default: 0 }),
  };

  public async run(): Promise<RenAppStatusResult> {
    const { flags, raw } = await this.parse(RenAppStatus);
    const org = flags['target-org'];
    const target = await targetName(org);
    const fromFile = await definitionFile(flags.definition);
    // Another vendor's definition must name its own values before anything is compared with them.
    const definition = mergeDefinition(fromFile, { apiName: flags.app });
    assertValidDefinition(definition, { selfAuthorizedLists: 'allow' });
    const conn = org.getConnection(flags['api-version']);
    const display = await StageDisplay.start({
      title: messages.getMessage('title', [flags.app]),
      stages: [messages.getMessage('stage.check')],
      jsonEnabled: this.jsonEnabled(),
      info: { Org: target, App: flags.app },
    });
    display.goto(messages.getMessage('stage.check'));
    const report = await withNamedErrors(target, () =>
      display.around(() =>
        appStatus(conn, {
          app: flags.app,
          definition,
          target: typedTarget(raw, target),
          definitionFile: flags.definition,
          apiVersion: flags['api-version'],
          probeWait: { waitMs: flags['probe-wait'] * 60_000 },
        }),
      ),
    );
    printTable(this, checkRows(report.checks), CHECK_TABLE);
    const failed = report.checks.filter((c) => c.status === 'fail').length;
    const warned = report.checks.filter((c) => c.status === 'warn').length;
    if (report.ok) {
      this.logSuccess(
        messages.getMessage('result.ok', [report.app, target, vendorName(definition), counted(warned, 'warning')]),
      );
    } else if (report.pending) {
      this.log(messages.getMessage('result.pending', [report.app, target]));
      process.exitCode = EXIT.notYet;
    } else {
      this.log(
        messages.getMessage('result.notOk', [report.app, target, vendorName(definition), counted(failed, 'check')]),
      );
      process.exitCode = EXIT.failed;
    }
    return report;
  }
}
