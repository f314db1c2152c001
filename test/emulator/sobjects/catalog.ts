/**
 * The object catalog: the sObjects the emulator serves over REST (query and sobjects/{Type}/{Id}), with their fields,
 * relationships and rows (schema.ts has the shapes). Rows of ExternalClientApplication, ExtlClntAppOauthPlcyCnfg,
 * ExtlClntAppOauthSettings and part of ConnectedApplication are derived from the metadata store, so SOQL always
 * agrees with the Metadata API.
 */
import { KeyPrefix, sameId } from '../ids.js';
import type { StoredComponent } from '../metadata/store.js';
import { refreshTokenColumns } from '../org/connectedApps.js';
import { PERMISSION_FIELDS } from '../org/directory.js';
import type { OrgState } from '../org/state.js';
import type { Catalog, FieldType, Row, SObjectDef, SObjectField } from './schema.js';

const f = (name: string, type: FieldType = 'string'): SObjectField => ({ name, type });
const ref = (name: string, relationshipName: string, referenceTo: string): SObjectField => ({
  name,
  type: 'reference',
  relationshipName,
  referenceTo,
});

const AUDIT_FIELDS: SObjectField[] = [
  f('CreatedDate', 'datetime'),
  ref('CreatedById', 'CreatedBy', 'User'),
  f('LastModifiedDate', 'datetime'),
  ref('LastModifiedById', 'LastModifiedBy', 'User'),
  f('SystemModstamp', 'datetime'),
];

/** Scopes of ExtlClntAppOauthSettings as the `OauthScopes<Scope>` booleans of its sObject. */
const OAUTH_SCOPES = [
  'Basic',
  'Api',
  'Web',
  'Full',
  'Chatter',
  'CustomApplications',
  'RefreshToken',
  'OpenID',
  'Profile',
  'Email',
  'Address',
  'Phone',
  'OfflineAccess',
  'CustomPermissions',
  'Wave',
  'Eclair',
  'Pardot',
  'Lightning',
  'Content',
  'Chatbot',
  'SFApiPlatform',
  'Interaction',
  'EinsteinGPT',
  'PwdlessLogin',
  'ForgotPassword',
  'UserRegistration',
  'MCP',
  'SCRT',
];

function audit(created: string, createdBy: string, modified = created, modifiedBy = createdBy): Row {
  return {
    CreatedDate: toSoqlDateTime(created),
    CreatedById: createdBy,
    LastModifiedDate: toSoqlDateTime(modified),
    LastModifiedById: modifiedBy,
    SystemModstamp: toSoqlDateTime(modified),
  };
}

/** REST renders datetimes as `2025-01-06T09:00:00.000+0000`. */
export function toSoqlDateTime(iso: string): string {
  return iso.replace(/Z$/, '+0000');
}

function componentAudit(c: StoredComponent): Row {
  return audit(c.createdDate, c.createdById, c.lastModifiedDate, c.lastModifiedById);
}

function str(value: unknown): string | null {
  return value === undefined || value === null ? null : String(value);
}

export function buildCatalog(state: OrgState): Catalog {
  const { directory } = state;
  const admin = (): string => directory.users[0].Id;
  const appId = (fullName: unknown): string | null =>
    typeof fullName === 'string' ? (state.store.get('ExternalClientApplication', fullName)?.id ?? null) : null;

  const objects: SObjectDef[] = [
    {
      name: 'Organization',
      keyPrefix: KeyPrefix.Organization,
      fields: [
        f('Id', 'id'),
        f('Name'),
        f('IsSandbox', 'boolean'),
        f('OrganizationType', 'picklist'),
        f('InstanceName'),
        f('NamespacePrefix'),
        f('TrialExpirationDate', 'datetime'),
        f('LanguageLocaleKey', 'picklist'),
        f('TimeZoneSidKey', 'picklist'),
        f('DefaultLocaleSidKey', 'picklist'),
        f('Country'),
        ...AUDIT_FIELDS,
      ],
      rows: () => [{ ...state.organization, ...audit(state.organization.CreatedDate, admin()) }],
    },
    {
      name: 'User',
      keyPrefix: KeyPrefix.User,
      fields: [
        f('Id', 'id'),
        f('Username'),
        f('Name'),
        f('FirstName'),
        f('LastName'),
        f('Email', 'email'),
        f('Alias'),
        ref('ProfileId', 'Profile', 'Profile'),
        f('IsActive', 'boolean'),
        f('UserType', 'picklist'),
        f('LanguageLocaleKey', 'picklist'),
        f('LocaleSidKey', 'picklist'),
        f('TimeZoneSidKey', 'picklist'),
        ...AUDIT_FIELDS,
      ],
      rows: () => directory.users.map((u) => ({ ...u, ...audit(u.CreatedDate, admin(), u.LastModifiedDate) })),
    },
    {
      name: 'Profile',
      keyPrefix: KeyPrefix.Profile,
      fields: [f('Id', 'id'), f('Name'), f('UserType', 'picklist'), f('UserLicenseId', 'reference'), ...AUDIT_FIELDS],
      rows: () => directory.profiles.map((p) => ({ ...p, ...audit(p.CreatedDate, admin()) })),
    },
    {
      name: 'PermissionSet',
      keyPrefix: KeyPrefix.PermissionSet,
      fields: [
        f('Id', 'id'),
        f('Name'),
        f('Label'),
        f('IsOwnedByProfile', 'boolean'),
        ref('ProfileId', 'Profile', 'Profile'),
        f('NamespacePrefix'),
        ...PERMISSION_FIELDS.map((p) => f(p, 'boolean')),
        ...AUDIT_FIELDS,
      ],
      rows: () => directory.permissionSets.map((ps) => ({ ...ps, ...audit(ps.CreatedDate, admin()) })),
    },
    {
      name: 'PermissionSetAssignment',
      keyPrefix: KeyPrefix.PermissionSetAssignment,
      fields: [
        f('Id', 'id'),
        ref('AssigneeId', 'Assignee', 'User'),
        ref('PermissionSetId', 'PermissionSet', 'PermissionSet'),
        f('IsActive', 'boolean'),
        f('SystemModstamp', 'datetime'),
      ],
      rows: () =>
        directory.permissionSetAssignments.map((a) => ({
          ...a,
          SystemModstamp: toSoqlDateTime(state.organization.CreatedDate),
        })),
    },
    {
      name: 'SetupEntityAccess',
      keyPrefix: KeyPrefix.SetupEntityAccess,
      fields: [
        f('Id', 'id'),
        ref('ParentId', 'Parent', 'PermissionSet'),
        f('SetupEntityId', 'reference'),
        f('SetupEntityType', 'picklist'),
        f('SystemModstamp', 'datetime'),
      ],
      rows: () => directory.setupEntityAccess.map((s) => ({ ...s, SystemModstamp: toSoqlDateTime(s.CreatedDate) })),
    },
    {
      name: 'ExternalClientApplication',
      keyPrefix: KeyPrefix.ExternalClientApplication,
      fields: [
        f('Id', 'id'),
        f('DeveloperName'),
        f('MasterLabel'),
        f('Language', 'picklist'),
        f('NamespacePrefix'),
        f('DistributionState', 'picklist'),
        f('ContactEmail', 'email'),
        f('ContactPhone'),
        f('Description', 'textarea'),
        f('IconUrl', 'url'),
        f('InfoUrl', 'url'),
        f('LogoUrl', 'url'),
        f('IsProtected', 'boolean'),
        f('OrgScopedExternalApp'),
        ...AUDIT_FIELDS,
      ],
      rows: () =>
        state.store.components('ExternalClientApplication').map((c) => ({
          Id: c.id,
          DeveloperName: c.fullName,
          MasterLabel: str(c.record.label) ?? c.fullName,
          Language: 'en_US',
          NamespacePrefix: null,
          DistributionState: str(c.record.distributionState) ?? 'Local',
          ContactEmail: str(c.record.contactEmail),
          ContactPhone: str(c.record.contactPhone),
          Description: str(c.record.description),
          IconUrl: str(c.record.iconUrl),
          InfoUrl: str(c.record.infoUrl),
          LogoUrl: str(c.record.logoUrl),
          IsProtected: c.record.isProtected === true,
          OrgScopedExternalApp: str(c.record.orgScopedExternalApp),
          ...componentAudit(c),
        })),
    },
    {
      name: 'ExtlClntAppOauthPlcyCnfg',
      keyPrefix: KeyPrefix.ExtlClntAppOauthConfigurablePolicies,
      fields: [
        f('Id', 'id'),
        f('DeveloperName'),
        f('MasterLabel'),
        ref('ExternalClientApplicationId', 'ExternalClientApplication', 'ExternalClientApplication'),
        f('PermittedUsersPolicyType', 'picklist'),
        f('RefreshTokenPolicyType', 'picklist'),
        f('RefreshTokenValidityPeriod', 'int'),
        f('RefreshTokenValidityUnit', 'picklist'),
        f('IpRelaxationPolicyType', 'picklist'),
        f('SessionTimeoutInMinutes', 'int'),
        f('PolicyAction', 'picklist'),
        f('RequiredSessionLevel', 'picklist'),
        f('IsClientCredentialsFlowEnabled', 'boolean'),
        ...AUDIT_FIELDS,
      ],
      rows: () =>
        state.store.components('ExtlClntAppOauthConfigurablePolicies').map((c) => ({
          Id: c.id,
          DeveloperName: c.fullName,
          MasterLabel: str(c.record.label) ?? c.fullName,
          ExternalClientApplicationId: appId(c.record.externalClientApplication),
          PermittedUsersPolicyType: str(c.record.permittedUsersPolicyType),
          RefreshTokenPolicyType: str(c.record.refreshTokenPolicyType),
          RefreshTokenValidityPeriod:
            typeof c.record.refreshTokenValidityPeriod === 'number' ? c.record.refreshTokenValidityPeriod : null,
          RefreshTokenValidityUnit: str(c.record.refreshTokenValidityUnit),
          IpRelaxationPolicyType: str(c.record.ipRelaxationPolicyType),
          SessionTimeoutInMinutes:
            typeof c.record.sessionTimeoutInMinutes === 'number' ? c.record.sessionTimeoutInMinutes : null,
          PolicyAction: str(c.record.policyAction),
          RequiredSessionLevel: str(c.record.requiredSessionLevel),
          IsClientCredentialsFlowEnabled: c.record.isClientCredentialsFlowEnabled === true,
          ...componentAudit(c),
        })),
    },
    {
      name: 'ExtlClntAppOauthSettings',
      keyPrefix: KeyPrefix.ExtlClntAppOauthSettings,
      fields: [
        f('Id', 'id'),
        f('DeveloperName'),
        f('MasterLabel'),
        ref('ExternalClientApplicationId', 'ExternalClientApplication', 'ExternalClientApplication'),
        ...OAUTH_SCOPES.map((s) => f(`OauthScopes${s}`, 'boolean')),
        ...AUDIT_FIELDS,
      ],
      rows: () =>
        state.store.components('ExtlClntAppOauthSettings').map((c) => {
          const scopes = new Set(
            String(c.record.commaSeparatedOauthScopes ?? '')
              .split(',')
              .map((s) => s.trim().toLowerCase())
              .filter(Boolean),
          );
          return {
            Id: c.id,
            DeveloperName: c.fullName,
            MasterLabel: str(c.record.label) ?? c.fullName,
            ExternalClientApplicationId: appId(c.record.externalClientApplication),
            ...Object.fromEntries(OAUTH_SCOPES.map((s) => [`OauthScopes${s}`, scopes.has(s.toLowerCase())])),
            ...componentAudit(c),
          };
        }),
    },
    {
      name: 'ConnectedApplication',
      keyPrefix: KeyPrefix.ConnectedApplication,
      fields: [
        f('Id', 'id'),
        f('Name'),
        f('OptionsAllowAdminApprovedUsersOnly', 'boolean'),
        f('OptionsRefreshTokenValidityMetric', 'boolean'),
        f('RefreshTokenValidityPeriod', 'int'),
        f('StartUrl', 'url'),
        f('MobileStartUrl', 'url'),
        ...AUDIT_FIELDS,
      ],
      rows: () => [
        ...state.installedConnectedApps.map((a) => ({ ...a, ...audit(a.CreatedDate, admin()) })),
        ...state.store.components('ConnectedApp').map((c) => {
          const oauthConfig = (c.record.oauthConfig ?? {}) as Record<string, unknown>;
          return {
            Id: c.id,
            Name: str(c.record.label) ?? c.fullName,
            OptionsAllowAdminApprovedUsersOnly: oauthConfig.isAdminApproved === true,
            ...refreshTokenColumns(
              String((c.record.oauthPolicy as Record<string, unknown> | undefined)?.refreshTokenPolicy ?? 'infinite'),
            ),
            StartUrl: str(c.record.startUrl),
            MobileStartUrl: str(c.record.mobileStartUrl),
            ...componentAudit(c),
          };
        }),
      ],
    },
    {
      name: 'OauthToken',
      keyPrefix: KeyPrefix.OauthToken,
      fields: [
        f('Id', 'id'),
        f('AppName'),
        ref('UserId', 'User', 'User'),
        f('UseCount', 'int'),
        f('LastUsedDate', 'datetime'),
        f('AppMenuItemId', 'reference'),
        f('CreatedDate', 'datetime'),
      ],
      rows: () =>
        state.oauthTokens.map((t) => ({
          ...t,
          LastUsedDate: toSoqlDateTime(t.LastUsedDate),
          CreatedDate: toSoqlDateTime(t.CreatedDate),
        })),
    },
  ];

  const byName = new Map(objects.map((o) => [o.name.toLowerCase(), o]));
  return { object: (name) => byName.get(name.toLowerCase()) };
}

/** Finds a row of an object (by name) by its 15- or 18-character id. */
export function findRecord(catalog: Catalog, type: string, id: string): { object: SObjectDef; row: Row } | undefined {
  const object = catalog.object(type);
  if (!object) return undefined;
  const row = object.rows().find((r) => sameId(String(r.Id), id));
  return row ? { object, row } : undefined;
}

/** Canonical-field-name rendering of a row for `GET sobjects/{Type}/{Id}` (optionally limited to `fields`). */
export function renderRecord(
  object: SObjectDef,
  row: Row,
  apiVersion: string,
  fields?: string[],
): Record<string, unknown> {
  const wanted = fields?.map((x) => x.trim().toLowerCase()).filter(Boolean);
  const out: Record<string, unknown> = {
    attributes: { type: object.name, url: `/services/data/v${apiVersion}/sobjects/${object.name}/${String(row.Id)}` },
  };
  for (const field of object.fields) {
    if (wanted && !wanted.includes(field.name.toLowerCase())) continue;
    out[field.name] = row[field.name] ?? null;
  }
  return out;
}
