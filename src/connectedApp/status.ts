/*
 * Checks an org against a vendor's connected-app guide (Inven's by default), step by step: the app has been used
 * (the first admin login), it is installed, its policies are the guide's, the guide's profiles and permission sets
 * are pre-authorized, and the running user has the permissions the steps still to do need. Only reads.
 */
import { Messages, type Connection } from '@salesforce/core';
import { didYouMean } from '../shared/accessNames.js';
import { type Check, checksOk } from '../shared/checks.js';
import { type Grants, readGrants } from '../shared/grants.js';
import { counted } from '../shared/plural.js';
import type { ConnectedAppDefinition } from './definition.js';
import { type AppStage, type OrgConnectedApp, readConnectedApp } from './orgApp.js';
import { type GuideStep, permissionChecks, readGuidePermissions } from './permissions.js';
import { type PolicyReading, type SetupPages, policyChecks, readPolicies, setupPages } from './policies.js';
import { preauthorizationChecks } from './preauthorize.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@rensystems/plugin-ren', 'connectedApp');

export type StatusReport = {
  name: string;
  stage: AppStage;
  /** ConnectedApplication id, once installed. */
  appId?: string;
  /** Where the policies were read: the org's own ConnectedApp component, or ConnectedApplication. */
  policySource?: PolicyReading['source'];
  /** True when no check failed; checks that cannot be verified here do not count either way. */
  ok: boolean;
  checks: Check[];
  setupPages: SetupPages;
};

export type StatusOptions = {
  /** The setup command for this org and app (for the fixes), e.g. `sf ren connected-app setup --target-org x`. */
  setupCommand: string;
};

export type StatusDetails = { report: StatusReport; app: OrgConnectedApp; grants?: Grants; reading?: PolicyReading };

function usageText(app: OrgConnectedApp): string {
  const { usage } = app;
  if (usage.tokens === 0)
    return messages.getMessage(app.stage === 'installed' ? 'actual.installedNoTokens' : 'actual.noTokens', [app.name]);
  return messages.getMessage('actual.tokens', [
    counted(usage.tokens, 'token'),
    counted(usage.users, 'user'),
    usage.lastUsed ?? '—',
  ]);
}

/** The two first steps of the guide: used once (the admin's login to the vendor), then installed. */
export function lifecycleChecks(
  app: OrgConnectedApp,
  def: ConnectedAppDefinition,
  pages: SetupPages,
  setupCommand: string,
): Check[] {
  const used = app.stage !== 'never-used';
  const suggestions = didYouMean(app.suggestions);
  const installed = app.stage === 'installed';
  return [
    {
      name: messages.getMessage('check.used'),
      status: used ? 'pass' : 'fail',
      expected: messages.getMessage('expected.used', [def.name]),
      actual: usageText(app) + suggestions,
      fix: used ? undefined : def.firstLogin,
    },
    {
      name: messages.getMessage('check.installed'),
      status: installed ? 'pass' : 'fail',
      expected: messages.getMessage('expected.installed'),
      actual: installed
        ? messages.getMessage('actual.installed', [app.row!.Id])
        : messages.getMessage(used ? 'actual.notInstalledListed' : 'actual.notInstalled'),
      fix: installed
        ? undefined
        : messages.getMessage('fix.install', [installStep(def, pages), `${setupCommand} --open`]),
    },
    // Blocked in Connected Apps OAuth Usage (with API Access Control an app must be installed AND unblocked): no API
    // shows it (docs/salesforce.md §10.10), so it is never a pass; it names the page and the step to look at.
    ...(installed
      ? [
          {
            name: messages.getMessage('check.notBlocked'),
            status: 'unverified' as const,
            expected: messages.getMessage('expected.notBlocked'),
            actual: messages.getMessage('actual.blockUnreadable'),
            fix: messages.getMessage('step.unblock', [pages.oauthUsage, def.name]),
          },
        ]
      : []),
  ];
}

export function installStep(def: ConnectedAppDefinition, pages: SetupPages): string {
  return messages.getMessage('step.install', [pages.oauthUsage, def.name]);
}

/** The setup command plus the guide's names, to fix a missing pre-authorization. */
function preauthorizeCommand(def: ConnectedAppDefinition, setupCommand: string): string {
  const quote = (n: string): string => `"${n}"`;
  return [
    setupCommand,
    ...def.profiles.map((n) => `--profile ${quote(n)}`),
    ...def.permissionSets.map((n) => `--permission-set ${quote(n)}`),
  ].join(' ');
}

export async function connectedAppStatus(
  conn: Connection,
  def: ConnectedAppDefinition,
  options: StatusOptions,
): Promise<StatusDetails> {
  const pages = setupPages(conn.instanceUrl);
  const [app, permissions] = await Promise.all([readConnectedApp(conn, def.name), readGuidePermissions(conn)]);
  const checks = lifecycleChecks(app, def, pages, options.setupCommand);
  const outstanding = new Set<GuideStep>();
  if (app.stage === 'never-used') outstanding.add('firstLogin');
  let grants: Grants | undefined;
  const reading = readPolicies(app);
  if (app.row && reading) {
    const policy = policyChecks(def, reading, pages, app.owned ? options.setupCommand : undefined);
    if (policy.some((c) => c.status === 'fail')) outstanding.add('policies');
    grants = await readGrants(conn, app.row.Id);
    const preauthorization = preauthorizationChecks(def, grants, preauthorizeCommand(def, options.setupCommand));
    if (preauthorization.some((c) => c.status === 'fail')) outstanding.add('preauthorize');
    checks.push(...policy, ...preauthorization);
  } else {
    outstanding.add('install');
  }
  const withPreauthorize =
    def.profiles.length + def.permissionSets.length > 0 || def.permittedUsers === 'AdminApprovedPreAuthorized';
  checks.push(...permissionChecks(permissions, outstanding, withPreauthorize));
  return {
    report: {
      name: app.name,
      stage: app.stage,
      appId: app.row?.Id,
      policySource: app.row ? reading?.source : undefined,
      ok: checksOk(checks),
      checks,
      setupPages: pages,
    },
    app,
    grants,
    reading,
  };
}
