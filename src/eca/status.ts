/*
 * Checks an org against every requirement of Ren's guide and reports each as pass, fail or warn with the
 * expected and actual values and the fix. Only reads. The app's settings are compared by the same rules as
 * the plan (a status "pass" is exactly what `sf ren app create` would leave unchanged).
 */
import { Messages, type Connection } from '@salesforce/core';
import { listAccessNames } from '../shared/accessNames.js';
import { isSessionError } from '../shared/errors.js';
import { userPermissions } from '../shared/permissions.js';
import { findAppId, findConsumer, readCredentials } from '../credentials/consumer.js';
import { orgLoginUrl } from '../credentials/loginUrl.js';
import { readSecretAccess } from '../credentials/secretAccess.js';
import { type AppDefinition, splitList } from './definition.js';
import { type ComponentKind, componentType, type MetadataValue, desiredRecords } from './components.js';
import { readExistingApp, type ExistingApp } from './orgApp.js';
import { sameValue } from './plan.js';
import { checkApiVersion, missingPermissions, type OrgFacts, readOrgFacts } from './preconditions.js';
import { probeAuthorize } from './probe.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@rensystems/plugin-ren', 'eca.status');

export type CheckStatus = 'pass' | 'fail' | 'warn';
export type Check = { name: string; status: CheckStatus; expected: string; actual: string; fix?: string };
export type StatusReport = { app: string; ok: boolean; checks: Check[] };

/** The guide's settings, each checked as one line: name, component and field. */
const SETTING_CHECKS: Array<[string, ComponentKind, string]> = [
  ['App name', 'app', 'label'],
  ['Contact email', 'app', 'contactEmail'],
  ['Distribution state', 'app', 'distributionState'],
  ['Info URL', 'app', 'infoUrl'],
  ['Icon URL', 'app', 'iconUrl'],
  ['Logo image URL', 'app', 'logoUrl'],
  ['Description', 'app', 'description'],
  ['Callback URL', 'globalOauth', 'callbackUrl'],
  ['OAuth scopes', 'oauthSettings', 'commaSeparatedOauthScopes'],
  ['Authorization Code and Credentials Flow', 'globalOauth', 'isCodeCredFlowEnabled'],
  ['Secret optional for Web Server Flow', 'globalOauth', 'isConsumerSecretOptional'],
  ['Secret required for Refresh Token Flow', 'globalOauth', 'isSecretRequiredForRefreshToken'],
  ['PKCE required', 'globalOauth', 'isPkceRequired'],
  ['App enabled', 'policies', 'isEnabled'],
  ['OAuth plugin enabled', 'policies', 'isOauthPluginEnabled'],
  ['Start page', 'policies', 'startPage'],
  ['Permitted users', 'oauthPolicies', 'permittedUsersPolicyType'],
  ['Refresh token policy', 'oauthPolicies', 'refreshTokenPolicyType'],
  ['IP relaxation', 'oauthPolicies', 'ipRelaxationPolicyType'],
];

const show = (value: MetadataValue | undefined): string =>
  value === undefined ? '—' : typeof value === 'object' ? JSON.stringify(value) : String(value);

async function maybe<T>(work: Promise<T>): Promise<{ value?: T; error?: Error }> {
  try {
    return { value: await work };
  } catch (error) {
    if (isSessionError(error)) throw error;
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }
}

function component(existing: ExistingApp, kind: ComponentKind): ExistingApp['app'] {
  return kind === 'app' ? existing.app : existing.children[kind];
}

/** One line per setting of the guide. */
export function settingChecks(def: AppDefinition, existing: ExistingApp, fix: string): Check[] {
  const desired = desiredRecords(def);
  return SETTING_CHECKS.map(([name, kind, field]) => {
    const current = component(existing, kind);
    const expected = desired[kind][field];
    const actual = current?.record[field];
    const status: CheckStatus = current && sameValue(kind, field, actual, expected) ? 'pass' : 'fail';
    return {
      name: `${name} (${field})`,
      status,
      expected: show(expected),
      actual: current ? show(actual) : messages.getMessage('actual.missingComponent', [componentType(kind).type]),
      fix: status === 'pass' ? undefined : fix,
    };
  });
}

export type StatusOptions = {
  app: string;
  /** The guide to check against: Ren's, or another vendor's definition. */
  definition: AppDefinition;
  /** The alias or username to put into the fix commands. */
  target: string;
};

type CheckLine = (key: string, status: CheckStatus, expected: string, actual: string, fix?: string) => void;

function checker(checks: Check[]): CheckLine {
  return (key, status, expected, actual, fix) => {
    checks.push({
      name: messages.getMessage(`check.${key}`),
      status,
      expected,
      actual,
      fix: status === 'pass' ? undefined : fix,
    });
  };
}

/**
 * The pre-authorized names exist in the org, and someone is pre-authorized when only admin-approved users may
 * connect.
 */
async function preauthorizationChecks(
  conn: Connection,
  existing: ExistingApp,
  check: CheckLine,
  oApp: string,
): Promise<void> {
  const record = existing.children.oauthPolicies?.record ?? {};
  const list = (field: string): string[] => splitList(typeof record[field] === 'string' ? record[field] : undefined);
  const profiles = list('commaSeparatedProfile');
  const permissionSets = list('commaSeparatedPermissionSet');
  const names = await maybe(
    listAccessNames(conn, { profiles: profiles.length > 0, permissionSets: permissionSets.length > 0 }),
  );
  const gone = (listed: string[], known: string[] | undefined): string[] =>
    known ? listed.filter((name) => !known.some((k) => k.toLowerCase() === name.toLowerCase())) : [];
  const missing = [...gone(profiles, names.value?.profiles), ...gone(permissionSets, names.value?.permissionSets)];
  const listed = [...profiles, ...permissionSets].join(', ') || '—';
  const expected = messages.getMessage('expected.existing');
  if (names.error) check('preauthorizedExist', 'warn', expected, names.error.message);
  else if (missing.length > 0) {
    const fix = `sf ren app preauthorize ${oApp} ${missing.map((n) => `--remove "${n}"`).join(' ')}`;
    check('preauthorizedExist', 'fail', expected, messages.getMessage('actual.notInOrg', [missing.join(', ')]), fix);
  } else check('preauthorizedExist', 'pass', expected, listed);
  const nobody =
    record.permittedUsersPolicyType === 'AdminApprovedPreAuthorized' && profiles.length + permissionSets.length === 0;
  check(
    'preauthorizedSome',
    nobody ? 'warn' : 'pass',
    messages.getMessage('expected.some'),
    listed,
    `sf ren app preauthorize ${oApp} --profile "<profile name>"`,
  );
}

type OrgReadings = { facts: OrgFacts; secretAccess?: boolean; secretPermissions?: Set<string> };

/** The org settings the flow and the hand-off need, and what the running user may do. */
function orgAndUserChecks(def: AppDefinition, org: OrgReadings, check: CheckLine, o: string, oApp: string): void {
  const unknown = messages.getMessage('actual.unknown');
  if (def.codeCredentialsFlow) {
    const flow = org.facts.codeCredentialsFlow;
    const status: CheckStatus = flow === true ? 'pass' : flow === false ? 'fail' : 'warn';
    check(
      'orgFlow',
      status,
      'true',
      flow === undefined ? unknown : String(flow),
      `sf ren app create ${o} --allow-code-credentials-flows`,
    );
  }
  const access = org.secretAccess;
  const accessActual =
    access === undefined ? unknown : messages.getMessage(access ? 'actual.on' : 'actual.offRecommended');
  check(
    'orgSecretAccess',
    access === undefined ? 'warn' : 'pass',
    messages.getMessage('expected.secretAccess'),
    accessActual,
    `sf ren connect ${oApp} --allow-secret-access --output-file ren.json`,
  );

  const fix = messages.getMessage('fix.permissions');
  const granted = messages.getMessage('actual.granted');
  const lacking = org.secretPermissions ? SECRET_PERMISSIONS.filter((p) => !org.secretPermissions!.has(p)) : undefined;
  const secretActual =
    lacking === undefined
      ? unknown
      : lacking.length > 0
        ? messages.getMessage('actual.lacking', [lacking.join(', ')])
        : granted;
  check(
    'userSecret',
    lacking?.length === 0 ? 'pass' : 'warn',
    messages.getMessage('expected.secretPermissions'),
    secretActual,
    fix,
  );
  const cannotChange = missingPermissions(org.facts, [
    'ExternalClientApplication',
    'ExtlClntAppOauthConfigurablePolicies',
  ]).map((p) => p.label);
  const changeActual =
    cannotChange.length > 0 ? messages.getMessage('actual.lacking', [cannotChange.join('; ')]) : granted;
  check(
    'userChange',
    cannotChange.length > 0 ? 'warn' : 'pass',
    messages.getMessage('expected.changePermissions'),
    changeActual,
    fix,
  );
}

const SECRET_PERMISSIONS = ['PermissionsViewClientSecret', 'PermissionsExternalClientAppDeveloper'];

export async function appStatus(conn: Connection, options: StatusOptions): Promise<StatusReport> {
  await checkApiVersion(conn);
  const def = { ...options.definition, apiName: options.app };
  const o = `--target-org ${options.target}${options.app === 'ren' ? '' : ` --api-name ${options.app}`}`;
  const oApp = `--target-org ${options.target}${options.app === 'ren' ? '' : ` --app ${options.app}`}`;
  const [existing, facts, secretAccess, secretPermissions, loginUrl] = await Promise.all([
    readExistingApp(conn, options.app, conn.getApiVersion()),
    readOrgFacts(conn, { needsCodeCredentialsFlow: def.codeCredentialsFlow }),
    maybe(readSecretAccess(conn)),
    maybe(userPermissions(conn, SECRET_PERMISSIONS)),
    orgLoginUrl(conn),
  ]);
  const checks: Check[] = [];
  const check = checker(checks);
  if (!existing.app) {
    check('exists', 'fail', options.app, messages.getMessage('actual.absent'), `sf ren app create ${o}`);
    return { app: options.app, ok: false, checks };
  }
  check('exists', 'pass', options.app, existing.app.fullName);
  checks.push(...settingChecks(def, existing, `sf ren app create ${o}`));
  await preauthorizationChecks(conn, existing, check, oApp);
  orgAndUserChecks(
    def,
    { facts, secretAccess: secretAccess.value, secretPermissions: secretPermissions.value },
    check,
    o,
    oApp,
  );
  checks.push(await probeCheck(conn, existing, def, loginUrl, o));
  return { app: existing.app.fullName, ok: checks.every((c) => c.status !== 'fail'), checks };
}

async function probeCheck(
  conn: Connection,
  existing: ExistingApp,
  def: AppDefinition,
  loginUrl: string,
  o: string,
): Promise<Check> {
  const name = messages.getMessage('check.probe');
  const expected = messages.getMessage('expected.probe');
  const global = existing.children.globalOauth?.record ?? {};
  let key = typeof global.consumerKey === 'string' && global.consumerKey ? global.consumerKey : undefined;
  if (!key) {
    const read = await maybe(
      (async (): Promise<string | undefined> => {
        const appId = await findAppId(conn, existing.app!.fullName);
        if (!appId) return undefined;
        const { consumer } = await findConsumer(conn, appId, existing.app!.fullName);
        return consumer ? (await readCredentials(conn, appId, consumer.id, 'key')).consumerKey : undefined;
      })(),
    );
    if (!read.value) {
      return {
        name,
        status: 'warn',
        expected,
        actual: messages.getMessage('probe.noKey', [read.error?.message ?? messages.getMessage('probe.noConsumer')]),
      };
    }
    key = read.value;
  }
  // What Ren's login sends: its own callback URL (not the app's, which may have drifted), PKCE as its guide says.
  const outcome = await probeAuthorize({
    loginUrl,
    clientId: key,
    redirectUri: def.callbackUrl,
    pkce: def.requirePkce,
  });
  if (outcome.accepted)
    return { name, status: 'pass', expected, actual: messages.getMessage('probe.accepted', [loginUrl]) };
  const meaning = messages
    .getMessages('probe.meanings')
    .find((line) => line.startsWith(`${outcome.error}:`))
    ?.replace(/^[^:]+:\s*/, '');
  const described = outcome.description ? ` (${outcome.description})` : '';
  const actual = `${outcome.error}${described}${meaning ? `: ${meaning}` : ''}`;
  return { name, status: 'fail', expected, actual, fix: probeFix(outcome.error, o) };
}

/** What repairs a rejected login: the app's own settings are create's job, the rest a page or a wait. */
function probeFix(error: string, o: string): string {
  if (error === 'redirect_uri_mismatch' || error === 'OAUTH_APP_BLOCKED') return `sf ren app create ${o}`;
  if (error === 'invalid_client_id') return messages.getMessage('fix.probeClientId');
  if (error === 'invalid_request') return messages.getMessage('fix.probeRequest');
  return messages.getMessage('fix.probe');
}
