import { Messages } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { restoreLeftovers } from '../../../credentials/pendingRestore.js';
import { appMembers, deleteApp } from '../../../eca/deleteApp.js';
import { askConsent, declinedMessage } from '../../../shared/consent.js';
import { appFlag, sfCommand } from '../../../shared/commandLine.js';
import type { MetadataMember } from '../../../shared/deploy.js';
import { toRenError } from '../../../shared/errors.js';
import { targetName } from '../../../shared/target.js';
import { targetOrgFlag, waitFlag } from '../../../shared/flags.js';
import { printTable } from '../../../shared/table.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@rensystems/plugin-ren', 'ren.app.delete');

export type RenAppDeleteResult = {
  app: string;
  /** `absent`: the org had no such app; `declined`: you answered no. Nothing was deleted then. */
  status: 'deleted' | 'absent' | 'declined';
  /** The components removed, as the org named them. */
  deleted: MetadataMember[];
  deployId?: string;
};

export default class RenAppDelete extends SfCommand<RenAppDeleteResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');

  public static readonly flags = {
    'target-org': targetOrgFlag,
    'api-version': Flags.orgApiVersion(),
    app: Flags.string({ char: 'a', summary: messages.getMessage('flags.app.summary'), default: 'ren' }),
    'no-prompt': Flags.boolean({ char: 'p', summary: messages.getMessage('flags.no-prompt.summary') }),
    wait: waitFlag(messages.getMessage('flags.wait.summary')),
  };

  public async run(): Promise<RenAppDeleteResult> {
    const { flags } = await this.parse(RenAppDelete);
    const org = flags['target-org'];
    const target = await targetName(org);
    const conn = org.getConnection(flags['api-version']);
    try {
      const found = await appMembers(conn, flags.app);
      if (found.app) {
        const names = found.members.map((m) => `${m.type} ${m.fullName}`).join(', ');
        const yes = await askConsent((options) => this.confirm(options), {
          noPrompt: flags['no-prompt'],
          json: this.jsonEnabled(),
          question: messages.getMessage('prompt.confirm', [found.app, target, names]),
          action: messages.getMessage('consent.delete', [found.app]),
          withNoPrompt: sfCommand('ren app delete', [
            ['--target-org', target],
            appFlag(flags.app),
            ['--no-prompt', true],
          ]),
        });
        if (!yes) {
          this.log(declinedMessage());
          return { app: found.app, status: 'declined', deleted: [] };
        }
      }
      (await restoreLeftovers(conn, org.getOrgId())).forEach((warning) => this.warn(warning));
      const result = await deleteApp(conn, found, flags.app, { wait: flags.wait });
      if (result.status === 'absent') this.logSuccess(messages.getMessage('result.absent', [flags.app, target]));
      else {
        this.logSuccess(messages.getMessage('result.deleted', [result.app, target]));
        printTable(
          this,
          result.deleted.map((m) => ({ Type: m.type, Name: m.fullName })),
        );
      }
      return result;
    } catch (error) {
      throw toRenError(error, target);
    }
  }
}
