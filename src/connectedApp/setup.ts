/*
 * Does every step of a vendor's connected-app guide that an API allows, and guides the rest precisely:
 * 1. reads the app and the user's permissions; refuses, naming each missing permission, before anything happens;
 * 2. when the app is not installed: says whether it was ever used, hands the Setup page to the caller (to print and
 *    open), and waits for the Install click (bounded polling);
 * 3. policies: written through the Metadata API when the org owns the app, else the exact Setup steps;
 * 4. pre-authorizes profiles and permission sets (SetupEntityAccess), additive, `--remove` to take one off;
 * 5. verifies with the same checks as `status`.
 * Input mistakes (unknown names, contradictions) stop it before the org is changed or waited for. A second run
 * writes nothing and says `unchanged`.
 */
import { Messages, type Connection } from '@salesforce/core';
import { type AccessParent, listAccessParents, unknownNamesError } from '../shared/accessNames.js';
import type { Check } from '../shared/checks.js';
import { type Grants, readGrants } from '../shared/grants.js';
import type { ConnectedAppDefinition } from './definition.js';
import { type AppStage, type OrgConnectedApp, readConnectedApp, readInstallState, readOwnedApp } from './orgApp.js';
import { type GuideStep, permissionError, readGuidePermissions } from './permissions.js';
import {
  type PolicyChange,
  type SetupPages,
  plannedOwnedRecord,
  policyChecks,
  readPolicies,
  saveOwnedApp,
  setupPages,
} from './policies.js';
import {
  type PreauthorizeRequest,
  applyPreauthorization,
  grantedNames,
  planPreauthorization,
  requestProblem,
} from './preauthorize.js';
import { type StatusReport, connectedAppStatus, installStep } from './status.js';
import { type PollProgress, type WaitOptions, waitForInstall } from './wait.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@rensystems/plugin-ren', 'connectedApp');

export type SetupStage = 'read' | 'wait' | 'policies' | 'preauthorize' | 'verify';

export type SetupRequest = {
  definition: ConnectedAppDefinition;
  /** Names to take off (profiles or permission sets). The names to add are the definition's. */
  remove: string[];
  /** How long to wait for the Install click. */
  timeoutMs: number;
  /** The alias or username, for messages. */
  target: string;
  setupCommand: string;
};

export type InstallGuide = {
  stage: AppStage;
  name: string;
  pages: SetupPages;
  installStep: string;
  firstLogin: string;
  suggestions: string[];
};

export type SetupHooks = {
  onStage?: (stage: SetupStage) => Promise<void> | void;
  /** The app is not installed: the caller prints the guide (and opens the page) before the wait starts. */
  onNotInstalled?: (guide: InstallGuide) => Promise<void> | void;
  onPoll?: (progress: PollProgress) => void;
  /** Test seams for the wait (clock, sleep, intervals). */
  wait?: Partial<WaitOptions>;
};

export type SetupOutcome = {
  name: string;
  appId: string;
  status: 'updated' | 'unchanged';
  installed: 'already' | 'while-waiting';
  waited?: { seconds: number; checks: number };
  policies: {
    method: 'metadata' | 'setup-page';
    changes: PolicyChange[];
    /** Setup steps for readable settings that differ from the guide (no API writes them). */
    manualSteps: string[];
    /** Setup steps for settings no API shows: to check by hand. */
    checkByHand: string[];
  };
  preauthorization: { added: string[]; removed: string[]; profiles: string[]; permissionSets: string[] };
  warnings: string[];
  verification: StatusReport;
};

export async function setupConnectedApp(
  conn: Connection,
  request: SetupRequest,
  hooks: SetupHooks = {},
): Promise<SetupOutcome> {
  const def = request.definition;
  const preauth: PreauthorizeRequest = {
    profiles: def.profiles,
    permissionSets: def.permissionSets,
    remove: request.remove,
  };
  const problem = requestProblem(preauth);
  if (problem) throw problem;
  const wantsPreauthorize = preauth.profiles.length + preauth.permissionSets.length + preauth.remove.length > 0;

  await hooks.onStage?.('read');
  const [first, permissions, parents] = await Promise.all([
    readConnectedApp(conn, def.name),
    readGuidePermissions(conn),
    wantsPreauthorize ? listAccessParents(conn) : undefined,
  ]);
  let app: OrgConnectedApp = first;
  // Names are checked before anything else happens (before a wait, too).
  if (parents) {
    const unknown = planPreauthorization(preauth, { granted: [], parents }).unknown;
    if (unknown.length > 0) throw unknownNamesError(unknown, request.target);
  }
  const grants: Grants | undefined = app.row && parents ? await readGrants(conn, app.row.Id, parents) : undefined;
  const outstanding = outstandingSteps(app, def, grants, preauth);
  const refusal = permissionError(permissions, outstanding, conn.getUsername() ?? request.target);
  if (refusal) throw refusal;

  let waited: SetupOutcome['waited'];
  if (!app.row) {
    const pages = setupPages(conn.instanceUrl);
    await hooks.onNotInstalled?.({
      stage: app.stage,
      name: def.name,
      pages,
      installStep: installStep(def, pages),
      firstLogin: def.firstLogin,
      suggestions: app.suggestions,
    });
    await hooks.onStage?.('wait');
    const result = await waitForInstall(() => readInstallState(conn, def.name), def.name, request.target, {
      timeoutMs: request.timeoutMs,
      onPoll: hooks.onPoll,
      ...hooks.wait,
    });
    app = { ...app, ...result.state, name: result.state.row?.Name ?? app.name };
    waited = { seconds: Math.round(result.elapsedMs / 1000), checks: result.checks };
    if (!app.owned) app = { ...app, ...(await readOwnedApp(conn, app.name)) };
  }
  const row = app.row!;

  await hooks.onStage?.('policies');
  const policies = await applyPolicies(conn, app, def, setupPages(conn.instanceUrl));

  await hooks.onStage?.('preauthorize');
  const { added, removed, warnings } = wantsPreauthorize
    ? await preauthorize(conn, app, preauth, grants ?? (await readGrants(conn, row.Id, parents)), request.target)
    : { added: [], removed: [], warnings: [] };
  if (def.permittedUsers === 'AllSelfAuthorized' && def.profiles.length + def.permissionSets.length > 0) {
    warnings.push(messages.getMessage('warning.selfAuthorized'));
  }

  await hooks.onStage?.('verify');
  const verified = await connectedAppStatus(conn, def, { setupCommand: request.setupCommand });
  const now = grantedNames(verified.grants?.granted ?? []);
  return {
    name: app.name,
    appId: row.Id,
    // Installed while we waited counts as a change of this run, though the admin's click made it.
    status:
      waited !== undefined || policies.changes.length + added.length + removed.length > 0 ? 'updated' : 'unchanged',
    installed: waited ? 'while-waiting' : 'already',
    waited,
    policies,
    preauthorization: { added: added.map((p) => p.name), removed: removed.map((p) => p.name), ...now },
    warnings,
    verification: verified.report,
  };
}

/** Adds and removes the grants the request asks for; a name to remove that the app does not list is a warning. */
async function preauthorize(
  conn: Connection,
  app: OrgConnectedApp,
  request: PreauthorizeRequest,
  grants: Grants,
  target: string,
): Promise<{ added: AccessParent[]; removed: AccessParent[]; warnings: string[] }> {
  const plan = planPreauthorization(request, grants);
  if (plan.unknown.length > 0) throw unknownNamesError(plan.unknown, target);
  const warnings = plan.notGranted.map((n) => messages.getMessage('warning.notPreauthorized', [n, app.name]));
  return { ...(await applyPreauthorization(conn, app.row!.Id, plan)), warnings };
}

/** The guide's steps still to do, as far as the org tells before the run: their permissions are required. */
function outstandingSteps(
  app: OrgConnectedApp,
  def: ConnectedAppDefinition,
  grants: Grants | undefined,
  preauth: PreauthorizeRequest,
): Set<GuideStep> {
  const steps = new Set<GuideStep>();
  if (app.stage === 'never-used') steps.add('firstLogin');
  if (!app.row) steps.add('install');
  const reading = readPolicies(app);
  if (app.owned && reading && plannedOwnedRecord(app.owned, def, reading).changes.length > 0) steps.add('policies');
  if (grants) {
    const plan = planPreauthorization(preauth, grants);
    if (plan.add.length + plan.remove.length > 0) steps.add('preauthorize');
  } else if (preauth.profiles.length + preauth.permissionSets.length + preauth.remove.length > 0) {
    steps.add('preauthorize');
  }
  return steps;
}

/**
 * Writes the policies of an owned app; for a foreign one, the Setup steps of every setting that is not verified as
 * the guide's.
 */
async function applyPolicies(
  conn: Connection,
  app: OrgConnectedApp,
  def: ConnectedAppDefinition,
  pages: SetupPages,
): Promise<SetupOutcome['policies']> {
  const reading = readPolicies(app)!;
  if (app.owned) {
    const { record, changes } = plannedOwnedRecord(app.owned, def, reading);
    if (changes.length > 0) await saveOwnedApp(conn, record);
    return { method: 'metadata', changes, manualSteps: [], checkByHand: [] };
  }
  const checks: Check[] = policyChecks(def, reading, pages, undefined);
  const steps = (status: Check['status']): string[] =>
    checks.filter((c) => c.status === status && c.fix).flatMap((c) => c.fix!.split('\n'));
  return { method: 'setup-page', changes: [], manualSteps: steps('fail'), checkByHand: steps('unverified') };
}
