import { Messages } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import type { Connection } from '@salesforce/core';
import { type AppDefinition, mergeDefinition, splitList } from '../../../app/definition.js';
import { readDefinitionFile } from '../../../app/validate.js';
import {
  assertValidDefinition,
  createOrUpdateApp,
  type CreateAppResult,
  invalidDefinitionError,
  resolveDefinitionNames,
  type Stage,
  writeAppSource,
} from '../../../app/createApp.js';
import { type FieldChange } from '../../../app/plan.js';
import {
  DISTRIBUTION_STATE_FLAG,
  fromFlag,
  IP_RELAXATION_FLAG,
  PERMITTED_USERS_FLAG,
  REFRESH_TOKEN_POLICY_FLAG,
  REFRESH_TOKEN_UNIT_FLAG,
  scopesFromFlag,
  START_PAGE_FLAG,
} from '../../../app/flagValues.js';
import { toRenError } from '../../../errors.js';
import { StageDisplay } from '../../../ui/stages.js';
import { targetName } from '../../../ui/target.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-ren', 'ren.app.create');

export type RenAppCreateResult = {
  apiName: string;
  label: string;
  /** Record id of the ExternalClientApplication (0xI…), when known. */
  id?: string;
  status: 'created' | 'updated' | 'unchanged';
  changes: FieldChange[];
  deployId?: string;
  dryRun: boolean;
  /** Files written with --output-dir. */
  files?: string[];
};

const keys = <M extends Record<string, string>>(map: M): string[] => Object.keys(map);

export default class RenAppCreate extends SfCommand<RenAppCreateResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');

  public static readonly flags = {
    'target-org': Flags.requiredOrg(),
    'api-version': Flags.orgApiVersion(),
    definition: Flags.file({ summary: messages.getMessage('flags.definition.summary'), exists: true }),
    label: Flags.string({ summary: messages.getMessage('flags.label.summary') }),
    'api-name': Flags.string({ char: 'n', summary: messages.getMessage('flags.api-name.summary') }),
    'contact-email': Flags.string({ summary: messages.getMessage('flags.contact-email.summary') }),
    'contact-phone': Flags.string({ summary: messages.getMessage('flags.contact-phone.summary') }),
    description: Flags.string({ summary: messages.getMessage('flags.description.summary') }),
    'distribution-state': Flags.option({
      summary: messages.getMessage('flags.distribution-state.summary'),
      options: keys(DISTRIBUTION_STATE_FLAG),
    })(),
    'info-url': Flags.string({ summary: messages.getMessage('flags.info-url.summary') }),
    'icon-url': Flags.string({ summary: messages.getMessage('flags.icon-url.summary') }),
    'logo-url': Flags.string({ summary: messages.getMessage('flags.logo-url.summary') }),
    'callback-url': Flags.string({ summary: messages.getMessage('flags.callback-url.summary') }),
    scopes: Flags.string({ summary: messages.getMessage('flags.scopes.summary'), multiple: true }),
    'code-credentials-flow': Flags.boolean({
      summary: messages.getMessage('flags.code-credentials-flow.summary'),
      allowNo: true,
    }),
    'require-secret-web-server': Flags.boolean({
      summary: messages.getMessage('flags.require-secret-web-server.summary'),
      allowNo: true,
    }),
    'require-secret-refresh': Flags.boolean({
      summary: messages.getMessage('flags.require-secret-refresh.summary'),
      allowNo: true,
    }),
    'require-pkce': Flags.boolean({ summary: messages.getMessage('flags.require-pkce.summary'), allowNo: true }),
    enabled: Flags.boolean({ summary: messages.getMessage('flags.enabled.summary'), allowNo: true }),
    'start-page': Flags.option({
      summary: messages.getMessage('flags.start-page.summary'),
      options: keys(START_PAGE_FLAG),
    })(),
    'start-url': Flags.string({ summary: messages.getMessage('flags.start-url.summary') }),
    'permitted-users': Flags.option({
      summary: messages.getMessage('flags.permitted-users.summary'),
      options: keys(PERMITTED_USERS_FLAG),
    })(),
    'refresh-token-policy': Flags.option({
      summary: messages.getMessage('flags.refresh-token-policy.summary'),
      options: keys(REFRESH_TOKEN_POLICY_FLAG),
    })(),
    'refresh-token-validity': Flags.integer({
      summary: messages.getMessage('flags.refresh-token-validity.summary'),
      min: 1,
    }),
    'refresh-token-unit': Flags.option({
      summary: messages.getMessage('flags.refresh-token-unit.summary'),
      options: keys(REFRESH_TOKEN_UNIT_FLAG),
    })(),
    'ip-relaxation': Flags.option({
      summary: messages.getMessage('flags.ip-relaxation.summary'),
      options: keys(IP_RELAXATION_FLAG),
    })(),
    profile: Flags.string({ summary: messages.getMessage('flags.profile.summary'), multiple: true }),
    'permission-set': Flags.string({ summary: messages.getMessage('flags.permission-set.summary'), multiple: true }),
    wait: Flags.duration({
      unit: 'minutes',
      defaultValue: 10,
      min: 1,
      summary: messages.getMessage('flags.wait.summary'),
    }),
    'dry-run': Flags.boolean({ summary: messages.getMessage('flags.dry-run.summary'), exclusive: ['output-dir'] }),
    'output-dir': Flags.directory({ summary: messages.getMessage('flags.output-dir.summary'), exclusive: ['dry-run'] }),
  };

  public async run(): Promise<RenAppCreateResult> {
    const { flags } = await this.parse(RenAppCreate);
    const org = flags['target-org'];
    const target = await targetName(org);

    // Everything the user typed is checked before the org is contacted.
    let fromFile: Partial<AppDefinition> | undefined;
    if (flags.definition) {
      const file = await readDefinitionFile(flags.definition);
      if (file.problems.length > 0) throw invalidDefinitionError(file.problems);
      fromFile = file.definition;
    }
    const fromFlags: Partial<AppDefinition> = {
      label: flags.label,
      apiName: flags['api-name'],
      contactEmail: flags['contact-email'],
      contactPhone: flags['contact-phone'],
      description: flags.description,
      distributionState: fromFlag(DISTRIBUTION_STATE_FLAG, flags['distribution-state']),
      infoUrl: flags['info-url'],
      iconUrl: flags['icon-url'],
      logoUrl: flags['logo-url'],
      callbackUrl: flags['callback-url'],
      scopes: scopesFromFlag(flags.scopes),
      codeCredentialsFlow: flags['code-credentials-flow'],
      requireSecretForWebServerFlow: flags['require-secret-web-server'],
      requireSecretForRefreshToken: flags['require-secret-refresh'],
      requirePkce: flags['require-pkce'],
      enabled: flags.enabled,
      startPage: fromFlag(START_PAGE_FLAG, flags['start-page']),
      startUrl: flags['start-url'],
      permittedUsers: fromFlag(PERMITTED_USERS_FLAG, flags['permitted-users']),
      refreshTokenPolicy: fromFlag(REFRESH_TOKEN_POLICY_FLAG, flags['refresh-token-policy']),
      refreshTokenValidityPeriod: flags['refresh-token-validity'],
      refreshTokenValidityUnit: fromFlag(REFRESH_TOKEN_UNIT_FLAG, flags['refresh-token-unit']),
      ipRelaxation: fromFlag(IP_RELAXATION_FLAG, flags['ip-relaxation']),
      profiles: flags.profile ? splitList(flags.profile) : undefined,
      permissionSets: flags['permission-set'] ? splitList(flags['permission-set']) : undefined,
    };
    const requested = mergeDefinition(fromFile, fromFlags);
    assertValidDefinition(requested);

    if (flags['output-dir']) {
      const def = await guard(target, () => resolveDefinitionNames(org.getConnection(flags['api-version']), requested));
      const written = await writeAppSource(def, flags['output-dir']);
      this.log(messages.getMessage('result.written', [def.apiName, written.outputDir]));
      written.files.forEach((file) => this.log(`  ${file}`));
      return { apiName: def.apiName, label: def.label, status: 'created', changes: [], dryRun: false, files: written.files };
    }

    const conn: Connection = org.getConnection(flags['api-version']);
    const dryRun = flags['dry-run'] ?? false;
    const stageTitles: Record<Stage, string> = {
      check: messages.getMessage('stage.check'),
      read: messages.getMessage('stage.read'),
      deploy: messages.getMessage(dryRun ? 'stage.validate' : 'stage.deploy'),
    };
    const display = await StageDisplay.start({
      title: messages.getMessage('title'),
      stages: [...Object.values(stageTitles), messages.getMessage('stage.done')],
      jsonEnabled: this.jsonEnabled(),
      info: { Org: target, 'API version': conn.getApiVersion() },
    });
    let result: CreateAppResult;
    try {
      result = await createOrUpdateApp(conn, requested, {
        dryRun,
        wait: flags.wait,
        onStage: (stage) => display.goto(stageTitles[stage]),
      });
      // With nothing to deploy the deploy stage shows as skipped.
      if (result.status === 'unchanged') display.skipTo(messages.getMessage('stage.done'));
      else display.goto(messages.getMessage('stage.done'));
      display.finish();
    } catch (error) {
      display.fail();
      throw toRenError(error, target);
    }
    result.warnings.forEach((warning) => this.warn(warning));
    this.report(result, target);
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

  private report(result: CreateAppResult, target: string): void {
    const tokens = [result.label, result.apiName, target];
    if (result.status === 'unchanged') {
      this.logSuccess(messages.getMessage('result.unchanged', tokens));
      return;
    }
    const key = result.dryRun ? `result.dryRun.${result.status}` : `result.${result.status}`;
    this.logSuccess(messages.getMessage(key, tokens));
    if (result.changes.length > 0) {
      this.table({
        data: result.changes.map((change) => ({
          Component: `${change.type} ${change.fullName}`,
          Field: change.field,
          Before: show(change.before),
          After: show(change.after),
        })),
      });
    }
    if (!result.dryRun) {
      if (result.id) this.log(`Id: ${result.id}`);
      this.log(messages.getMessage('result.next', [result.label]));
    }
  }
}

async function guard<T>(target: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toRenError(error, target);
  }
}

function show(value: unknown): string {
  if (value === undefined) return '—';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
