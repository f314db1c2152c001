import { Messages } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { targetOrgFlag } from '../../../shared/flags.js';
import { CHECK_TABLE, checkRows, countByStatus } from '../../../shared/checks.js';
import { guideFlags, guideFromFlags, setupCommandFor } from '../../../connectedApp/flags.js';
import { connectedAppStatus, type StatusReport } from '../../../connectedApp/status.js';
import { toRenError } from '../../../shared/errors.js';
import { StageDisplay } from '../../../shared/progress.js';
import { targetName } from '../../../shared/target.js';
import { printTable } from '../../../shared/table.js';
import { counted } from '../../../shared/plural.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@rensystems/plugin-ren', 'ren.connected-app.status');

export type RenConnectedAppStatusResult = StatusReport;

export default class RenConnectedAppStatus extends SfCommand<RenConnectedAppStatusResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');

  public static readonly flags = {
    'target-org': targetOrgFlag,
    'api-version': Flags.orgApiVersion(),
    ...guideFlags,
  };

  public async run(): Promise<RenConnectedAppStatusResult> {
    const { flags } = await this.parse(RenConnectedAppStatus);
    const org = flags['target-org'];
    const target = await targetName(org);
    const def = await guideFromFlags(flags);
    const conn = org.getConnection(flags['api-version']);
    const display = await StageDisplay.start({
      title: messages.getMessage('title', [def.name]),
      stages: [messages.getMessage('stage.check')],
      jsonEnabled: this.jsonEnabled(),
      info: { Org: target, App: def.name },
    });
    let report: StatusReport;
    try {
      display.goto(messages.getMessage('stage.check'));
      report = (await connectedAppStatus(conn, def, { setupCommand: setupCommandFor(target, def, flags) })).report;
      display.finish();
    } catch (error) {
      display.fail();
      throw toRenError(error, target);
    }
    printTable(this, checkRows(report.checks), CHECK_TABLE);
    const counts = countByStatus(report.checks);
    if (report.ok)
      this.logSuccess(
        messages.getMessage('result.ok', [
          report.name,
          target,
          counted(counts.unverified, 'setting'),
          counted(counts.warn, 'warning'),
        ]),
      );
    else {
      this.log(messages.getMessage('result.notOk', [report.name, target, counted(counts.fail, 'check')]));
      process.exitCode = 1;
    }
    if (counts.unverified > 0) this.log(messages.getMessage('result.unverified'));
    return report;
  }
}
