import { Messages } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import type { Interfaces } from '@oclif/core';
import { type Collected, collectCredentials, finishRotation } from '../../credentials/connect.js';
import { deliverCredentials } from '../../credentials/handoff.js';
import { checkHandoffInput } from '../../credentials/handoffInput.js';
import { HANDOFF_FORMATS, MASK } from '../../credentials/payload.js';
import { restoreLeftovers } from '../../credentials/pendingRestore.js';
import { type RotationState, rotatedNotHandedOffError } from '../../credentials/rotate.js';
import { type FlagPair, sfCommand, shellFlags } from '../../shared/commandLine.js';
import { askConsent, declinedMessage } from '../../shared/consent.js';
import { toRenError } from '../../shared/errors.js';
import { targetOrgFlag } from '../../shared/flags.js';
import { guardChange } from '../../shared/interruptGuard.js';
import { StageDisplay } from '../../shared/progress.js';
import { targetName } from '../../shared/target.js';
import { displayUrl } from '../../shared/urls.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@rensystems/plugin-ren', 'ren.connect');

export type RenConnectResult = {
  app: string;
  /** `declined`: you answered no to the question; nothing was read or changed. */
  status: 'handed-off' | 'declined';
  loginUrl?: string;
  consumerKey?: string;
  /** "***" unless --show-secret. */
  consumerSecret?: string;
  orgId: string;
  /** Where the credentials went: the file written, `command: …` (the program run), the Ren URL posted to (origin and path). */
  handedOffTo: string[];
  /** Present when the run issued new credentials first; previousRevoked: the old key and secret no longer work. */
  rotated?: { method: 'deploy' | 'staged'; key: boolean; previousRevoked: boolean };
  /** The org setting "Allow access to External Client App consumer secrets via REST API". */
  secretAccess: { before?: boolean; openedForRead: boolean };
  warnings: string[];
};

type ConnectFlags = Interfaces.InferredFlags<typeof RenConnect.flags>;

export default class RenConnect extends SfCommand<RenConnectResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');

  public static readonly flags = {
    'target-org': targetOrgFlag,
    'api-version': Flags.orgApiVersion(),
    app: Flags.string({ summary: messages.getMessage('flags.app.summary'), default: 'ren' }),
    'login-url': Flags.url({ summary: messages.getMessage('flags.login-url.summary') }),
    'output-file': Flags.string({ summary: messages.getMessage('flags.output-file.summary') }),
    force: Flags.boolean({ summary: messages.getMessage('flags.force.summary'), dependsOn: ['output-file'] }),
    'ren-url': Flags.url({ summary: messages.getMessage('flags.ren-url.summary') }),
    'handoff-command': Flags.string({
      summary: messages.getMessage('flags.handoff-command.summary'),
      description: messages.getMessage('flags.handoff-command.description'),
    }),
    'handoff-format': Flags.option({
      summary: messages.getMessage('flags.handoff-format.summary'),
      description: messages.getMessage('flags.handoff-format.description'),
      options: HANDOFF_FORMATS,
      dependsOn: ['handoff-command'],
    })(),
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
    const { flags, raw } = await this.parse(RenConnect);
    const org = flags['target-org'];
    const target = await targetName(org);
    // {org} in --handoff-command: the org as the user named it (else as sf names the default org).
    const given = raw.find((token) => token.type === 'flag' && token.flag === 'target-org')?.input ?? target;
    const rotate = flags.rotate || flags['rotate-key'];
    // Everything the user gave is checked, and the token read, before the org is contacted.
    const handoff = await checkHandoffInput(
      {
        outputFile: flags['output-file'],
        renUrl: flags['ren-url']?.href,
        command: flags['handoff-command'],
        format: flags['handoff-format'],
        loginUrl: flags['login-url']?.href,
        force: flags.force,
        otherWay: flags['show-secret'],
        targets: messages.getMessage('handoffTargets'),
        dryRun: false,
      },
      () => this.secretPrompt({ message: messages.getMessage('prompt.token') }),
    );
    const declined = (): RenConnectResult => {
      this.log(declinedMessage());
      return {
        app: flags.app,
        status: 'declined',
        orgId: org.getOrgId(),
        handedOffTo: [],
        secretAccess: { openedForRead: false },
        warnings: [],
      };
    };
    if (rotate && !(await this.consent(flags, target, 'rotate'))) return declined();
    if (flags['show-secret'] && !(await this.consent(flags, target, 'showSecret'))) return declined();

    const conn = org.getConnection(flags['api-version']);
    const orgRef = { orgId: org.getOrgId(), username: org.getUsername(), instanceUrl: conn.instanceUrl, target };
    const warnings = await restoreLeftovers(conn, orgRef.orgId);
    const stages = {
      read: messages.getMessage(rotate ? 'stage.rotate' : 'stage.read'),
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
    const programOutput: string[] = [];
    // A Ctrl-C while a rotation deploy runs says which deploy, and which pair works.
    let releaseDeployGuard: (() => void) | undefined;
    try {
      display.goto(stages.read);
      collected = await collectCredentials(conn, {
        app: flags.app,
        loginUrl: handoff.loginUrl,
        allowSecretAccess: flags['allow-secret-access'],
        org: orgRef,
        // --rotate-key rotates the key and the secret: it implies --rotate.
        rotate: rotate
          ? {
              key: flags['rotate-key'],
              onDeployStarted: (deployId): void => {
                releaseDeployGuard = guardRotationDeploy(deployId, target, againFlags(flags));
              },
            }
          : undefined,
        onRotated: (state) => {
          releaseDeployGuard?.();
          rotated = state;
        },
      });
      display.goto(stages.handoff);
      handedOffTo = await deliverCredentials(
        { ...collected.payload, appId: collected.appId, consumerId: collected.consumer.id },
        {
          file: handoff.file,
          force: flags.force,
          renUrl: handoff.renUrl,
          token: handoff.token,
          command: handoff.command && { ...handoff.command, org: given, onOutput: (l) => programOutput.push(...l) },
        },
      );
      if (rotated) {
        finished = await finishRotation(conn, rotated, {
          allowSecretAccess: flags['allow-secret-access'],
          before: collected.secretAccess.before,
          org: orgRef,
        });
      }
      display.goto(stages.done);
      display.finish();
    } catch (error) {
      releaseDeployGuard?.();
      display.fail();
      if (rotated) throw rotatedNotHandedOffError(rotated, toRenError(error, target), target, againFlags(flags));
      throw toRenError(error, target);
    }
    warnings.push(...collected.warnings, ...(finished?.warning ? [finished.warning] : []));
    warnings.forEach((warning) => this.warn(warning));
    programOutput.forEach((line) => this.log(line));
    const { payload } = collected;
    const result: RenConnectResult = {
      app: collected.app,
      status: 'handed-off',
      loginUrl: payload.loginUrl,
      consumerKey: payload.consumerKey,
      consumerSecret: flags['show-secret'] ? payload.consumerSecret : MASK,
      orgId: payload.orgId,
      handedOffTo,
      rotated: collected.rotation
        ? {
            method: collected.rotation.method,
            key: collected.rotation.key,
            previousRevoked: finished?.previousRevoked ?? false,
          }
        : undefined,
      secretAccess: { before: collected.secretAccess.before, openedForRead: collected.secretAccess.opened },
      warnings,
    };
    this.report(result);
    return result;
  }

  /** The consent rule (shared/consent.ts) for revealing the secret or rotating it. */
  private async consent(flags: ConnectFlags, target: string, what: 'showSecret' | 'rotate'): Promise<boolean> {
    const handoffTo = [
      flags['output-file'],
      flags['handoff-command'] && `command: ${flags['handoff-command']}`,
      flags['ren-url'] && displayUrl(flags['ren-url'].href),
    ].filter(Boolean);
    const question =
      what === 'rotate'
        ? messages.getMessage('prompt.rotate', [
            flags.app,
            target,
            handoffTo.length > 0 ? messages.getMessage('prompt.rotate.handoff', [handoffTo.join(', ')]) : '',
          ])
        : messages.getMessage('prompt.showSecret', [flags.app, target]);
    const yes = await askConsent((options) => this.confirm(options), {
      noPrompt: flags['no-prompt'],
      json: this.jsonEnabled(),
      question,
      action: messages.getMessage(`consent.${what}`),
      withNoPrompt: sfCommand('ren connect', [['--target-org', target], ...flagPairs(flags), ['--no-prompt', true]]),
    });
    if (yes && what === 'showSecret') this.warn(messages.getMessage('warning.secretShown'));
    return yes;
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

/** While the rotation deploy runs, an interrupt reports its id and which pair works (nothing to put back). */
function guardRotationDeploy(deployId: string, target: string, again: string): () => void {
  const line = messages.getMessage('interrupted.rotationDeploy', [deployId, target, deployId, target, target, again]);
  return guardChange({ restore: () => Promise.resolve({ ok: true, line }), leftBehind: () => line });
}

/** The flags of this run as [flag, value] pairs, to repeat it in a printed command. */
function flagPairs(flags: ConnectFlags): FlagPair[] {
  return [
    ['--app', flags.app === 'ren' ? undefined : flags.app],
    ['--api-version', flags['api-version']],
    ['--login-url', flags['login-url']?.href],
    ['--output-file', flags['output-file']],
    ['--force', flags.force],
    ['--ren-url', flags['ren-url']?.href],
    ['--handoff-command', flags['handoff-command']],
    ['--handoff-format', flags['handoff-format']],
    ['--show-secret', flags['show-secret']],
    ['--allow-secret-access', flags['allow-secret-access']],
    ['--rotate', flags.rotate],
    ['--rotate-key', flags['rotate-key']],
  ];
}

/** The flags that repeat this run's hand-off without rotating again (an existing file is then replaced). */
function againFlags(flags: ConnectFlags): string {
  const handOffOnly = flagPairs(flags).filter(([flag]) => !['--rotate', '--rotate-key', '--force'].includes(flag));
  return shellFlags([...handOffOnly, ['--force', Boolean(flags['output-file'])]]);
}
