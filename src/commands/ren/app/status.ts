import '../../../shared/compileCache.js';
import { Messages } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import type { Check } from '../../../eca/status.js';
import { guard } from '../../../shared/errors.js';
import { StageDisplay } from '../../../shared/progress.js';
import { targetName } from '../../../shared/target.js';
import { targetOrgFlag } from '../../../shared/flags.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@rensystems/plugin-ren', 'ren.app.status');

export type RenAppStatusResult = {
  app: string;
  /** True when every required check passes (warnings allowed); the exit code is 0 exactly then. */
  ok: boolean;
  checks: Check[];
};

export default class RenAppStatus extends SfCommand<RenAppStatusResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');

  public static readonly flags = {
    'target-org': targetOrgFlag,
    'api-version': Flags.orgApiVersion(),
    app: Flags.string({ summary: messages.getMessage('flags.app.summary'), default: 'ren' }),
    definition: Flags.file({ summary: messages.getMessage('flags.definition.summary'), exists: true }),
  };

  public async run(): Promise<RenAppStatusResult> {
    const { flags } = await this.parse(RenAppStatus);
    const org = flags['target-org'];
    const target = await targetName(org);
    const [{ appStatus }, { mergeDefinition }, { definitionFile }] = await Promise.all([
      import('../../../eca/status.js'),
      import('../../../eca/definition.js'),
      import('../../../eca/createApp.js'),
    ]);
    const fromFile = await definitionFile(flags.definition);
    const conn = org.getConnection(flags['api-version']);
    const display = await StageDisplay.start({
      title: messages.getMessage('title', [flags.app]),
      stages: [messages.getMessage('stage.check')],
      jsonEnabled: this.jsonEnabled(),
      info: { Org: target, App: flags.app },
    });
    display.goto(messages.getMessage('stage.check'));
    const report = await guard(target, () =>
      display.around(() => appStatus(conn, { app: flags.app, definition: mergeDefinition(fromFile), target })),
    );
    this.table({
      data: report.checks.map((c) => ({
        Check: c.name,
        Status: c.status.toUpperCase(),
        Expected: c.expected,
        Actual: c.actual,
        Fix: c.fix ?? '',
      })),
    });
    const failed = report.checks.filter((c) => c.status === 'fail').length;
    const warned = report.checks.filter((c) => c.status === 'warn').length;
    if (report.ok) this.logSuccess(messages.getMessage('result.ok', [report.app, target, String(warned)]));
    else {
      this.log(messages.getMessage('result.notOk', [report.app, target, String(failed)]));
      process.exitCode = 1;
    }
    return report;
  }
}
