import '../../shared/compileCache.js';
import { Messages } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import type { Collected } from '../../credentials/connect.js';
import type { RotationState } from '../../credentials/rotate.js';
import { toRenError } from '../../shared/errors.js';
import { StageDisplay } from '../../shared/progress.js';
import { targetName } from '../../shared/target.js';
import { targetOrgFlag } from '../../shared/flags.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@rensystems/plugin-ren', 'ren.connect');

export const MASK = '***';

export type RenConnectResult = {
  app: string;
  loginUrl: string;
  consumerKey: string;
  /** "***" unless --show-secret. */
  consumerSecret: string;
  orgId: string;
  /** Where the credentials went: the file written and the Ren URL posted to. */
  handedOffTo: string[];
  /** Present when the run issued new credentials first; previousRevoked: the old key and secret no longer work. */
  rotated?: { method: 'deploy' | 'staged'; key: boolean; secret: true; previousRevoked: boolean };
  /** The org setting "Allow access to External Client App consumer secrets via REST API". */
  secretAccess: { before?: boolean; after?: boolean; openedForRead: boolean };
};

type ConnectFlags = {
  app: string;
  'allow-secret-access': boolean;
  'login-url'?: string;
  'output-file'?: string;
  force: boolean;
  'ren-url'?: string;
  'show-secret': boolean;
  'no-prompt': boolean;
};

export default class RenConnect extends SfCommand<RenConnectResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');

  public static readonly flags = {
    'target-org': targetOrgFlag,
    'api-version': Flags.orgApiVersion(),
    app: Flags.string({ summary: messages.getMessage('flags.app.summary'), default: 'ren' }),
    'login-url': Flags.string({ summary: messages.getMessage('flags.login-url.summary') }),
    'output-file': Flags.string({ summary: messages.getMessage('flags.output-file.summary') }),
    force: Flags.boolean({ summary: messages.getMessage('flags.force.summary'), dependsOn: ['output-file'] }),
    'ren-url': Flags.string({ summary: messages.getMessage('flags.ren-url.summary') }),
    'show-secret': Flags.boolean({ summary: messages.getMessage('flags.show-secret.summary') }),
    'no-prompt': Flags.boolean({ char: 'p', summary: messages.getMessage('flags.no-prompt.summary') }),
    'allow-secret-access': Flags.boolean({
      summary: messages.getMessage('flags.allow-secret-access.summary'),
      description: messages.getMessage('flags.allow-secret-access.description'),
    }),
    rotate: Flags.boolean({
      summary: messages.getMessage('flags.rotate.summary'),
      description: messages.getMessage('flags.rotate.description'),
    }),
    'rotate-key': Flags.boolean({ summary: messages.getMessage('flags.rotate-key.summary') }),
  };

  public async run(): Promise<RenConnectResult> {
    const { flags } = await this.parse(RenConnect);
    const org = flags['target-org'];
    const target = await targetName(org);
    const [{ collectCredentials, finishRotation }, { handOff }, { rotatedNotHandedOffError }] = await Promise.all([
      import('../../credentials/connect.js'),
      import('../../credentials/handoff.js'),
      import('../../credentials/rotate.js'),
    ]);

    // Everything the user gave is checked, and the token read, before the org is contacted.
    const { outputFile, token } = await this.checkInput(flags);
    const conn = org.getConnection(flags['api-version']);
    const stages = {
      read: messages.getMessage(flags.rotate || flags['rotate-key'] ? 'stage.rotate' : 'stage.read'),
      handoff: messages.getMessage('stage.handoff'),
      done: messages.getMessage('stage.done'),
    };
    const display = await StageDisplay.start({
      title: messages.getMessage('title', [flags.app]),
      stages: Object.values(stages),
      jsonEnabled: this.jsonEnabled(),
      info: { Org: target, App: flags.app },
    });
    let collected: Collected | undefined;
    let rotated: RotationState | undefined;
    let finished: { previousRevoked: boolean; warning?: string } | undefined;
    let handedOffTo: string[] = [];
    try {
      display.goto(stages.read);
      collected = await collectCredentials(conn, {
        app: flags.app,
        loginUrl: flags['login-url'],
        allowSecretAccess: flags['allow-secret-access'],
        // --rotate-key rotates the key and the secret: it implies --rotate.
        rotate: flags.rotate || flags['rotate-key'] ? { key: flags['rotate-key'] } : undefined,
        onRotated: (state) => (rotated = state),
      });
      display.goto(stages.handoff);
      const payload = {
        loginUrl: collected.loginUrl,
        consumerKey: collected.consumerKey,
        consumerSecret: collected.consumerSecret,
        orgId: org.getOrgId(),
      };
      handedOffTo = await handOff({ outputFile, force: flags.force, renUrl: flags['ren-url'], token }, payload);
      if (rotated) {
        finished = await finishRotation(conn, rotated, {
          allowSecretAccess: flags['allow-secret-access'],
          before: collected.secretAccess.before,
          target,
        });
      }
      display.goto(stages.done);
      display.finish();
    } catch (error) {
      display.fail();
      if (rotated) throw rotatedNotHandedOffError(rotated, toRenError(error, target), target, againFlags(flags));
      throw toRenError(error, target);
    }
    [...collected.warnings, finished?.warning].forEach((warning) => warning && this.warn(warning));
    const result: RenConnectResult = {
      app: collected.app,
      loginUrl: collected.loginUrl,
      consumerKey: collected.consumerKey,
      consumerSecret: flags['show-secret'] ? collected.consumerSecret : MASK,
      orgId: org.getOrgId(),
      handedOffTo,
      rotated: collected.rotation
        ? {
            method: collected.rotation.method,
            key: collected.rotation.key,
            secret: true,
            previousRevoked: finished?.previousRevoked ?? false,
          }
        : undefined,
      secretAccess: {
        before: collected.secretAccess.before,
        after: collected.secretAccess.opened ? (collected.secretAccess.before ?? false) : collected.secretAccess.before,
        openedForRead: collected.secretAccess.opened,
      },
    };
    this.report(result);
    return result;
  }

  private async checkInput(flags: ConnectFlags): Promise<{ outputFile?: string; token?: string }> {
    const [handoff, { loginUrlProblem }, { renToken }, { credentialsError }] = await Promise.all([
      import('../../credentials/handoff.js'),
      import('../../credentials/loginUrl.js'),
      import('../../credentials/token.js'),
      import('../../credentials/messages.js'),
    ]);
    if (!flags['output-file'] && !flags['ren-url'] && !flags['show-secret'])
      throw credentialsError('error.RenNoHandoff');
    const urlProblems: Array<[string, string | undefined]> = [
      ['--login-url', flags['login-url'] ? loginUrlProblem(flags['login-url']) : undefined],
      ['--ren-url', flags['ren-url'] ? handoff.renUrlProblem(flags['ren-url']) : undefined],
    ];
    for (const [flag, problem] of urlProblems) if (problem) throw credentialsError('error.RenBadUrl', [flag, problem]);
    const outputFile = flags['output-file']
      ? await handoff.checkOutputFile(flags['output-file'], flags.force)
      : undefined;
    const token = flags['ren-url']
      ? await renToken(() => this.secretPrompt({ message: messages.getMessage('prompt.token') }))
      : undefined;
    if (flags['show-secret']) await this.confirmReveal(flags['no-prompt']);
    return { outputFile, token };
  }

  /** Asks before showing the secret, as `sf org auth show-access-token` does; warns instead when it cannot ask. */
  private async confirmReveal(noPrompt: boolean): Promise<void> {
    if (noPrompt || this.jsonEnabled() || !process.stdin.isTTY) {
      this.warn(messages.getMessage('warning.secretShown'));
      return;
    }
    const yes = await this.confirm({ message: messages.getMessage('prompt.showSecret'), ms: 30_000 });
    if (!yes) {
      const { credentialsError } = await import('../../credentials/messages.js');
      throw credentialsError('error.RenShowSecretDeclined');
    }
  }

  private report(result: RenConnectResult): void {
    this.logSuccess(messages.getMessage(result.rotated ? 'result.rotated' : 'result.collected', [result.app]));
    if (result.rotated?.previousRevoked) this.log(messages.getMessage('result.previousRevoked'));
    this.table({
      data: [
        { Field: 'Login URL', Value: result.loginUrl },
        { Field: 'Consumer Key', Value: result.consumerKey },
        { Field: 'Consumer Secret', Value: result.consumerSecret },
        { Field: 'Org Id', Value: result.orgId },
      ],
    });
    for (const destination of result.handedOffTo) this.log(messages.getMessage('result.handedOff', [destination]));
    if (result.secretAccess.openedForRead) this.log(messages.getMessage('result.settingRestored'));
  }
}

/** The flags that repeat this run's hand-off without rotating again. */
function againFlags(flags: ConnectFlags): string {
  return [
    flags.app === 'ren' ? '' : `--app ${flags.app}`,
    flags['login-url'] ? `--login-url ${flags['login-url']}` : '',
    flags['output-file'] ? `--output-file ${flags['output-file']} --force` : '',
    flags['ren-url'] ? `--ren-url ${flags['ren-url']}` : '',
    flags['allow-secret-access'] ? '--allow-secret-access' : '',
  ]
    .filter(Boolean)
    .join(' ');
}
