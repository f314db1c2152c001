import '../../../shared/compileCache.js';
import { Messages } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import type { MetadataMember } from '../../../shared/deploy.js';
import { toRenError } from '../../../shared/errors.js';
import { targetName } from '../../../shared/target.js';
import { targetOrgFlag, waitFlag } from '../../../shared/flags.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@rensystems/plugin-ren', 'ren.app.delete');

export type RenAppDeleteResult = {
  app: string;
  /** `absent`: the org had no such app; nothing was deleted. */
  status: 'deleted' | 'absent';
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
    app: Flags.string({ summary: messages.getMessage('flags.app.summary'), default: 'ren' }),
    'no-prompt': Flags.boolean({ char: 'p', summary: messages.getMessage('flags.no-prompt.summary') }),
    wait: waitFlag(messages.getMessage('flags.wait.summary')),
  };

  public async run(): Promise<RenAppDeleteResult> {
    const { flags } = await this.parse(RenAppDelete);
    const org = flags['target-org'];
    const target = await targetName(org);
    const { appMembers, deleteApp } = await import('../../../eca/deleteApp.js');
    const conn = org.getConnection(flags['api-version']);
    try {
      const found = await appMembers(conn, flags.app);
      if (found.app) {
        if (!flags['no-prompt']) {
          // Without a terminal there is nobody to ask: refuse rather than delete without consent.
          if (!process.stdin.isTTY || this.jsonEnabled())
            throw messages.createError('error.RenDeleteNeedsConsent', [found.app], [found.app, target]);
          const names = found.members.map((m) => `${m.type} ${m.fullName}`).join(', ');
          const yes = await this.confirm({
            message: messages.getMessage('prompt.confirm', [found.app, target, names]),
            ms: 60_000,
          });
          if (!yes) throw messages.createError('error.RenDeleteDeclined', [found.app]);
        }
      }
      const result = await deleteApp(conn, found, flags.app, { wait: flags.wait });
      if (result.status === 'absent') this.logSuccess(messages.getMessage('result.absent', [flags.app, target]));
      else {
        this.logSuccess(messages.getMessage('result.deleted', [result.app, target]));
        this.table({ data: result.deleted.map((m) => ({ Type: m.type, Name: m.fullName })) });
      }
      return result;
    } catch (error) {
      throw toRenError(error, target);
    }
  }
}
