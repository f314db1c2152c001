/**
 * Semantic validation of metadata components, as the Metadata API does it once a component parses (recordXml.ts):
 * against the org and the rest of the transaction — user permissions, names, required fields, formats, the parent
 * app, uniqueness per app, then the checks of each type (validateEca.ts: consumer key, profiles and permission sets,
 * org settings).
 *
 * Problem texts follow docs/salesforce.md (§1, §7.2, §8); texts the docs do not give are marked [?] there and here.
 */
import type { PermissionField } from '../org/directory.js';
import { type Problem, requiredMissing } from './recordXml.js';
import {
  ExternalClientApplication,
  ExtlClntAppGlobalOauthSettings,
  ExtlClntAppOauthConfigurablePolicies,
  ECA_TYPES,
  fieldExistsAt,
} from './types.js';
import { type Incoming, type ValidationContext, sameName } from './validateContext.js';
import { TYPE_CHECKS } from './validateEca.js';

export type { Incoming, ValidationContext } from './validateContext.js';

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

type RequiredPermission = { permission: PermissionField; label: string };

/** Permission a user needs to write a type: ECA types need the ECA permissions of docs/salesforce.md §1.6/§1.7. */
const REQUIRED_PERMISSION: Record<string, RequiredPermission> = {
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

/**
 * Permissions some writes need besides their type's, by reading: global OAuth settings need View Client Secret
 * (`viewClientSecretToDeployGlobalOauth`, MD-GOS "Special Access Rules"), and a rotation needs "Allow consumer key and
 * secret rotation" (`rotationPermission`, as for connected apps: H-CA).
 */
function readingPermissions({ def, record }: Incoming, ctx: ValidationContext): RequiredPermission[] {
  if (def !== ExtlClntAppGlobalOauthSettings) return [];
  const { readings } = ctx.state;
  const rotates = record.shouldRotateConsumerKey === true || record.shouldRotateConsumerSecret === true;
  return [
    ...(readings.viewClientSecretToDeployGlobalOauth
      ? [
          {
            permission: 'PermissionsViewClientSecret' as const,
            label: 'View External Client App Consumer Secrets in Metadata',
          },
        ]
      : []),
    ...(readings.rotationPermission && rotates
      ? [{ permission: 'PermissionsClientSecretRotation' as const, label: 'Allow consumer key and secret rotation' }]
      : []),
  ];
}

function permissionProblem(item: Incoming, ctx: ValidationContext): Problem | undefined {
  const needed = [REQUIRED_PERMISSION[item.def.name], ...readingPermissions(item, ctx)].filter(Boolean);
  const missing = needed.find((n) => !ctx.state.directory.hasPermission(ctx.userId, n.permission));
  if (!missing) return undefined;
  return {
    problem: `Insufficient access rights: the "${missing.label}" user permission is required to change ${item.def.name} components.`,
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
