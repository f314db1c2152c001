/*
 * What an org and the running user must have before (and besides) Ren's app: the org's edition, API access, My
 * Domain, the two org settings the guide touches (the flow switch, the REST secret access and a restore an
 * interrupted run left pending) and the user's permissions for each step of the guide. Only reads.
 *
 * The org settings are `sf ren app status`'s own checks (status/orgChecks.ts): taken from its reading when the app
 * exists, read the same way here when it does not. The permissions are judged by the rules the steps themselves
 * apply (eca/preconditions.ts for the deploys, the secret permissions of credentials/consumer.ts for the hand-off,
 * the rotation permission where the org has one), from one read of everything they name.
 */
import type { Connection } from '@salesforce/core';
import { ROTATION_PERMISSION } from '../credentials/connect.js';
import { SECRET_PERMISSIONS } from '../credentials/consumer.js';
import { COMPONENT_TYPES } from '../eca/components.js';
import type { AppDefinition } from '../eca/definition.js';
import {
  ALL_PERMISSION_FIELDS,
  CODE_CREDENTIALS_EDITIONS,
  missingPermissions,
  type OrgFacts,
  orgEdition,
} from '../eca/preconditions.js';
import type { Check, CheckStatus } from '../shared/checks.js';
import { errorCode, isAccessRefused, optionalRead, type Reading } from '../shared/errors.js';
import { userPermissions } from '../shared/permissions.js';
import type { FixContext } from '../status/fixes.js';
import type { StatusReport } from '../status/appStatus.js';
import { statusMessages } from '../status/messages.js';
import { orgLoginUrl } from '../credentials/loginUrl.js';
import { orgAndUserChecks, readOrgStatus } from '../status/orgChecks.js';
import { reportCheck, reportMessages as messages } from './messages.js';
import { place, type PlacedCheck } from './setupLinks.js';

/** The org's prerequisites and the user's permissions step by step, each in its group. */
export type Prerequisites = { org: PlacedCheck[]; user: PlacedCheck[]; edition?: string; loginUrl: string };

/** The generic login hosts an org without a My Domain falls back to (credentials/loginUrl.ts). */
const GENERIC_LOGIN_HOSTS = ['login.salesforce.com', 'test.salesforce.com'];
const API_DISABLED = ['API_DISABLED_FOR_ORG', 'API_CURRENTLY_DISABLED'];

/** The names of `sf ren app status`'s org-wide checks: the report shows them among the prerequisites. */
export const ORG_SETTING_CHECKS = ['check.orgFlow', 'check.orgSecretAccess'].map((key) =>
  statusMessages.getMessage(key),
);
/** The names of status's two permission checks, which the report's step-by-step permissions replace. */
export const USER_CHECKS = ['check.userSecret', 'check.userChange'].map((key) => statusMessages.getMessage(key));

function editionCheck(def: AppDefinition, edition: Reading<string | undefined>): Check {
  const expected = def.codeCredentialsFlow
    ? messages.getMessage('expected.editionWithFlow', [CODE_CREDENTIALS_EDITIONS.join(', ')])
    : messages.getMessage('expected.edition');
  if (!edition.value)
    return reportCheck('edition', 'warn', expected, edition.error?.message ?? messages.getMessage('actual.unknown'));
  const usable = !def.codeCredentialsFlow || CODE_CREDENTIALS_EDITIONS.includes(edition.value);
  return reportCheck('edition', usable ? 'pass' : 'fail', expected, edition.value, messages.getMessage('fix.edition'));
}

function apiCheck(api: Reading<Set<string>>): Check {
  const expected = messages.getMessage('expected.api');
  const fix = messages.getMessage('fix.api');
  if (api.error && API_DISABLED.includes(errorCode(api.error) ?? ''))
    return reportCheck('api', 'fail', expected, messages.getMessage('actual.apiRefused', [api.error.message]), fix);
  if (!api.value)
    return reportCheck('api', 'warn', expected, api.error?.message ?? messages.getMessage('actual.unknown'));
  return api.value.has('PermissionsApiEnabled')
    ? reportCheck('api', 'pass', expected, messages.getMessage('actual.apiGranted'))
    : reportCheck('api', 'fail', expected, messages.getMessage('actual.apiLacking'), fix);
}

function myDomainCheck(loginUrl: string): Check {
  const host = new URL(loginUrl).hostname;
  const generic = GENERIC_LOGIN_HOSTS.includes(host);
  const actual = generic ? messages.getMessage('actual.genericLoginHost', [loginUrl]) : loginUrl;
  return reportCheck(
    'myDomain',
    generic ? 'fail' : 'pass',
    messages.getMessage('expected.myDomain'),
    actual,
    messages.getMessage('fix.myDomain'),
  );
}

/** One step's permissions: pass when the user has them all, a warning naming each missing one (as status does). */
function stepCheck(key: string, lacking: string[] | undefined, noteKey?: string): Check {
  const expected = messages.getMessage('expected.granted');
  if (lacking === undefined) return reportCheck(key, 'warn', expected, messages.getMessage('actual.unknown'));
  const status: CheckStatus = lacking.length === 0 ? 'pass' : 'warn';
  const actual =
    lacking.length === 0
      ? messages.getMessage('actual.granted')
      : messages.getMessage('actual.lacking', [lacking.join('; ')]);
  const shown = noteKey ? messages.getMessage(noteKey, [actual]) : actual;
  return reportCheck(key, status, expected, shown, messages.getMessage('fix.permissions'));
}

/**
 * Rotating needs the hand-off's permissions and, where the org has the field, "Allow consumer key and secret
 * rotation": an org without it (INVALID_FIELD) does not ask for it, as `sf ren connect --rotate` does not
 * (docs/salesforce.md §10.9). Undefined when either reading is unknown.
 */
function rotationLacking(secret: string[] | undefined, rotation: Reading<Set<string>>): string[] | undefined {
  if (!secret) return undefined;
  if (errorCode(rotation.error) === 'INVALID_FIELD') return secret;
  if (!rotation.value) return undefined;
  return rotation.value.has(ROTATION_PERMISSION) ? secret : [...secret, messages.getMessage('permission.rotation')];
}

const DEPLOY_TYPES = COMPONENT_TYPES.map((t) => t.type);
const POLICY_TYPES = ['ExtlClntAppOauthConfigurablePolicies'];

/** Every permission field the steps name: API access, what a deploy may need, the secret's. */
const STEP_FIELDS = [
  ...new Set(['PermissionsApiEnabled', ...ALL_PERMISSION_FIELDS, ...SECRET_PERMISSIONS.map((p) => p.field)]),
];

/** The user's permissions for each step: create, pre-authorize, hand off, rotate. */
function stepChecks(granted: Reading<Set<string>>, rotation: Reading<Set<string>>): Check[] {
  // Being refused the read itself means the user lacks what it was about to check (as preconditions.ts reads it).
  const refused = isAccessRefused(granted.error);
  const facts: OrgFacts = { permissions: granted.value, refused, warnings: [] };
  const deploy = (types: string[]): string[] | undefined =>
    granted.value !== undefined || refused ? missingPermissions(facts, types).map((p) => p.label) : undefined;
  const secret = granted.value
    ? SECRET_PERMISSIONS.filter((p) => !granted.value?.has(p.field)).map((p) => p.label)
    : refused
      ? SECRET_PERMISSIONS.map((p) => p.label)
      : undefined;
  const noRotationField = errorCode(rotation.error) === 'INVALID_FIELD';
  return [
    stepCheck('stepCreate', deploy(DEPLOY_TYPES)),
    stepCheck('stepPreauthorize', deploy(POLICY_TYPES)),
    stepCheck('stepHandoff', secret),
    stepCheck(
      'stepRotate',
      rotationLacking(secret, rotation),
      noRotationField ? 'actual.noRotationPermission' : undefined,
    ),
  ];
}

/**
 * The org settings as status judged them (the flow switch, the secret access and a pending restore); an org without
 * the app has none in its status, so they are read here the same way.
 */
export async function orgSettingChecks(
  conn: Connection,
  def: AppDefinition,
  ctx: FixContext,
  status: StatusReport,
): Promise<PlacedCheck[]> {
  const fromStatus = status.checks.filter((c) => ORG_SETTING_CHECKS.includes(c.name));
  const settings = fromStatus.length > 0 ? fromStatus : orgAndUserChecks(def, await readOrgStatus(conn, def), ctx);
  const byName = (name: string): Check[] => settings.filter((c) => c.name === name);
  return [
    ...place(byName(ORG_SETTING_CHECKS[0]), 'org', 'oauthSettings'),
    ...place(byName(ORG_SETTING_CHECKS[1]), 'org', 'ecaSettings'),
  ];
}

/** Edition, API access, My Domain and the step-by-step permissions (the org settings: orgSettingChecks). */
export async function readPrerequisites(conn: Connection, def: AppDefinition): Promise<Prerequisites> {
  const [edition, granted, rotation, loginUrl] = await Promise.all([
    optionalRead(orgEdition(conn)),
    optionalRead(userPermissions(conn, STEP_FIELDS)),
    optionalRead(userPermissions(conn, [ROTATION_PERMISSION])),
    orgLoginUrl(conn),
  ]);
  return {
    org: [
      ...place([editionCheck(def, edition)], 'org', 'company'),
      ...place([apiCheck(granted)], 'org', 'users'),
      ...place([myDomainCheck(loginUrl)], 'org', 'myDomain'),
    ],
    user: place(stepChecks(granted, rotation), 'user', 'users'),
    edition: edition.value,
    loginUrl,
  };
}
