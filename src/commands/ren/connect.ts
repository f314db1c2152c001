import { type Connection, Messages } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import type { Interfaces } from '@oclif/core';
import { revokePrevious } from '../../credentials/connect.js';
import { connectOrg } from '../../credentials/connectRun.js';
import { checkHandoffInput } from '../../credentials/handoffInput.js';
import { HANDOFF_FORMATS, MASK } from '../../credentials/payload.js';
import { restoreLeftovers } from '../../credentials/pendingRestore.js';
import { appFlag, type FlagPair, sfCommand, shellFlags } from '../../shared/commandLine.js';
import { askConsent, declinedMessage } from '../../shared/consent.js';
import { parseAge } from '../../shared/age.js';
import { withNamedErrors } from '../../shared/errors.js';
import { targetOrgFlag } from '../../shared/flags.js';
import { StageDisplay } from '../../shared/progress.js';
import { targetName } from '../../shared/target.js';
import { displayUrl } from '../../shared/urls.js';
import { printTable } from '../../shared/table.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@rensystems/plugin-ren', 'ren.connect');

export type RenConnectResult = {
  app: string;
  /**
   * `handed-off`: the credentials went to every target; `unchanged`: --if-older-than found the pair younger (nothing
   * rotated, read or handed off); `revoked`: --revoke-previous alone revoked the previous pair (or found none);
   * `declined`: you answered no (nothing was read or changed).
   */
  status: 'handed-off' | 'unchanged' | 'revoked' | 'declined';
  loginUrl?: string;
  consumerKey?: string;
  /** "***" unless --show-secret. */
  consumerSecret?: string;
  orgId: string;
  /** Where the credentials went: the file written and the Ren URL posted to (origin and path). */
  handedOffTo: string[];
  /** Present when the run issued new credentials first. */
  rotated?: {
    method: 'deploy' | 'staged';
    key: boolean;
    /** The previous pair no longer works (a deploy rotation, or --revoke-previous). */
    previousRevoked: boolean;
    /** Until when the previous pair keeps working (staged credentials, unless revoked). */
    previousValidUntil?: string;
  };
  /** --if-older-than: how old the current pair is, and where that age comes from. */
  currentPairSince?: { since: string; source: 'org' | 'record' };
  /** --revoke-previous alone: the staged record of the previous pair that was deleted (none when there was none). */
  revoked?: { id: string; createdDate?: string } | null;
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
    app: Flags.string({ char: 'a', summary: messages.getMessage('flags.app.summary'), default: 'ren' }),
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
    'revoke-previous': Flags.boolean({
      summary: messages.getMessage('flags.revoke-previous.summary'),
      description: messages.getMessage('flags.revoke-previous.description'),
    }),
    'if-older-than': Flags.custom<number>({
      parse: (input: string): Promise<number> => {
        const ms = parseAge(input);
        return ms === undefined
          ? Promise.reject(new Error(messages.getMessage('error.badAge', [input])))
          : Promise.resolve(ms);
      },
    })({ summary: messages.getMessage('flags.if-older-than.summary') }),
  };

  public async run(): Promise<RenConnectResult> {
    const { flags, raw } = await this.parse(RenConnect);
    const org = flags['target-org'];
    const target = await targetName(org);
    const rotate = flags.rotate || flags['rotate-key'];
    // {org} in --handoff-command: the org as the user named it (else as sf names the default org).
    const given = raw.find((token) => token.type === 'flag' && token.flag === 'target-org')?.input ?? target;
    const revokeOnly = flags['revoke-previous'] && !rotate;
    // Everything the user gave is checked, and the token read, before the org is contacted.
    const handoff = revokeOnly
      ? {}
      : await checkHandoffInput(
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
    const base = { app: flags.app, orgId: org.getOrgId(), handedOffTo: [], secretAccess: { openedForRead: false } };
    const declined = (): RenConnectResult => {
      this.log(declinedMessage());
      return { ...base, status: 'declined', warnings: [] };
    };
    if (rotate && !(await this.consent(flags, target, 'rotate'))) return declined();
    if (revokeOnly && !(await this.consent(flags, target, 'revoke'))) return declined();
    if (flags['show-secret'] && !(await this.consent(flags, target, 'showSecret'))) return declined();

    const conn = org.getConnection(flags['api-version']);
    const orgRef = { orgId: org.getOrgId(), username: org.getUsername(), instanceUrl: conn.instanceUrl, target };
    const warnings = await withNamedErrors(target, () => restoreLeftovers(conn, orgRef.orgId));
    if (revokeOnly) {
      return this.revokeOnly(conn, { app: flags.app, allow: flags['allow-secret-access'], orgRef, base, warnings });
    }

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
    const programOutput: string[] = [];
    display.goto(stages.read);
    const outcome = await display.around(
      () =>
        connectOrg(conn, {
          request: {
            app: flags.app,
            loginUrl: 'loginUrl' in handoff ? handoff.loginUrl : undefined,
            allowSecretAccess: flags['allow-secret-access'],
            org: orgRef,
            // --rotate-key rotates the key and the secret: it implies --rotate.
            rotate: rotate ? { key: flags['rotate-key'] ?? false, ifOlderThanMs: flags['if-older-than'] } : undefined,
          },
          targets: {
            ...handoff,
            force: flags.force,
            command:
              'command' in handoff && handoff.command
                ? { ...handoff.command, org: given, onOutput: (lines): number => programOutput.push(...lines) }
                : undefined,
          },
          revokePrevious: flags['revoke-previous'],
          againFlags: againFlags(flags),
          onHandoff: () => display.goto(stages.handoff),
        }),
      { stage: stages.done, skipped: (o) => o.status === 'not-due' },
    );
    if (outcome.status === 'not-due') {
      const { since, source } = outcome.notDue;
      this.logSuccess(messages.getMessage('result.notDue', [flags.app, since, source]));
      return {
        ...base,
        status: 'unchanged',
        currentPairSince: { since, source },
        secretAccess: { before: outcome.notDue.secretAccess.before, openedForRead: outcome.notDue.secretAccess.opened },
        warnings,
      };
    }
    const { collected, handedOffTo, finished } = outcome;
    warnings.push(...collected.warnings, ...(finished?.warning ? [finished.warning] : []));
    warnings.forEach((warning) => this.warn(warning));
    programOutput.forEach((line) => this.log(line));
    const { payload } = collected;
    const result: RenConnectResult = {
      ...base,
      app: collected.app,
      status: 'handed-off',
      loginUrl: payload.loginUrl,
      consumerKey: payload.consumerKey,
      consumerSecret: flags['show-secret'] ? payload.consumerSecret : MASK,
      handedOffTo,
      rotated: collected.rotation && {
        method: collected.rotation.method,
        key: collected.rotation.key,
        previousRevoked: finished?.previousRevoked ?? false,
        previousValidUntil: finished?.previousValidUntil,
      },
      secretAccess: { before: collected.secretAccess.before, openedForRead: collected.secretAccess.opened },
      warnings,
    };
    this.report(result, target);
    return result;
  }

  /** The consent rule (shared/consent.ts) for revealing the secret or rotating it. */
  /** `--revoke-previous` on its own: deletes the record holding the previous pair of an earlier rotation. */
  private async revokeOnly(
    conn: Connection,
    options: {
      app: string;
      allow: boolean;
      orgRef: { orgId: string; username?: string; instanceUrl?: string; target: string };
      base: Pick<RenConnectResult, 'app' | 'orgId' | 'handedOffTo'>;
      /** What completing a pending restore said. */
      warnings: string[];
    },
  ): Promise<RenConnectResult> {
    const { app, orgRef, warnings } = options;
    const { revoked, secretAccess } = await withNamedErrors(orgRef.target, () =>
      revokePrevious(conn, { app, allowSecretAccess: options.allow, org: orgRef }),
    );
    this.logSuccess(
      revoked
        ? messages.getMessage('result.revoked', [app, revoked.createdDate ?? revoked.id])
        : messages.getMessage('result.nothingToRevoke', [app]),
    );
    warnings.forEach((warning) => this.warn(warning));
    return {
      ...options.base,
      status: 'revoked',
      revoked: revoked ? { id: revoked.id, createdDate: revoked.createdDate } : null,
      secretAccess: { before: secretAccess.before, openedForRead: secretAccess.opened },
      warnings,
    };
  }

  private async consent(
    flags: ConnectFlags,
    target: string,
    what: 'showSecret' | 'rotate' | 'revoke',
  ): Promise<boolean> {
    const handoffTo = [flags['output-file'], flags['ren-url'] && displayUrl(flags['ren-url'].href)].filter(Boolean);
    const questions = {
      rotate: (): string =>
        messages.getMessage('prompt.rotate', [
          flags.app,
          target,
          // Messages are trimmed: the space before the parenthesis is added here.
          handoffTo.length > 0 ? ` ${messages.getMessage('prompt.rotate.handoff', [handoffTo.join(', ')])}` : '',
        ]),
      revoke: (): string => messages.getMessage('prompt.revoke', [flags.app, target]),
      showSecret: (): string => messages.getMessage('prompt.showSecret', [flags.app, target]),
    };
    const yes = await askConsent((options) => this.confirm(options), {
      noPrompt: flags['no-prompt'],
      json: this.jsonEnabled(),
      question: questions[what](),
      action: messages.getMessage(`consent.${what}`),
      withNoPrompt: sfCommand('ren connect', [['--target-org', target], ...flagPairs(flags), ['--no-prompt', true]]),
    });
    if (yes && what === 'showSecret') this.warn(messages.getMessage('warning.secretShown'));
    return yes;
  }

  private report(result: RenConnectResult, target: string): void {
    this.logSuccess(messages.getMessage(result.rotated ? 'result.rotated' : 'result.collected', [result.app]));
    if (result.rotated?.previousRevoked) this.log(messages.getMessage('result.previousRevoked'));
    else if (result.rotated?.method === 'staged') {
      const until = result.rotated.previousValidUntil ?? messages.getMessage('result.thirtyDays');
      this.log(messages.getMessage('result.previousStillValid', [until, target]));
    }
    printTable(
      this,
      [
        { Field: 'Login URL', Value: result.loginUrl },
        { Field: 'Consumer Key', Value: result.consumerKey },
        { Field: 'Consumer Secret', Value: result.consumerSecret },
        { Field: 'Org Id', Value: result.orgId },
      ],
      // Each value is copied whole into Ren; a wrapped key or secret would come with border characters.
      { whole: ['Value'], key: 'Field' },
    );
    for (const destination of result.handedOffTo) this.log(messages.getMessage('result.handedOff', [destination]));
    if (result.secretAccess.openedForRead) this.log(messages.getMessage('result.settingRestored'));
    const status = sfCommand('ren app status', [['--target-org', target], appFlag(result.app)]);
    this.log(messages.getMessage('result.next', [status]));
  }
}

/** The flags of this run as [flag, value] pairs, to repeat it in a printed command. */
function flagPairs(flags: ConnectFlags): FlagPair[] {
  return [
    appFlag(flags.app),
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
    ['--revoke-previous', flags['revoke-previous']],
  ];
}

/** The flags that repeat this run's hand-off without rotating again (an existing file is then replaced). */
function againFlags(flags: ConnectFlags): string {
  const handOffOnly = flagPairs(flags).filter(
    ([flag]) => !['--rotate', '--rotate-key', '--revoke-previous', '--force'].includes(flag),
  );
  return shellFlags([...handOffOnly, ['--force', Boolean(flags['output-file'])]]);
}
