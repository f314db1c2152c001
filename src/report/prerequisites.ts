/*
 * What an org and the running user must have before (and besides) Ren's app: the org's edition, API access, My
 * Domain, the two org settings the guide touches (the flow switch, the REST secret access and a restore an
 * interrupted run left pending) and the user's permissions for each step of the guide. Only reads.
 *
 * The org settings are judged by `sf ren app status`'s own checks (status/orgChecks.ts) from the same reading; the
 * permissions by the rules the steps themselves apply (eca/preconditions.ts for the deploys, the secret
 * permissions of credentials/consumer.ts for the hand-off, the rotation permission where the org has one).
 */
import type { Connection } from '@salesforce/core';
import { ROTATION_PERMISSION } from '../credentials/connect.js';
import { SECRET_PERMISSIONS } from '../credentials/consumer.js';
import { COMPONENT_TYPES } from '../eca/components.js';
import type { AppDefinition } from '../eca/definition.js';
import { CODE_CREDENTIALS_EDITIONS, missingPermissions, orgEdition } from '../eca/preconditions.js';
import type { Check, CheckStatus } from '../shared/checks.js';
import { errorCode, optionalRead, type Reading } from '../shared/errors.js';
import { userPermissions } from '../shared/permissions.js';
import type { FixContext } from '../status/fixes.js';
import { statusMessages } from '../status/messages.js';
import { orgAndUserChecks, type OrgStatus, readOrgStatus } from '../status/orgChecks.js';
import { reportCheck, reportMessages as messages } from './messages.js';
import { place, type PlacedCheck } from './setupLinks.js';

export type Prerequisites = { checks: PlacedCheck[]; edition?: string; loginUrl: string };

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

/** The user's permissions for each step: create, pre-authorize, hand off, rotate. */
function stepChecks(org: OrgStatus, rotation: Reading<Set<string>>): Check[] {
  const known = org.facts.permissions !== undefined || org.facts.refused;
  const deploy = (types: string[]): string[] | undefined =>
    known ? missingPermissions(org.facts, types).map((p) => p.label) : undefined;
  const secret = org.secretPermissions
    ? SECRET_PERMISSIONS.filter((p) => !org.secretPermissions?.has(p.field)).map((p) => p.label)
    : undefined;
  const noRotationField = errorCode(rotation.error) === 'INVALID_FIELD';
  return [
    stepCheck('stepCreate', deploy(COMPONENT_TYPES.map((t) => t.type))),
    stepCheck('stepPreauthorize', deploy(['ExtlClntAppOauthConfigurablePolicies'])),
    stepCheck('stepHandoff', secret),
    stepCheck(
      'stepRotate',
      rotationLacking(secret, rotation),
      noRotationField ? 'actual.noRotationPermission' : undefined,
    ),
  ];
}

export async function readPrerequisites(conn: Connection, def: AppDefinition, ctx: FixContext): Promise<Prerequisites> {
  const [org, edition, api, rotation] = await Promise.all([
    readOrgStatus(conn, def),
    // With the flow, the org's facts hold the edition already.
    def.codeCredentialsFlow ? undefined : optionalRead(orgEdition(conn)),
    optionalRead(userPermissions(conn, ['PermissionsApiEnabled'])),
    optionalRead(userPermissions(conn, [ROTATION_PERMISSION])),
  ]);
  const editionRead: Reading<string | undefined> = edition ?? { value: org.facts.edition };
  const settings = orgAndUserChecks(def, org, ctx);
  const byName = (name: string): Check[] => settings.filter((c) => c.name === name);
  return {
    checks: [
      ...place([editionCheck(def, editionRead)], 'org', 'company'),
      ...place([apiCheck(api)], 'org', 'users'),
      ...place([myDomainCheck(org.loginUrl)], 'org', 'myDomain'),
      ...place(byName(ORG_SETTING_CHECKS[0]), 'org', 'oauthSettings'),
      ...place(byName(ORG_SETTING_CHECKS[1]), 'org', 'ecaSettings'),
      ...place(stepChecks(org, rotation), 'user', 'users'),
    ],
    edition: editionRead.value,
    loginUrl: org.loginUrl,
  };
}
