/*
 * What the org must allow before the app is deployed, checked up front so the admin gets the fix instead
 * of a failed deploy: API version >= 64.0, the org-wide Authorization Code and Credentials Flow switch
 * (when the app uses that flow) and a user with every permission the deploy needs (docs/salesforce.md §1.7).
 *
 * Reading the facts and judging them are separate steps: which permissions are needed depends on which
 * components a run deploys, known only once the org's app has been read.
 */
import { Messages, type Connection, type SfError } from '@salesforce/core';
import { isAccessRefused, isSessionError } from '../shared/errors.js';
import { withRetry } from '../shared/retry.js';
import { userPermissions } from '../shared/permissions.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@rensystems/plugin-ren', 'eca.preconditions');

export const MIN_API_VERSION = 64;

/** A user permission the deploy may need: any one of `fields` grants it. */
export type NeededPermission = { fields: string[]; label: string };

/**
 * The Metadata API serves only users with "Modify Metadata Through Metadata API Functions" or "Modify All Data"
 * (Metadata API Developer Guide, "Metadata API Edit Access"); "Customize Application" alone is not enough.
 */
const DEPLOY: NeededPermission = {
  fields: ['PermissionsModifyMetadata', 'PermissionsModifyAllData'],
  label: '"Modify Metadata Through Metadata API Functions" (or "Modify All Data"), to deploy metadata',
};
const ECA_DEVELOPER: NeededPermission = {
  fields: ['PermissionsExternalClientAppDeveloper'],
  label: '"Create, edit, and delete External Client Apps" (ExternalClientAppDeveloper)',
};
const ECA_ADMIN: NeededPermission = {
  fields: ['PermissionsExternalClientAppAdmin'],
  label: '"View all External Client Apps, view their settings, and edit their policies" (ExternalClientAppAdmin)',
};

/**
 * Deploying global OAuth settings needs "View Client Secret" too: the Metadata API reference says so for users with
 * developer roles (docs/salesforce.md §10.3), so it is asked for before the deploy rather than after a refusal.
 */
const VIEW_CLIENT_SECRET: NeededPermission = {
  fields: ['PermissionsViewClientSecret'],
  label: '"View Client Secret" (ViewClientSecret), to configure global OAuth settings (Metadata API reference)',
};

/**
 * The permissions a deploy of each metadata type needs, besides DEPLOY (docs/salesforce.md §1.6, §1.7). Settings
 * types (OauthOidcSettings) have no access rules of their own.
 */
const PERMISSIONS_BY_TYPE: Record<string, NeededPermission[]> = {
  ExternalClientApplication: [ECA_DEVELOPER],
  ExtlClntAppOauthSettings: [ECA_DEVELOPER],
  ExtlClntAppGlobalOauthSettings: [ECA_DEVELOPER, VIEW_CLIENT_SECRET],
  ExtlClntAppConfigurablePolicies: [ECA_DEVELOPER],
  ExtlClntAppOauthConfigurablePolicies: [ECA_ADMIN],
};

/** Every permission field a deploy of the app's components may need (one read asks for all of them). */
export const ALL_PERMISSION_FIELDS = [
  ...new Set([DEPLOY, ECA_DEVELOPER, ECA_ADMIN, VIEW_CLIENT_SECRET].flatMap((p) => p.fields)),
];

/**
 * The editions that have the Authorization Code and Credentials Flow: "Available in: Enterprise, Unlimited, and
 * Developer Editions" (Headless Identity guide, docs/salesforce.md §10.2); Performance Edition includes Unlimited's
 * features. Sandboxes and scratch orgs report their edition the same way.
 */
export const CODE_CREDENTIALS_EDITIONS = [
  'Enterprise Edition',
  'Unlimited Edition',
  'Developer Edition',
  'Performance Edition',
];

/** What the org says about itself and the running user. `undefined` = the org did not say (a warning tells). */
export type OrgFacts = {
  codeCredentialsFlow?: boolean;
  /** Organization.OrganizationType, e.g. "Developer Edition". */
  edition?: string;
  /** The permission fields any of the user's permission sets (its profile's included) grants. */
  permissions?: Set<string>;
  /** The org refused to show the user's permissions: the user lacks what we were about to check. */
  refused: boolean;
  warnings: string[];
};

/** Throws RenApiVersionError (the command's version) or RenOrgApiVersionError (the org's) below 64.0. */
export async function checkApiVersion(conn: Connection): Promise<void> {
  const version = conn.getApiVersion();
  if (Number(version) >= MIN_API_VERSION) return;
  const orgMax = await conn.retrieveMaxApiVersion().catch(() => undefined);
  if (orgMax && Number(orgMax) < MIN_API_VERSION) throw messages.createError('error.RenOrgApiVersion', [orgMax]);
  throw messages.createError('error.RenApiVersion', [version]);
}

/**
 * True/false when the org says whether the Authorization Code and Credentials Flow is allowed; throws when
 * it doesn't say (no settings record, or the field left out), so the check is reported as skipped and the
 * deploy decides, rather than refusing an org that may well allow it.
 */
export async function codeCredentialsFlowAllowed(conn: Connection): Promise<boolean> {
  const settings = (await withRetry(() => conn.metadata.read('OauthOidcSettings' as never, 'OauthOidc'))) as unknown as
    Record<string, unknown> | undefined;
  const value = settings?.fullName ? settings.oAuthCdCrdtFlowEnable : undefined;
  if (value === undefined || value === null)
    throw new Error('the org returned no OauthOidcSettings.oAuthCdCrdtFlowEnable');
  return value === true || value === 'true';
}

/** Organization.OrganizationType. */
export async function orgEdition(conn: Connection): Promise<string | undefined> {
  const rows = await withRetry(async () =>
    conn.query<{ OrganizationType?: string }>('SELECT OrganizationType FROM Organization'),
  );
  return rows.records[0]?.OrganizationType ?? undefined;
}

export async function readOrgFacts(
  conn: Connection,
  options: { needsCodeCredentialsFlow: boolean },
): Promise<OrgFacts> {
  const facts: OrgFacts = { refused: false, warnings: [] };
  const skipped =
    (what: string) =>
    (error: unknown): undefined => {
      if (isSessionError(error)) throw error;
      // Being refused the reads themselves means the user lacks the permissions we were about to check.
      if (isAccessRefused(error)) facts.refused = true;
      else facts.warnings.push(messages.getMessage('check.skipped', [what, (error as Error).message]));
      return undefined;
    };
  [facts.codeCredentialsFlow, facts.permissions, facts.edition] = await Promise.all([
    options.needsCodeCredentialsFlow
      ? codeCredentialsFlowAllowed(conn).catch(
          skipped('the org setting "Allow Authorization Code and Credentials Flows"'),
        )
      : undefined,
    userPermissions(conn, ALL_PERMISSION_FIELDS).catch(skipped("your user's permissions")),
    options.needsCodeCredentialsFlow ? orgEdition(conn).catch(skipped("the org's edition")) : undefined,
  ]);
  return facts;
}

/** The permissions a deploy of these metadata types needs that the user lacks (all of them when refused). */
export function missingPermissions(facts: OrgFacts, types: string[]): NeededPermission[] {
  if (types.length === 0) return [];
  const needed = [DEPLOY, ...new Set(types.flatMap((type) => PERMISSIONS_BY_TYPE[type] ?? []))];
  if (facts.refused) return needed;
  if (!facts.permissions) return [];
  return needed.filter((permission) => !permission.fields.some((field) => facts.permissions!.has(field)));
}

export type Judgement = {
  /** The run deploys these metadata types (none: nothing is checked but the flow switch). */
  deployTypes: string[];
  needsCodeCredentialsFlow: boolean;
  /** The user asked to turn the org's flow switch on in this run. */
  allowCodeCredentialsFlows?: boolean;
  username: string;
  /** The org as the user named it, for the log-in fix (never a `<alias>` placeholder). */
  target: string;
};

/** Every precondition the facts fail, each an error with its fix. */
export function preconditionFailures(facts: OrgFacts, judgement: Judgement): SfError[] {
  const failures: SfError[] = [];
  // An edition without the flow can never turn it on: say so before anything is deployed.
  if (judgement.needsCodeCredentialsFlow && facts.edition && !CODE_CREDENTIALS_EDITIONS.includes(facts.edition)) {
    failures.push(messages.createError('error.RenEditionWithoutFlow', [facts.edition]));
    return failures;
  }
  if (
    judgement.needsCodeCredentialsFlow &&
    facts.codeCredentialsFlow === false &&
    !judgement.allowCodeCredentialsFlows
  ) {
    failures.push(messages.createError('error.RenOrgSetting'));
  }
  const missing = missingPermissions(facts, judgement.deployTypes);
  if (missing.length > 0) {
    const lines = missing.map((permission) => `  - ${permission.label}`).join('\n');
    failures.push(messages.createError('error.RenPermission', [judgement.username, lines], [judgement.target]));
  }
  return failures;
}
