/*
 * `sf ren app status`: checks an org against every requirement of the guide (Ren's, or another vendor's definition)
 * and reports each as pass, fail or warn with the expected and actual values and the fix. Only reads. The app's
 * settings are compared by the same rules as the plan (a "pass" is exactly what `sf ren app create` would leave
 * unchanged). This module sits above eca/ and credentials/: it reads both, and neither imports it.
 */
import type { Connection } from '@salesforce/core';
import { didYouMean, listAccessNames } from '../shared/accessNames.js';
import { type Check, type CheckStatus, checksOk, checksPending } from '../shared/checks.js';
import { optionalRead } from '../shared/errors.js';
import { sameName, splitList } from '../shared/lists.js';
import { type ComponentKind, componentType, type MetadataValue, desiredRecords } from '../eca/components.js';
import type { AppDefinition } from '../eca/definition.js';
import { readExistingApp, type ExistingApp, similarAppNames } from '../eca/orgApp.js';
import { sameValue } from '../eca/plan.js';
import { checkApiVersion } from '../eca/preconditions.js';
import { createFix, type FixContext, preauthorizeFix } from './fixes.js';
import { statusCheck, statusMessages } from './messages.js';
import { orgAndUserChecks, readOrgStatus } from './orgChecks.js';
import { previousPairCheck } from './pairCheck.js';
import { probeCheck, type ProbeWait } from './probeCheck.js';

const messages = statusMessages;

export type StatusReport = {
  app: string;
  /** Every required check passes (warnings allowed) and nothing is pending. */
  ok: boolean;
  /** Nothing failed, but something is not true yet (e.g. the login does not know a new app yet): run again later. */
  pending: boolean;
  checks: Check[];
};

export type StatusOptions = FixContext & {
  /** The guide to check against: Ren's, or another vendor's definition. */
  definition: AppDefinition;
  /** How long to wait for a pending probe (a change Salesforce has not made known to its login yet). */
  probeWait?: ProbeWait;
};

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

function component(existing: ExistingApp, kind: ComponentKind): ExistingApp['app'] {
  return kind === 'app' ? existing.app : existing.children[kind];
}

/** One line per setting of the guide; `fix` repairs any of them. */
export function settingChecks(def: AppDefinition, existing: ExistingApp, fix: string): Check[] {
  const desired = desiredRecords(def);
  // A setting the definition leaves unset (another vendor's app without an info URL, say) asks nothing of the org.
  return SETTING_CHECKS.filter(([, kind, field]) => desired[kind][field] !== undefined).map(([name, kind, field]) => {
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

/**
 * The pre-authorized names exist in the org, and someone is pre-authorized when only admin-approved users may
 * connect (nobody can connect Ren otherwise: a failure).
 */
async function preauthorizationChecks(conn: Connection, existing: ExistingApp, ctx: FixContext): Promise<Check[]> {
  const record = existing.children.oauthPolicies?.record ?? {};
  const list = (field: string): string[] => splitList(typeof record[field] === 'string' ? record[field] : undefined);
  const profiles = list('commaSeparatedProfile');
  const permissionSets = list('commaSeparatedPermissionSet');
  const names = await optionalRead(
    listAccessNames(conn, { profiles: profiles.length > 0, permissionSets: permissionSets.length > 0 }),
  );
  const gone = (listed: string[], known: string[] | undefined): string[] =>
    known ? listed.filter((name) => !known.some((k) => sameName(k, name))) : [];
  const missing = [...gone(profiles, names.value?.profiles), ...gone(permissionSets, names.value?.permissionSets)];
  const listed = [...profiles, ...permissionSets].join(', ') || '—';
  const expected = messages.getMessage('expected.existing');
  const checks: Check[] = [];
  if (names.error) checks.push(statusCheck('preauthorizedExist', 'warn', expected, names.error.message));
  else if (missing.length > 0) {
    const fix = preauthorizeFix(
      ctx,
      missing.map((name): [string, string] => ['--remove', name]),
    );
    const actual = messages.getMessage('actual.notInOrg', [missing.join(', ')]);
    checks.push(statusCheck('preauthorizedExist', 'fail', expected, actual, fix));
  } else checks.push(statusCheck('preauthorizedExist', 'pass', expected, listed));
  const nobody =
    record.permittedUsersPolicyType === 'AdminApprovedPreAuthorized' && profiles.length + permissionSets.length === 0;
  checks.push(
    statusCheck(
      'preauthorizedSome',
      nobody ? 'fail' : 'pass',
      messages.getMessage('expected.some'),
      nobody ? messages.getMessage('actual.nobody') : listed,
      messages.getMessage('fix.nobody', [preauthorizeFix(ctx, [['--profile', 'System Administrator']])]),
    ),
  );
  return checks;
}

export async function appStatus(conn: Connection, options: StatusOptions): Promise<StatusReport> {
  await checkApiVersion(conn);
  const def = { ...options.definition, apiName: options.app };
  const [existing, org] = await Promise.all([
    readExistingApp(conn, options.app, conn.getApiVersion()),
    readOrgStatus(conn, def),
  ]);
  if (!existing.app) {
    const similar = await similarAppNames(conn, options.app, existing.others);
    const actual = `${messages.getMessage('actual.absent')}${didYouMean(similar)}`;
    const absent = statusCheck('exists', 'fail', options.app, actual, createFix(options));
    return { app: options.app, ok: false, pending: false, checks: [absent] };
  }
  const checks: Check[] = [
    statusCheck('exists', 'pass', options.app, existing.app.fullName),
    ...settingChecks(def, existing, createFix(options)),
    ...(await preauthorizationChecks(conn, existing, options)),
    ...orgAndUserChecks(def, org, options),
    ...(await previousPairCheck(conn, existing.app.fullName, options)),
    await probeCheck(conn, existing, def, org.loginUrl, options, options.probeWait),
  ];
  const pending = checksPending(checks);
  return { app: existing.app.fullName, ok: checksOk(checks) && !pending, pending, checks };
}
