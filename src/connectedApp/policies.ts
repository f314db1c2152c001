/*
 * The app's OAuth policies: what the org lets us read of them, how they compare with the guide, and how they change.
 *
 * - An app the org owns (a ConnectedApp component): every policy is read from the component and written back through
 *   the Metadata API (updateMetadata of the whole record, only the policy fields changed).
 * - A foreign app installed from Connected Apps OAuth Usage: no API writes its policies (docs/salesforce.md §5).
 *   ConnectedApplication shows permitted users and the refresh token period (not its unit); IP relaxation and the
 *   trusted IP ranges show nowhere. The guide's values become precise Setup steps, and a setting no API reads is
 *   "cannot be verified here", never a pass.
 */
import { Messages, type Connection } from '@salesforce/core';
import { asArray } from '../shared/lists.js';
import type { Check } from '../shared/checks.js';
import {
  type ConnectedAppDefinition,
  type IpRelaxation,
  type PermittedUsers,
  type RefreshTokenPolicy,
  type RefreshTokenUnit,
  refreshTokenPolicyValue,
} from './definition.js';
import { type IpRange, formatIpRange, sameIpRange } from './ipRanges.js';
import type { OrgConnectedApp, OwnedApp } from './orgApp.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@rensystems/plugin-ren', 'connectedApp');

export type RefreshTokenReading = { policy: RefreshTokenPolicy; validity?: number; unit?: RefreshTokenUnit };

/** What the org shows of the policies; an undefined setting is one no API reads. */
export type PolicyReading = {
  source: 'metadata' | 'connected-application';
  permittedUsers: PermittedUsers;
  refreshToken: RefreshTokenReading;
  ipRelaxation?: IpRelaxation;
  ipRanges?: IpRange[];
};

export type PolicySetting = 'permittedUsers' | 'refreshTokenPolicy' | 'ipRelaxation' | 'ipRanges';
export type PolicyChange = { setting: PolicySetting; before: string; after: string };

const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};

/** `infinite`, `zero`, `specific_lifetime:8:HOURS` → its parts. */
export function parseRefreshTokenPolicy(value: string): RefreshTokenReading {
  const match = /^(specific_lifetime|specific_inactivity):(\d+):(HOURS|DAYS|MONTHS)$/i.exec(value);
  if (match)
    return {
      policy: match[1].toLowerCase() as RefreshTokenPolicy,
      validity: Number(match[2]),
      unit: match[3].toUpperCase() as RefreshTokenUnit,
    };
  return { policy: value.toLowerCase() === 'zero' ? 'zero' : 'infinite' };
}

/**
 * The policies as the org shows them. From ConnectedApplication, "valid until revoked" is a null period and
 * "immediately expire" a 0 (assumption, docs/salesforce.md §9.10), and the unit of a period is unknown.
 */
export function readPolicies(app: OrgConnectedApp): PolicyReading | undefined {
  if (app.owned) {
    const config = record(app.owned.record.oauthConfig);
    const policy = record(app.owned.record.oauthPolicy);
    return {
      source: 'metadata',
      permittedUsers:
        config.isAdminApproved === true || config.isAdminApproved === 'true'
          ? 'AdminApprovedPreAuthorized'
          : 'AllSelfAuthorized',
      refreshToken: parseRefreshTokenPolicy(String(policy.refreshTokenPolicy ?? 'infinite')),
      ipRelaxation: String(policy.ipRelaxation ?? 'ENFORCE').toUpperCase() as IpRelaxation,
      ipRanges: asArray(app.owned.record.ipRanges as IpRange | IpRange[]).map((r) => ({
        start: String(r.start),
        end: String(r.end),
        ...(r.description ? { description: String(r.description) } : {}),
      })),
    };
  }
  if (!app.row) return undefined;
  const period = app.row.RefreshTokenValidityPeriod;
  const refreshToken: RefreshTokenReading =
    period === null || period === undefined
      ? { policy: 'infinite' }
      : period === 0
        ? { policy: 'zero' }
        : {
            policy: app.row.OptionsRefreshTokenValidityMetric ? 'specific_inactivity' : 'specific_lifetime',
            validity: period,
          };
  return {
    source: 'connected-application',
    permittedUsers: app.row.OptionsAllowAdminApprovedUsersOnly ? 'AdminApprovedPreAuthorized' : 'AllSelfAuthorized',
    refreshToken,
  };
}

// ---------------------------------------------------------------------------- labels, as Setup shows them

export function permittedUsersLabel(value: PermittedUsers): string {
  return messages.getMessage(`label.permittedUsers.${value}`);
}

export function ipRelaxationLabel(value: IpRelaxation): string {
  return messages.getMessage(`label.ipRelaxation.${value}`);
}

export function refreshTokenLabel(value: RefreshTokenReading): string {
  if (value.policy === 'infinite' || value.policy === 'zero')
    return messages.getMessage(`label.refreshToken.${value.policy}`);
  const unit = value.unit ? value.unit.toLowerCase() : messages.getMessage('label.unitUnknown');
  return messages.getMessage(`label.refreshToken.${value.policy}`, [String(value.validity ?? '?'), unit]);
}

const desiredRefreshToken = (def: ConnectedAppDefinition): RefreshTokenReading =>
  parseRefreshTokenPolicy(refreshTokenPolicyValue(def));

// ------------------------------------------------------------------------------------------ checks against the guide

export type SetupPages = { oauthUsage: string; manageApps: string };

/** The Setup step that sets one policy by hand. */
export function policyStep(
  setting: Exclude<PolicySetting, 'ipRanges'>,
  def: ConnectedAppDefinition,
  pages: SetupPages,
): string {
  const value =
    setting === 'permittedUsers'
      ? permittedUsersLabel(def.permittedUsers)
      : setting === 'ipRelaxation'
        ? ipRelaxationLabel(def.ipRelaxation)
        : refreshTokenLabel(desiredRefreshToken(def));
  return messages.getMessage('step.policy', [
    pages.manageApps,
    def.name,
    messages.getMessage(`setting.${setting}`),
    value,
  ]);
}

export function ipRangeStep(range: IpRange, def: ConnectedAppDefinition, pages: SetupPages): string {
  return messages.getMessage('step.ipRange', [pages.manageApps, def.name, range.start, range.end]);
}

/**
 * One check per policy of the guide. `fixByCommand` is the command that applies a readable difference when the org
 * offers an API for it (an owned app); otherwise the fix is the Setup step.
 */
export function policyChecks(
  def: ConnectedAppDefinition,
  reading: PolicyReading,
  pages: SetupPages,
  fixByCommand?: string,
): Check[] {
  const name = (setting: PolicySetting): string => messages.getMessage(`setting.${setting}`);
  const fix = (step: string): string => fixByCommand ?? step;
  const unverified = messages.getMessage('actual.cannotVerify');
  const checks: Check[] = [];

  const users = reading.permittedUsers === def.permittedUsers;
  checks.push({
    name: name('permittedUsers'),
    status: users ? 'pass' : 'fail',
    expected: permittedUsersLabel(def.permittedUsers),
    actual: permittedUsersLabel(reading.permittedUsers),
    fix: users ? undefined : fix(policyStep('permittedUsers', def, pages)),
  });

  const wanted = desiredRefreshToken(def);
  const got = reading.refreshToken;
  const sameKind = got.policy === wanted.policy && got.validity === wanted.validity;
  const unitUnknown = sameKind && wanted.unit !== undefined && got.unit === undefined;
  const refreshStatus =
    !sameKind || (got.unit !== undefined && got.unit !== wanted.unit) ? 'fail' : unitUnknown ? 'unverified' : 'pass';
  checks.push({
    name: name('refreshTokenPolicy'),
    status: refreshStatus,
    expected: refreshTokenLabel(wanted),
    actual: refreshTokenLabel(got),
    fix: refreshStatus === 'pass' ? undefined : fix(policyStep('refreshTokenPolicy', def, pages)),
  });

  if (reading.ipRelaxation === undefined) {
    checks.push({
      name: name('ipRelaxation'),
      status: 'unverified',
      expected: ipRelaxationLabel(def.ipRelaxation),
      actual: unverified,
      fix: policyStep('ipRelaxation', def, pages),
    });
  } else {
    const same = reading.ipRelaxation === def.ipRelaxation;
    checks.push({
      name: name('ipRelaxation'),
      status: same ? 'pass' : 'fail',
      expected: ipRelaxationLabel(def.ipRelaxation),
      actual: ipRelaxationLabel(reading.ipRelaxation),
      fix: same ? undefined : fix(policyStep('ipRelaxation', def, pages)),
    });
  }

  if (def.ipRanges.length > 0) {
    const expected = def.ipRanges.map(formatIpRange).join(', ');
    if (reading.ipRanges === undefined) {
      checks.push({
        name: name('ipRanges'),
        status: 'unverified',
        expected,
        actual: unverified,
        fix: def.ipRanges.map((r) => ipRangeStep(r, def, pages)).join('\n'),
      });
    } else {
      const missing = def.ipRanges.filter((r) => !reading.ipRanges!.some((have) => sameIpRange(have, r)));
      const actual = reading.ipRanges.map(formatIpRange).join(', ') || messages.getMessage('actual.none');
      checks.push({
        name: name('ipRanges'),
        status: missing.length === 0 ? 'pass' : 'fail',
        expected,
        actual,
        fix: missing.length === 0 ? undefined : fix(missing.map((r) => ipRangeStep(r, def, pages)).join('\n')),
      });
    }
  }
  return checks;
}

// ------------------------------------------------------------------------------------------ writing an owned app

/** The owned app's record with the guide's policies (IP ranges added to the ones it has), and what changes. */
export function plannedOwnedRecord(
  owned: OwnedApp,
  def: ConnectedAppDefinition,
  reading: PolicyReading,
): { record: Record<string, unknown>; changes: PolicyChange[] } {
  const changes: PolicyChange[] = [];
  const next: Record<string, unknown> = { ...owned.record };
  if (reading.permittedUsers !== def.permittedUsers) {
    changes.push({
      setting: 'permittedUsers',
      before: permittedUsersLabel(reading.permittedUsers),
      after: permittedUsersLabel(def.permittedUsers),
    });
  }
  const config: Record<string, unknown> = {
    ...record(owned.record.oauthConfig),
    isAdminApproved: def.permittedUsers === 'AdminApprovedPreAuthorized',
  };
  // The secret is never read back and must never be sent.
  delete config.consumerSecret;
  next.oauthConfig = config;
  const wanted = refreshTokenPolicyValue(def);
  const refreshChanged =
    refreshTokenPolicyValue(
      reading.refreshToken.policy === 'infinite' || reading.refreshToken.policy === 'zero'
        ? { refreshTokenPolicy: reading.refreshToken.policy }
        : {
            refreshTokenPolicy: reading.refreshToken.policy,
            refreshTokenValidity: reading.refreshToken.validity,
            refreshTokenUnit: reading.refreshToken.unit,
          },
    ) !== wanted;
  if (refreshChanged)
    changes.push({
      setting: 'refreshTokenPolicy',
      before: refreshTokenLabel(reading.refreshToken),
      after: refreshTokenLabel(parseRefreshTokenPolicy(wanted)),
    });
  if (reading.ipRelaxation !== def.ipRelaxation) {
    changes.push({
      setting: 'ipRelaxation',
      before: reading.ipRelaxation ? ipRelaxationLabel(reading.ipRelaxation) : '—',
      after: ipRelaxationLabel(def.ipRelaxation),
    });
  }
  next.oauthPolicy = {
    ...record(owned.record.oauthPolicy),
    ipRelaxation: def.ipRelaxation,
    refreshTokenPolicy: wanted,
  };
  const have = reading.ipRanges ?? [];
  const added = def.ipRanges.filter((r) => !have.some((h) => sameIpRange(h, r)));
  if (added.length > 0) {
    changes.push({
      setting: 'ipRanges',
      before: have.map(formatIpRange).join(', ') || '—',
      after: [...have, ...added].map(formatIpRange).join(', '),
    });
    next.ipRanges = [
      ...have,
      ...added.map((r) => ({ start: r.start, end: r.end, ...(r.description ? { description: r.description } : {}) })),
    ];
  }
  return { record: next, changes };
}

/** Saves the owned app's record (updateMetadata); throws the org's error when it refuses. */
export async function saveOwnedApp(conn: Connection, next: Record<string, unknown>): Promise<void> {
  const results = asArray(
    (await conn.metadata.update('ConnectedApp', next as never)) as unknown as {
      success: boolean | string;
      errors?: unknown;
    },
  );
  const failed = results.find((r) => r.success !== true && r.success !== 'true');
  if (failed) {
    const errors = asArray(
      failed.errors as { message?: string; statusCode?: string } | Array<{ message?: string; statusCode?: string }>,
    );
    throw messages.createError('error.RenConnectedAppMetadata', [
      String(next.fullName),
      errors.map((e) => `${e.statusCode ?? ''}: ${e.message ?? ''}`).join('; '),
    ]);
  }
}

/** The two Setup pages of the guide, on the org's own domain (Inven's guide links the first one directly). */
export function setupPages(instanceUrl: string): SetupPages {
  const origin = new URL(instanceUrl).origin;
  return {
    oauthUsage: `${origin}/lightning/setup/ConnectedAppsUsage/home`,
    manageApps: `${origin}/lightning/setup/ConnectedApplication/home`,
  };
}
