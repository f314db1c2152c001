/*
 * The five metadata components of an External Client App and how an AppDefinition maps onto them
 * (docs/salesforce.md §1.8). Records are plain objects of field → value, the shape readMetadata returns
 * and the deploy files carry.
 */
import { XMLBuilder } from 'fast-xml-parser';
import type { SourceFile } from '../shared/deploy.js';
import { type AppDefinition } from './definition.js';

export type MetadataValue = string | number | boolean | MetadataRecord | MetadataValue[];
export type MetadataRecord = { [field: string]: MetadataValue };

export type ComponentKind = 'app' | 'oauthSettings' | 'globalOauth' | 'policies' | 'oauthPolicies';

export type ComponentType = {
  kind: ComponentKind;
  /** Metadata API type name. */
  type: string;
  suffix: string;
  directory: string;
  /** The fullName we give a new component of this kind (docs/salesforce.md §1.9). */
  defaultName: (apiName: string) => string;
  /** Fields Salesforce fills in itself: never sent, never compared. */
  generated: string[];
  /** Fields that trigger an action on deploy rather than hold state: sent as false, never compared. */
  actions: string[];
  /** Whole-number fields (readMetadata returns every value as text). */
  integers: string[];
  /** Fields compared as sets of comma-separated items. */
  lists: string[];
};

export const COMPONENT_TYPES: readonly ComponentType[] = [
  {
    kind: 'app',
    type: 'ExternalClientApplication',
    suffix: 'eca',
    directory: 'externalClientApps',
    defaultName: (apiName) => apiName,
    generated: ['orgScopedExternalApp', 'managedType'],
    actions: [],
    integers: [],
    lists: [],
  },
  {
    kind: 'oauthSettings',
    type: 'ExtlClntAppOauthSettings',
    suffix: 'ecaOauth',
    directory: 'extlClntAppOauthSettings',
    defaultName: (apiName) => `${apiName}_oauth`,
    generated: ['oauthLink'],
    actions: [],
    integers: ['assetTokenValidity'],
    lists: ['commaSeparatedOauthScopes'],
  },
  {
    kind: 'globalOauth',
    type: 'ExtlClntAppGlobalOauthSettings',
    suffix: 'ecaGlblOauth',
    directory: 'extlClntAppGlobalOauthSets',
    defaultName: (apiName) => `${apiName}_glbloauth`,
    // Orgs reject a client-supplied key ("You cannot provide a Consumer Key"); Salesforce generates both.
    generated: ['consumerKey', 'consumerSecret'],
    actions: ['shouldRotateConsumerKey', 'shouldRotateConsumerSecret'],
    integers: [],
    lists: [],
  },
  {
    kind: 'policies',
    type: 'ExtlClntAppConfigurablePolicies',
    suffix: 'ecaPlcy',
    directory: 'extlClntAppPolicies',
    defaultName: (apiName) => `${apiName}_plcy`,
    generated: [],
    actions: [],
    integers: [],
    lists: [],
  },
  {
    kind: 'oauthPolicies',
    type: 'ExtlClntAppOauthConfigurablePolicies',
    suffix: 'ecaOauthPlcy',
    directory: 'extlClntAppOauthPolicies',
    defaultName: (apiName) => `${apiName}_oauthPlcy`,
    generated: [],
    actions: [],
    integers: ['refreshTokenValidityPeriod', 'sessionTimeoutInMinutes', 'namedUserJwtTimeout', 'guestJwtTimeout'],
    lists: ['commaSeparatedProfile', 'commaSeparatedPermissionSet', 'commaSeparatedCustomScopes'],
  },
];

export function componentType(kind: ComponentKind): ComponentType {
  return COMPONENT_TYPES.find((t) => t.kind === kind)!;
}

export type Component = { kind: ComponentKind; type: string; fullName: string; record: MetadataRecord };

const joinList = (items: readonly string[]): string => items.join(', ');

/** Drops undefined values so optional settings the definition leaves out are not written at all. */
function compact(record: Record<string, MetadataValue | undefined>): MetadataRecord {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as MetadataRecord;
}

/**
 * The records the definition asks for. Child labels are left out: they are not shown anywhere and the
 * org may have named auto-generated children differently, so the caller keeps the org's own label.
 */
export function desiredRecords(def: AppDefinition): Record<ComponentKind, MetadataRecord> {
  const app = def.apiName;
  const specificRefresh =
    def.refreshTokenPolicy === 'SpecificLifetime' || def.refreshTokenPolicy === 'SpecificInactivity';
  return {
    app: compact({
      contactEmail: def.contactEmail,
      contactPhone: def.contactPhone,
      description: def.description,
      distributionState: def.distributionState,
      iconUrl: def.iconUrl,
      infoUrl: def.infoUrl,
      isProtected: false,
      label: def.label,
      logoUrl: def.logoUrl,
    }),
    oauthSettings: compact({
      commaSeparatedOauthScopes: joinList(def.scopes),
      externalClientApplication: app,
    }),
    globalOauth: compact({
      callbackUrl: def.callbackUrl,
      externalClientApplication: app,
      isCodeCredFlowEnabled: def.codeCredentialsFlow,
      isConsumerSecretOptional: !def.requireSecretForWebServerFlow,
      isPkceRequired: def.requirePkce,
      isSecretRequiredForRefreshToken: def.requireSecretForRefreshToken,
      shouldRotateConsumerKey: false,
      shouldRotateConsumerSecret: false,
    }),
    policies: compact({
      externalClientApplication: app,
      isEnabled: def.enabled,
      isOauthPluginEnabled: true,
      startPage: def.startPage,
      startUrl: def.startPage === 'Custom' ? def.startUrl : undefined,
    }),
    oauthPolicies: compact({
      commaSeparatedPermissionSet: def.permissionSets.length > 0 ? joinList(def.permissionSets) : undefined,
      commaSeparatedProfile: def.profiles.length > 0 ? joinList(def.profiles) : undefined,
      externalClientApplication: app,
      ipRelaxationPolicyType: def.ipRelaxation,
      permittedUsersPolicyType: def.permittedUsers,
      refreshTokenPolicyType: def.refreshTokenPolicy,
      refreshTokenValidityPeriod: specificRefresh ? def.refreshTokenValidityPeriod : undefined,
      refreshTokenValidityUnit: specificRefresh ? def.refreshTokenValidityUnit : undefined,
    }),
  };
}

/** An element the org sent as `xsi:nil="true"` (jsforce: `{ $: { 'xsi:nil': 'true' } }`): no value. */
function isNil(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const attributes = (value as { $?: Record<string, unknown> }).$;
  return (
    attributes !== undefined &&
    Object.entries(attributes).some(([key, v]) => /(^|:)nil$/.test(key) && String(v) === 'true')
  );
}

/**
 * readMetadata (through jsforce, which knows no schema for these types) returns every value as text:
 * turn "true"/"false" and whole-number fields back into booleans and numbers, and drop the fullName
 * and xsi:type bookkeeping so records compare field by field.
 */
export function normalizeRecord(kind: ComponentKind, raw: Record<string, unknown>): MetadataRecord {
  const integers = new Set(componentType(kind).integers);
  const convert = (field: string, value: unknown): MetadataValue | undefined => {
    if (value === null || value === undefined || isNil(value)) return undefined;
    if (Array.isArray(value)) return value.map((item) => convert(field, item)).filter((v) => v !== undefined);
    if (typeof value === 'object') {
      const inner = compact(
        Object.fromEntries(
          Object.entries(value as Record<string, unknown>)
            .filter(([key]) => key !== '$')
            .map(([key, item]) => [key, convert(key, item)]),
        ),
      );
      // An element with nothing in it is not written back as an empty element.
      return Object.keys(inner).length > 0 ? inner : undefined;
    }
    if (value === 'true' || value === true) return true;
    if (value === 'false' || value === false) return false;
    if (integers.has(field) && /^-?\d+$/.test(String(value))) return Number(value);
    return value as string | number;
  };
  const record: Record<string, MetadataValue | undefined> = {};
  for (const [field, value] of Object.entries(raw)) {
    if (field === 'fullName' || field === '$' || field.startsWith('@_')) continue;
    record[field] = convert(field, value);
  }
  return compact(record);
}

const NAMESPACE = 'http://soap.sforce.com/2006/04/metadata';

/**
 * Metadata XML of one record, fields in the record's own order: the plan keeps the org's order for a
 * record it read and uses alphabetical order (as a retrieve returns them) for a new one.
 */
export function metadataXml(type: string, record: MetadataRecord): string {
  const builder = new XMLBuilder({ ignoreAttributes: false, format: true, indentBy: '    ', suppressEmptyNode: true });
  const body = builder.build({ [type]: { '@_xmlns': NAMESPACE, ...record } });
  return `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
}

/** One component as a metadata XML file. */
export function componentXml(component: Component): string {
  return metadataXml(component.type, component.record);
}

/** Where a component lives in a source-format project (package directory relative). */
export function sourcePath(component: Component): string {
  const t = componentType(component.kind);
  return `${t.directory}/${component.fullName}.${t.suffix}-meta.xml`;
}

/** A component as a source-format file, ready to write or deploy. */
export function sourceFile(component: Component): SourceFile {
  return { path: sourcePath(component), content: componentXml(component) };
}
