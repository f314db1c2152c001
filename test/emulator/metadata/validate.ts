/**
 * Semantic validation of metadata components, as the Metadata API does it once a component parses (recordXml.ts):
 * against the org and the rest of the transaction — user permissions, names, required fields, formats, the parent
 * app, uniqueness per app, profiles and permission sets, org settings.
 *
 * Problem texts follow docs/salesforce.md (§1, §7.2, §8); texts the docs do not give are marked [?] there and here.
 */
import type { PermissionField } from '../org/directory.js';
import { settingsRecord } from '../org/settings.js';
import type { OrgState } from '../org/state.js';
import { oauthLinkFor } from './apply.js';
import { type Problem, requiredMissing } from './recordXml.js';
import { scopeProblem } from './scopes.js';
import type { MdRecord, MdValue } from './store.js';
import {
  type MetadataTypeDef,
  ExternalClientApplication,
  ExtlClntAppGlobalOauthSettings,
  ExtlClntAppOauthConfigurablePolicies,
  ExtlClntAppOauthSettings,
  OauthOidcSettings,
  ECA_TYPES,
  fieldExistsAt,
} from './types.js';

export const ECA_NAME_PROBLEM =
  'The External Client App API Name can only contain underscores and alphanumeric characters. It must be unique, begin with a letter, not include spaces, not end with an underscore, and not contain two consecutive underscores.';

const API_NAME_PROBLEM =
  'The API Name can only contain underscores and alphanumeric characters. It must be unique, begin with a letter, not include spaces, not end with an underscore, and not contain two consecutive underscores.';

/** Developer-name rules [D OR-ECA]: starts with a letter, alphanumerics and `_`, no trailing `_`, no `__`. */
export function isValidApiName(name: string, maxLength: number): boolean {
  return (
    name.length <= maxLength && /^[A-Za-z][A-Za-z0-9_]*$/.test(name) && !name.endsWith('_') && !name.includes('__')
  );
}

const EMAIL_RE = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

function isUrl(value: string, webOnly: boolean): boolean {
  try {
    const url = new URL(value);
    return webOnly ? url.protocol === 'https:' || url.protocol === 'http:' : /^[a-z][a-z0-9+.-]*:$/i.test(url.protocol);
  } catch {
    return false;
  }
}

/** A component arriving in the current transaction (deploy, or one CRUD call). */
export type Incoming = { def: MetadataTypeDef; fullName: string; record: MdRecord };

export type ValidationContext = {
  state: OrgState;
  apiVersion: number;
  userId: string;
  /** Every component of the transaction (including the one validated). */
  incoming: Incoming[];
  /** Components the transaction deletes. */
  deleting?: Array<{ type: string; fullName: string }>;
};

/**
 * Field values of a settings type once the transaction applies: a settings component changes only the fields it
 * carries, and settings apply before the app components of the same deploy (deployPlan.ts).
 */
function settingsAfter(ctx: ValidationContext, def: MetadataTypeDef): MdRecord {
  const incoming = ctx.incoming.find((c) => c.def.name === def.name);
  return { ...settingsRecord(ctx.state.store, def.name), ...incoming?.record };
}

function sameName(a: unknown, b: string): boolean {
  return typeof a === 'string' && a.toLowerCase() === b.toLowerCase();
}

function splitList(value: MdValue | undefined): string[] {
  return typeof value === 'string'
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];
}

/** Permission a user needs to write a type: ECA types need the ECA permissions of docs/salesforce.md §1.6/§1.7. */
const REQUIRED_PERMISSION: Record<string, { permission: PermissionField; label: string }> = {
  ExternalClientApplication: {
    permission: 'PermissionsExternalClientAppDeveloper',
    label: 'Create, edit, and delete External Client Apps',
  },
  ExtlClntAppOauthSettings: {
    permission: 'PermissionsExternalClientAppDeveloper',
    label: 'Create, edit, and delete External Client Apps',
  },
  ExtlClntAppGlobalOauthSettings: {
    permission: 'PermissionsExternalClientAppDeveloper',
    label: 'Create, edit, and delete External Client Apps',
  },
  ExtlClntAppConfigurablePolicies: {
    permission: 'PermissionsExternalClientAppDeveloper',
    label: 'Create, edit, and delete External Client Apps',
  },
  ExtlClntAppOauthConfigurablePolicies: {
    permission: 'PermissionsExternalClientAppAdmin',
    label: 'View all External Client Apps, view their settings, and edit their policies',
  },
};

type Check = (item: Incoming, ctx: ValidationContext) => Problem | undefined;

function permissionProblem({ def }: Incoming, ctx: ValidationContext): Problem | undefined {
  const needed = REQUIRED_PERMISSION[def.name];
  if (!needed || ctx.state.directory.hasPermission(ctx.userId, needed.permission)) return undefined;
  return {
    problem: `Insufficient access rights: the "${needed.label}" user permission is required to change ${def.name} components.`,
    statusCode: 'INSUFFICIENT_ACCESS',
  };
}

function nameProblem({ def, fullName }: Incoming): Problem | undefined {
  if (def === ExternalClientApplication) {
    return isValidApiName(fullName, 40)
      ? undefined
      : { problem: ECA_NAME_PROBLEM, statusCode: 'FIELD_INTEGRITY_EXCEPTION', fields: ['fullName'] };
  }
  if (!ECA_TYPES.includes(def) || isValidApiName(fullName, 80)) return undefined;
  return { problem: API_NAME_PROBLEM, statusCode: 'FIELD_INTEGRITY_EXCEPTION', fields: ['fullName'] };
}

function requiredProblem({ def, record }: Incoming, ctx: ValidationContext): Problem | undefined {
  const missing = Object.keys(def.fields).find(
    (name) => def.fields[name].required && fieldExistsAt(def.fields[name], ctx.apiVersion) && !(name in record),
  );
  return missing ? requiredMissing(missing) : undefined;
}

function formatProblem({ def, record }: Incoming): Problem | undefined {
  for (const [name, field] of Object.entries(def.fields)) {
    const value = record[name];
    if (typeof value !== 'string' || value === '' || !field.format) continue;
    if (field.format === 'email') {
      if (EMAIL_RE.test(value)) continue;
      return {
        problem: `In field: ${name} - invalid email address: ${value}`,
        statusCode: 'FIELD_INTEGRITY_EXCEPTION',
        fields: [name],
      };
    }
    const urls = field.format === 'urlList' ? value.split(/[\s,]+/).filter(Boolean) : [value];
    const bad = urls.find((u) => !isUrl(u, field.format === 'url'));
    if (bad !== undefined) {
      return {
        problem: `In field: ${name} - invalid URL: ${bad}`,
        statusCode: 'FIELD_INTEGRITY_EXCEPTION',
        fields: [name],
      };
    }
  }
  return undefined;
}

/** A child component's app must be in the transaction or in the org (and not deleted by the transaction). */
function parentProblem(item: Incoming, ctx: ValidationContext): Problem | undefined {
  const { def, record } = item;
  if (!def.parentField) return undefined;
  const appName = String(record[def.parentField]);
  const inTransaction = ctx.incoming.some((c) => c.def === ExternalClientApplication && sameName(c.fullName, appName));
  const deleted = ctx.deleting?.some((d) => d.type === ExternalClientApplication.name && sameName(d.fullName, appName));
  const inOrg = ctx.state.store.get(ExternalClientApplication.name, appName) !== undefined && !deleted;
  if (inTransaction || inOrg) return uniquenessProblem(item, appName, ctx);
  return {
    problem: `In field: ${def.parentField} - no ExternalClientApplication named ${appName} found`,
    statusCode: 'INVALID_CROSS_REFERENCE_KEY',
    fields: [def.parentField],
  };
}

/** Connected App creation is blocked from Spring '26 unless Support enables it [D KB-S26]; the text is [?]. */
function connectedAppProblem({ def, fullName }: Incoming, ctx: ValidationContext): Problem | undefined {
  const exists = ctx.state.store.get('ConnectedApp', fullName) !== undefined;
  if (def.name !== 'ConnectedApp' || exists || ctx.state.allowConnectedAppCreation) return undefined;
  return {
    problem:
      "You can't create a connected app. Use an external client app instead, or contact Salesforce Customer Support to enable connected app creation.",
    statusCode: 'FUNCTIONALITY_NOT_ENABLED',
  };
}

/** Checks specific to one type. */
const TYPE_CHECKS: ReadonlyMap<MetadataTypeDef, Check> = new Map<MetadataTypeDef, Check>([
  [ExtlClntAppGlobalOauthSettings, globalOauthProblem],
  [ExtlClntAppOauthSettings, oauthSettingsProblem],
  [ExtlClntAppOauthConfigurablePolicies, (item, ctx): Problem | undefined => oauthPoliciesProblem(item.record, ctx)],
]);

const CHECKS: readonly Check[] = [
  permissionProblem,
  nameProblem,
  requiredProblem,
  formatProblem,
  parentProblem,
  (item, ctx): Problem | undefined => TYPE_CHECKS.get(item.def)?.(item, ctx),
  connectedAppProblem,
];

/** Semantic checks of one component; returns the first problem, as the Metadata API reports one per component. */
export function validateComponent(item: Incoming, ctx: ValidationContext): Problem | undefined {
  for (const check of CHECKS) {
    const problem = check(item, ctx);
    if (problem) return problem;
  }
  return undefined;
}

/**
 * One component of each child type per app: a second OAuth policies record for the same app fails with
 * `ExtlClntAppOauthSettingsId duplicates value on <existing>` (docs/salesforce.md §1.10); the other child types get
 * the same rule on their app.
 */
function uniquenessProblem(item: Incoming, appName: string, ctx: ValidationContext): Problem | undefined {
  const { def, fullName } = item;
  const uniqueField =
    def === ExtlClntAppOauthConfigurablePolicies ? 'ExtlClntAppOauthSettingsId' : 'ExternalClientApplicationId';
  const others = [
    ...ctx.state.store
      .childrenOfApp(def.name, appName)
      .filter((c) => !ctx.deleting?.some((d) => d.type === def.name && sameName(d.fullName, c.fullName)))
      .map((c) => c.fullName),
    ...ctx.incoming
      .filter((c) => c.def === def && sameName(c.record[def.parentField ?? ''], appName))
      .map((c) => c.fullName),
  ];
  const existing = others.find((name) => !sameName(name, fullName));
  if (!existing) return undefined;
  return { problem: `${uniqueField} duplicates value on ${existing}`, statusCode: 'DUPLICATE_VALUE' };
}

function globalOauthProblem(item: Incoming, ctx: ValidationContext): Problem | undefined {
  const { fullName, record } = item;
  const stored = ctx.state.store.get(ExtlClntAppGlobalOauthSettings.name, fullName);
  const storedKey = stored?.record.consumerKey;
  if (record.consumerKey !== undefined && record.consumerKey !== storedKey) {
    return {
      problem: stored
        ? 'You cannot change the Consumer Key of an External Client App. Rotate it with shouldRotateConsumerKey instead.'
        : 'You cannot provide a Consumer Key when you create an External Client App. Salesforce generates it.',
      statusCode: 'FIELD_INTEGRITY_EXCEPTION',
      fields: ['consumerKey'],
    };
  }
  if (record.consumerSecret !== undefined) {
    return {
      problem: 'You cannot provide a Consumer Secret for an External Client App. Salesforce generates it.',
      statusCode: 'FIELD_INTEGRITY_EXCEPTION',
      fields: ['consumerSecret'],
    };
  }
  if (!stored && !hasOauthSettings(String(record.externalClientApplication), ctx)) {
    // Exact text seen on real orgs when the global OAuth settings are deployed without the app's OAuth settings [3P].
    return {
      problem:
        "The external client app configured in your global OAuth Settings doesn't have a valid OAuth settings configuration.",
      statusCode: 'FIELD_INTEGRITY_EXCEPTION',
      fields: ['externalClientApplication'],
    };
  }
  if (record.isCodeCredFlowEnabled === true && settingsAfter(ctx, OauthOidcSettings).oAuthCdCrdtFlowEnable !== true) {
    // The org blocks the flow (OauthOidcSettings.oAuthCdCrdtFlowEnable=false) [D H-CODECRED]; the text is [?].
    return {
      problem:
        "Your org doesn't allow the Authorization Code and Credentials Flow. Turn on Allow Authorization Code and Credentials Flows in OAuth and OpenID Connect Settings (OauthOidcSettings.oAuthCdCrdtFlowEnable) and try again.",
      statusCode: 'FUNCTIONALITY_NOT_ENABLED',
      fields: ['isCodeCredFlowEnabled'],
    };
  }
  if ((record.shouldRotateConsumerKey === true || record.shouldRotateConsumerSecret === true) && !stored) {
    return {
      problem: 'You cannot rotate the consumer credentials of an External Client App that has none yet.',
      statusCode: 'FIELD_INTEGRITY_EXCEPTION',
      fields: [record.shouldRotateConsumerKey === true ? 'shouldRotateConsumerKey' : 'shouldRotateConsumerSecret'],
    };
  }
  return undefined;
}

/** Whether the app has OAuth settings once the transaction applies. */
function hasOauthSettings(appName: string, ctx: ValidationContext): boolean {
  const inTransaction = ctx.incoming.some(
    (c) => c.def === ExtlClntAppOauthSettings && sameName(c.record.externalClientApplication, appName),
  );
  const inOrg = ctx.state.store
    .childrenOfApp(ExtlClntAppOauthSettings.name, appName)
    .some(
      (c) => !ctx.deleting?.some((d) => d.type === ExtlClntAppOauthSettings.name && sameName(d.fullName, c.fullName)),
    );
  return inTransaction || inOrg;
}

function oauthSettingsProblem(item: Incoming, ctx: ValidationContext): Problem | undefined {
  const scopes = item.record.commaSeparatedOauthScopes;
  const unknownScope = typeof scopes === 'string' ? scopeProblem(scopes) : undefined;
  if (unknownScope) return unknownScope;
  const link = item.record.oauthLink;
  if (link === undefined) return undefined;
  const expected = oauthLinkFor(ctx.state, String(item.record.externalClientApplication));
  if (link !== expected) {
    return {
      problem: `In field: oauthLink - ${String(link)} is not the OAuth link of this external client app. Omit oauthLink; Salesforce generates it.`,
      statusCode: 'FIELD_INTEGRITY_EXCEPTION',
      fields: ['oauthLink'],
    };
  }
  return undefined;
}

function oauthPoliciesProblem(record: MdRecord, ctx: ValidationContext): Problem | undefined {
  const { directory } = ctx.state;
  const profileNames = splitList(record.commaSeparatedProfile);
  const missingProfiles = profileNames.filter(
    (name) => !directory.profiles.some((p) => p.Name.toLowerCase() === name.toLowerCase()),
  );
  if (missingProfiles.length > 0) {
    return {
      problem: `We couldn't find profiles called ${missingProfiles.join(', ')}`,
      statusCode: 'INVALID_FIELD',
      fields: ['commaSeparatedProfile'],
    };
  }
  // Names, not ids: ids fail with this same message (docs/salesforce.md §1.6).
  const setNames = splitList(record.commaSeparatedPermissionSet);
  const missingSets = setNames.filter(
    (name) =>
      !directory.permissionSets.some((ps) => !ps.IsOwnedByProfile && ps.Name.toLowerCase() === name.toLowerCase()),
  );
  if (missingSets.length > 0) {
    return {
      problem: `We couldn't find permission sets called ${missingSets.join(', ')}`,
      statusCode: 'INVALID_FIELD',
      fields: ['commaSeparatedPermissionSet'],
    };
  }
  const policy = record.refreshTokenPolicyType;
  if (
    (policy === 'SpecificLifetime' || policy === 'SpecificInactivity') &&
    record.refreshTokenValidityPeriod === undefined
  ) {
    return requiredMissing('refreshTokenValidityPeriod');
  }
  if (
    (policy === 'SpecificLifetime' || policy === 'SpecificInactivity') &&
    record.refreshTokenValidityUnit === undefined
  ) {
    return requiredMissing('refreshTokenValidityUnit');
  }
  if (typeof record.clientCredentialsFlowUser === 'string' && record.clientCredentialsFlowUser !== '') {
    const username = record.clientCredentialsFlowUser.toLowerCase();
    if (!directory.users.some((u) => u.Username.toLowerCase() === username)) {
      return {
        problem: `In field: clientCredentialsFlowUser - no User named ${record.clientCredentialsFlowUser} found`,
        statusCode: 'INVALID_CROSS_REFERENCE_KEY',
        fields: ['clientCredentialsFlowUser'],
      };
    }
  }
  return undefined;
}
