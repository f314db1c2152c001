/**
 * Validation of metadata components, as the Metadata API does it, in two steps.
 *
 * Parsing: every element must be a field of the type known at the API version, with a value of the field's kind
 * (boolean, int, enum value…). Failures are "Error parsing file" problems in a deploy and SOAP faults in CRUD calls.
 *
 * Semantics, against the org and the rest of the transaction: user permissions, names, required fields, formats,
 * the parent app, uniqueness per app, profiles and permission sets, org settings.
 *
 * Problem texts follow salesforce-api.md (§1, §7.2, §8); texts the docs do not give are marked [?] there and here.
 */
import type { PermissionField } from '../org/directory.js';
import { settingsRecord } from '../org/settings.js';
import type { OrgState } from '../org/state.js';
import { MD_NS, type XmlNode, type XmlObject, type XmlValue, isNil, locateElement } from '../xml.js';
import { oauthLinkFor } from './apply.js';
import type { MdRecord, MdValue } from './store.js';
import {
  type FieldDef,
  type FieldTable,
  type MetadataTypeDef,
  ExternalClientApplication,
  ExtlClntAppGlobalOauthSettings,
  ExtlClntAppOauthConfigurablePolicies,
  ExtlClntAppOauthSettings,
  OauthOidcSettings,
  ECA_TYPES,
} from './types.js';

export type Problem = {
  problem: string;
  /** Status code used when the problem is reported by a CRUD call. */
  statusCode: string;
  /** Fields the problem is about (CRUD `errors.fields`). */
  fields?: string[];
  line?: number;
  column?: number;
};

export type ParseResult = { ok: true; fullName?: string; record: MdRecord } | { ok: false; problem: Problem };

/**
 * Converts a component element (the root of a component file, or a CRUD `<metadata>` element) to a record.
 * `source` (the file text) only serves to locate elements for line/column numbers.
 */
export function parseComponent(
  def: MetadataTypeDef,
  node: XmlNode,
  apiVersion: number,
  options: { allowFullName: boolean; source?: string }
): ParseResult {
  const seen = new Map<string, number>();
  const at = (name: string): { line?: number; column?: number } => {
    if (!options.source) return {};
    const occurrence = seen.get(name) ?? 0;
    return locateElement(options.source, name, occurrence) ?? {};
  };
  let fullName: string | undefined;
  const record: MdRecord = {};
  for (const el of node.children) {
    const position = at(el.name);
    seen.set(el.name, (seen.get(el.name) ?? 0) + 1);
    if (el.name === 'fullName' && options.allowFullName) {
      fullName = el.text;
      continue;
    }
    const result = convertField(def.name, def.fields, el, apiVersion, record);
    if (result) return { ok: false, problem: { ...result, ...position } };
  }
  return { ok: true, fullName, record };
}

function invalidElement(name: string, typeName: string): Problem {
  return {
    problem: `Element {${MD_NS}}${name} invalid at this location in type ${typeName}`,
    statusCode: 'INVALID_TYPE',
    fields: [name],
  };
}

/** Adds one element's value to `target`; returns a problem when the element or its value is invalid. */
function convertField(
  typeName: string,
  table: FieldTable,
  el: XmlNode,
  apiVersion: number,
  target: Record<string, MdValue>
): Problem | undefined {
  const field = Object.prototype.hasOwnProperty.call(table, el.name) ? table[el.name] : undefined;
  if (!field || field.since > apiVersion) return invalidElement(el.name, typeName);
  if (!field.list && el.name in target) return invalidElement(el.name, typeName);
  if (isNil(el)) return undefined;
  const value = convertValue(field, el, apiVersion);
  if ('problem' in value) return value.problem;
  if (field.list) {
    const list = (target[el.name] as MdValue[] | undefined) ?? [];
    list.push(value.value);
    target[el.name] = list;
  } else {
    target[el.name] = value.value;
  }
  return undefined;
}

function convertValue(field: FieldDef, el: XmlNode, apiVersion: number): { value: MdValue } | { problem: Problem } {
  if (field.kind === 'complex') {
    const nested: Record<string, MdValue> = {};
    for (const child of el.children) {
      const problem = convertField(field.typeName, field.fields, child, apiVersion, nested);
      if (problem) return { problem };
    }
    const missing = Object.keys(field.fields).find(
      (name) => field.fields[name].required && field.fields[name].since <= apiVersion && !(name in nested)
    );
    if (missing) return { problem: requiredMissing(missing) };
    return { value: nested };
  }
  if (el.children.length > 0) return { problem: invalidElement(el.children[0].name, field.kind) };
  const text = el.text;
  switch (field.kind) {
    case 'string':
      return { value: text };
    case 'boolean':
      if (text === 'true' || text === '1') return { value: true };
      if (text === 'false' || text === '0') return { value: false };
      // Wording not documented [?].
      return { problem: { problem: `'${text}' is not a valid value for the type boolean`, statusCode: 'INVALID_TYPE', fields: [el.name] } };
    case 'int': {
      if (!/^[+-]?\d+$/.test(text)) {
        return { problem: { problem: `'${text}' is not a valid value for the type int`, statusCode: 'INVALID_TYPE', fields: [el.name] } };
      }
      const n = Number(text);
      if ((field.min !== undefined && n < field.min) || (field.max !== undefined && n > field.max)) {
        return {
          problem: { problem: `In field: ${el.name} - value out of range: ${n}`, statusCode: 'FIELD_INTEGRITY_EXCEPTION', fields: [el.name] },
        };
      }
      return { value: n };
    }
    case 'enum':
      if (field.values.includes(text)) return { value: text };
      return {
        problem: { problem: `'${text}' is not a valid value for the enum '${field.enumName}'`, statusCode: 'INVALID_TYPE', fields: [el.name] },
      };
  }
}

function requiredMissing(name: string): Problem {
  return { problem: `Required field is missing: ${name}`, statusCode: 'REQUIRED_FIELD_MISSING', fields: [name] };
}

// ------------------------------------------------------------------------------------------------ semantics

export const ECA_NAME_PROBLEM =
  'The External Client App API Name can only contain underscores and alphanumeric characters. It must be unique, begin with a letter, not include spaces, not end with an underscore, and not contain two consecutive underscores.';

const API_NAME_PROBLEM =
  'The API Name can only contain underscores and alphanumeric characters. It must be unique, begin with a letter, not include spaces, not end with an underscore, and not contain two consecutive underscores.';

/** Developer-name rules [D OR-ECA]: starts with a letter, alphanumerics and `_`, no trailing `_`, no `__`. */
export function isValidApiName(name: string, maxLength: number): boolean {
  return name.length <= maxLength && /^[A-Za-z][A-Za-z0-9_]*$/.test(name) && !name.endsWith('_') && !name.includes('__');
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

/** Field values of a settings type once the transaction applies. */
function settingsAfter(ctx: ValidationContext, def: MetadataTypeDef): MdRecord {
  const incoming = ctx.incoming.find((c) => c.def.name === def.name);
  return incoming ? incoming.record : settingsRecord(ctx.state.store, def.name);
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

/** Permission a user needs to write a type: ECA types need the ECA permissions of salesforce-api.md §1.6/§1.7. */
const REQUIRED_PERMISSION: Record<string, { permission: PermissionField; label: string }> = {
  ExternalClientApplication: { permission: 'PermissionsExternalClientAppDeveloper', label: 'Create, edit, and delete External Client Apps' },
  ExtlClntAppOauthSettings: { permission: 'PermissionsExternalClientAppDeveloper', label: 'Create, edit, and delete External Client Apps' },
  ExtlClntAppGlobalOauthSettings: { permission: 'PermissionsExternalClientAppDeveloper', label: 'Create, edit, and delete External Client Apps' },
  ExtlClntAppConfigurablePolicies: { permission: 'PermissionsExternalClientAppDeveloper', label: 'Create, edit, and delete External Client Apps' },
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
    return isValidApiName(fullName, 40) ? undefined : { problem: ECA_NAME_PROBLEM, statusCode: 'FIELD_INTEGRITY_EXCEPTION', fields: ['fullName'] };
  }
  if (!ECA_TYPES.includes(def) || isValidApiName(fullName, 80)) return undefined;
  return { problem: API_NAME_PROBLEM, statusCode: 'FIELD_INTEGRITY_EXCEPTION', fields: ['fullName'] };
}

function requiredProblem({ def, record }: Incoming, ctx: ValidationContext): Problem | undefined {
  const missing = Object.keys(def.fields).find(
    (name) => def.fields[name].required && def.fields[name].since <= ctx.apiVersion && !(name in record)
  );
  return missing ? requiredMissing(missing) : undefined;
}

function formatProblem({ def, record }: Incoming): Problem | undefined {
  for (const [name, field] of Object.entries(def.fields)) {
    const value = record[name];
    if (typeof value !== 'string' || value === '' || !field.format) continue;
    if (field.format === 'email') {
      if (EMAIL_RE.test(value)) continue;
      return { problem: `In field: ${name} - invalid email address: ${value}`, statusCode: 'FIELD_INTEGRITY_EXCEPTION', fields: [name] };
    }
    const urls = field.format === 'urlList' ? value.split(/[\s,]+/).filter(Boolean) : [value];
    const bad = urls.find((u) => !isUrl(u, field.format === 'url'));
    if (bad !== undefined) {
      return { problem: `In field: ${name} - invalid URL: ${bad}`, statusCode: 'FIELD_INTEGRITY_EXCEPTION', fields: [name] };
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
    problem: "You can't create a connected app. Use an external client app instead, or contact Salesforce Customer Support to enable connected app creation.",
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
 * `ExtlClntAppOauthSettingsId duplicates value on <existing>` (salesforce-api.md §1.10); the other child types get
 * the same rule on their app.
 */
function uniquenessProblem(item: Incoming, appName: string, ctx: ValidationContext): Problem | undefined {
  const { def, fullName } = item;
  const uniqueField = def === ExtlClntAppOauthConfigurablePolicies ? 'ExtlClntAppOauthSettingsId' : 'ExternalClientApplicationId';
  const others = [
    ...ctx.state
      .store.childrenOfApp(def.name, appName)
      .filter((c) => !ctx.deleting?.some((d) => d.type === def.name && sameName(d.fullName, c.fullName)))
      .map((c) => c.fullName),
    ...ctx.incoming.filter((c) => c.def === def && sameName(c.record[def.parentField ?? ''], appName)).map((c) => c.fullName),
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

function oauthSettingsProblem(item: Incoming, ctx: ValidationContext): Problem | undefined {
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
  const missingProfiles = profileNames.filter((name) => !directory.profiles.some((p) => p.Name.toLowerCase() === name.toLowerCase()));
  if (missingProfiles.length > 0) {
    return { problem: `We couldn't find profiles called ${missingProfiles.join(', ')}`, statusCode: 'INVALID_FIELD', fields: ['commaSeparatedProfile'] };
  }
  // Names, not ids: ids fail with this same message (salesforce-api.md §1.6).
  const setNames = splitList(record.commaSeparatedPermissionSet);
  const missingSets = setNames.filter(
    (name) => !directory.permissionSets.some((ps) => !ps.IsOwnedByProfile && ps.Name.toLowerCase() === name.toLowerCase())
  );
  if (missingSets.length > 0) {
    return {
      problem: `We couldn't find permission sets called ${missingSets.join(', ')}`,
      statusCode: 'INVALID_FIELD',
      fields: ['commaSeparatedPermissionSet'],
    };
  }
  const policy = record.refreshTokenPolicyType;
  if ((policy === 'SpecificLifetime' || policy === 'SpecificInactivity') && record.refreshTokenValidityPeriod === undefined) {
    return requiredMissing('refreshTokenValidityPeriod');
  }
  if ((policy === 'SpecificLifetime' || policy === 'SpecificInactivity') && record.refreshTokenValidityUnit === undefined) {
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

// ------------------------------------------------------------------------------------------------ output

/** Field names of a record in output order: alphabetical, secrets dropped. */
function outputFields(table: FieldTable, record: Record<string, MdValue>): string[] {
  return Object.keys(record)
    .filter((k) => !table[k]?.secret)
    .sort((a, b) => a.localeCompare(b));
}

/** A record as an XmlObject (alphabetical elements, secrets never included); nested values recurse. */
export function recordToXmlObject(table: FieldTable, record: Record<string, MdValue>): XmlObject {
  const out: XmlObject = {};
  for (const name of outputFields(table, record)) {
    const field = table[name];
    const render = (v: MdValue): XmlValue =>
      field?.kind === 'complex' && typeof v === 'object' && !Array.isArray(v) ? recordToXmlObject(field.fields, v) : (v as XmlValue);
    const value = record[name];
    out[name] = Array.isArray(value) ? value.map(render) : render(value);
  }
  return out;
}
