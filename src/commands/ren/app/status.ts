import { Messages } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import type { AppDefinition } from '../../../eca/definition.js';
import type { Check } from '../../../eca/status.js';
import { toRenError } from '../../../shared/errors.js';
import { StageDisplay } from '../../../shared/progress.js';
import { targetName } from '../../../shared/target.js';

import { targetOrgFlag } from '../../../shared/flags.js';
Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-ren', 'ren.app.status');

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
    const [{ appStatus }, { mergeDefinition }] = await Promise.all([import('../../../eca/status.js'), import('../../../eca/definition.js')]);
    let fromFile: Partial<AppDefinition> | undefined;
    if (flags.definition) {
      const [{ readDefinitionFile }, { invalidDefinitionError }] = await Promise.all([
        import('../../../eca/validate.js'),
        import('../../../eca/createApp.js'),
      ]);
      const file = await readDefinitionFile(flags.definition);
      if (file.problems.length > 0) throw invalidDefinitionError(file.problems);
      fromFile = file.definition;
    }
    const conn = org.getConnection(flags['api-version']);
    const display = await StageDisplay.start({
      title: messages.getMessage('title', [flags.app]),
      stages: [messages.getMessage('stage.check')],
      jsonEnabled: this.jsonEnabled(),
      info: { Org: target, App: flags.app },
    });
    let report: RenAppStatusResult;
    try {
      display.goto(messages.getMessage('stage.check'));
      report = await appStatus(conn, { app: flags.app, definition: mergeDefinition(fromFile), target });
      display.finish();
    } catch (error) {
      display.fail();
      throw toRenError(error, target);
    }
    this.table({
      data: report.checks.map((c) => ({ Check: c.name, Status: c.status.toUpperCase(), Expected: c.expected, Actual: c.actual, Fix: c.fix ?? '' })),
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
