/*
 * The org-wide part of `sf ren app status`: the two org settings the guide touches (the Authorization Code and
 * Credentials flow switch, and the REST secret access, which should be off unless a command holds it open), a
 * restore an interrupted run left pending, and what the running user may do. Only reads.
 */
import type { Connection } from '@salesforce/core';
import type { Check, CheckStatus } from '../shared/checks.js';
import { optionalRead } from '../shared/errors.js';
import { userPermissions } from '../shared/permissions.js';
import { SECRET_PERMISSIONS } from '../credentials/consumer.js';
import { orgLoginUrl } from '../credentials/loginUrl.js';
import { isHeldByLiveRun, listPendingRestores, type PendingRestore } from '../credentials/pendingRestore.js';
import { readSecretAccess, SECRET_SETTING_PAGE } from '../credentials/secretSetting.js';
import type { AppDefinition } from '../eca/definition.js';
import { missingPermissions, type OrgFacts, readOrgFacts } from '../eca/preconditions.js';
import { createFix, type FixContext } from './fixes.js';
import { statusCheck, statusMessages } from './messages.js';

const messages = statusMessages;

export type OrgStatus = {
  facts: OrgFacts;
  secretAccess?: boolean;
  secretPermissions?: Set<string>;
  /** Restores an interrupted run left for this org (not those of a run still going on). */
  pending: PendingRestore[];
  loginUrl: string;
};

export async function readOrgStatus(conn: Connection, def: AppDefinition): Promise<OrgStatus> {
  const orgId = conn.getAuthInfoFields().orgId ?? '';
  const [facts, secretAccess, secretPermissions, pending, loginUrl] = await Promise.all([
    readOrgFacts(conn, { needsCodeCredentialsFlow: def.codeCredentialsFlow }),
    optionalRead(readSecretAccess(conn)),
    optionalRead(
      userPermissions(
        conn,
        SECRET_PERMISSIONS.map((p) => p.field),
      ),
    ),
    orgId ? listPendingRestores(orgId) : [],
    orgLoginUrl(conn),
  ]);
  return {
    facts,
    secretAccess: secretAccess.value,
    secretPermissions: secretPermissions.value,
    pending: pending.filter((record) => !isHeldByLiveRun(record)),
    loginUrl,
  };
}

/** The secret setting: off is right; on is a warning (Salesforce's advice); a pending restore is a failure. */
function secretSettingCheck(org: OrgStatus, ctx: FixContext): Check {
  const expected = messages.getMessage('expected.secretAccess');
  if (org.pending.length > 0) {
    const since = org.pending.map((p) => p.openedAt).sort()[0];
    return statusCheck(
      'orgSecretAccess',
      'fail',
      expected,
      messages.getMessage('actual.pendingRestore', [since]),
      createFix(ctx),
    );
  }
  if (org.secretAccess === undefined)
    return statusCheck('orgSecretAccess', 'warn', expected, messages.getMessage('actual.unknown'));
  if (org.secretAccess) {
    const fix = messages.getMessage('fix.secretAccessOn', [SECRET_SETTING_PAGE]);
    return statusCheck('orgSecretAccess', 'warn', expected, messages.getMessage('actual.on'), fix);
  }
  return statusCheck('orgSecretAccess', 'pass', expected, messages.getMessage('actual.off'));
}

/** The org settings the flow and the hand-off need, and what the running user may do. */
export function orgAndUserChecks(def: AppDefinition, org: OrgStatus, ctx: FixContext): Check[] {
  const unknown = messages.getMessage('actual.unknown');
  const checks: Check[] = [];
  if (def.codeCredentialsFlow) {
    const flow = org.facts.codeCredentialsFlow;
    const status: CheckStatus = flow === true ? 'pass' : flow === false ? 'fail' : 'warn';
    const actual = flow === undefined ? unknown : String(flow);
    checks.push(
      statusCheck('orgFlow', status, 'true', actual, createFix(ctx, [['--allow-code-credentials-flows', true]])),
    );
  }
  checks.push(secretSettingCheck(org, ctx));

  const fix = messages.getMessage('fix.permissions');
  const granted = messages.getMessage('actual.granted');
  const lacking = org.secretPermissions
    ? SECRET_PERMISSIONS.filter((p) => !org.secretPermissions?.has(p.field)).map((p) => p.label)
    : undefined;
  const secretActual =
    lacking === undefined
      ? unknown
      : lacking.length > 0
        ? messages.getMessage('actual.lacking', [lacking.join(', ')])
        : granted;
  const secretStatus: CheckStatus = lacking?.length === 0 ? 'pass' : 'warn';
  checks.push(
    statusCheck('userSecret', secretStatus, messages.getMessage('expected.secretPermissions'), secretActual, fix),
  );
  const cannotChange = missingPermissions(org.facts, [
    'ExternalClientApplication',
    'ExtlClntAppOauthConfigurablePolicies',
  ]).map((p) => p.label);
  const changeActual =
    cannotChange.length > 0 ? messages.getMessage('actual.lacking', [cannotChange.join('; ')]) : granted;
  const changeStatus: CheckStatus = cannotChange.length > 0 ? 'warn' : 'pass';
  checks.push(
    statusCheck('userChange', changeStatus, messages.getMessage('expected.changePermissions'), changeActual, fix),
  );
  return checks;
}
