/**
 * The JSON fixture an emulated org starts from. Everything is optional; the defaults are a Developer Edition org
 * whose session user (the first user) is a System Administrator.
 */
import type { MdRecord } from '../metadata/store.js';
import type { Readings } from '../readings.js';
import type { VendorAppSeed } from './connectedApps.js';
import { type Permissions, PERMISSION_FIELDS } from './directory.js';
import type { SetupAppSeed } from './setupApps.js';

export type OrganizationSeed = {
  Id?: string;
  Name?: string;
  IsSandbox?: boolean;
  OrganizationType?: string;
  InstanceName?: string;
  NamespacePrefix?: string | null;
  TrialExpirationDate?: string | null;
  /** Highest API version the org serves; `/services/data` lists 31.0 up to it. Default "66.0". */
  maxApiVersion?: string;
  /** My Domain URL. Default: the emulator's own URL (the instance URL is the My Domain URL). */
  myDomain?: string;
  /** Allow creating new Connected Apps (blocked by default since Spring '26). Default false. */
  allowConnectedAppCreation?: boolean;
};

export type ProfileSeed = {
  Id?: string;
  Name: string;
  /** Permissions of the profile's own permission set. */
  permissions?: Permissions;
};

export type PermissionSetSeed = {
  Id?: string;
  /** API name. */
  Name: string;
  Label?: string;
  permissions?: Permissions;
};

export type UserSeed = {
  Id?: string;
  Username: string;
  Name?: string;
  FirstName?: string;
  LastName?: string;
  Email?: string;
  /** Profile by Id or by Name (`profile`). Default: System Administrator. */
  ProfileId?: string;
  profile?: string;
  IsActive?: boolean;
  /** Names of (non-profile) permission sets assigned to the user. */
  permissionSets?: string[];
};

export type PermissionSetAssignmentSeed = { Id?: string; AssigneeId: string; PermissionSetId: string };

/**
 * A SetupEntityAccess row (an app pre-authorized for a permission set). The parent is a permission set id
 * (`ParentId`), a permission set name (`permissionSet`) or a profile name (`profile`, meaning its own permission
 * set); the app is an id (`SetupEntityId`), an External Client App name (`externalClientApp`) or a connected app
 * name (`connectedApp`).
 */
export type SetupEntityAccessSeed = {
  Id?: string;
  ParentId?: string;
  permissionSet?: string;
  profile?: string;
  SetupEntityId?: string;
  externalClientApp?: string;
  connectedApp?: string;
};

export type ConnectedApplicationSeed = {
  Id?: string;
  Name: string;
  OptionsAllowAdminApprovedUsersOnly?: boolean;
  OptionsRefreshTokenValidityMetric?: boolean;
  RefreshTokenValidityPeriod?: number | null;
  StartUrl?: string | null;
  MobileStartUrl?: string | null;
};

export type OauthTokenSeed = {
  Id?: string;
  AppName: string;
  UserId?: string;
  UseCount?: number;
  LastUsedDate?: string;
  AppMenuItemId?: string | null;
};

/** One more OAuth consumer of a seeded app (an app with several consumers); key and secret are generated unless given. */
export type ConsumerSeed = { app: string; name?: string; key?: string; secret?: string };

export type OrgSeed = {
  organization?: OrganizationSeed;
  profiles?: ProfileSeed[];
  permissionSets?: PermissionSetSeed[];
  users?: UserSeed[];
  permissionSetAssignments?: PermissionSetAssignmentSeed[];
  settings?: {
    OauthOidcSettings?: MdRecord;
    ExternalClientAppSettings?: MdRecord;
  };
  /**
   * Stored metadata components: type (CRUD name) → fullName → field values, in the shape readMetadata returns
   * (booleans as booleans). Child ECA components name their app in `externalClientApplication` as in a deploy.
   */
  metadata?: Record<string, Record<string, MdRecord>>;
  /**
   * Apps made by hand in Setup (setupApps.ts): stored with Setup's values and no policy records, so Salesforce's
   * `…_defaultPolicy` records are generated for them, as for every seeded app that lacks them.
   */
  setupApps?: SetupAppSeed[];
  /** More OAuth consumers of seeded apps, after the one each app's global OAuth settings make. */
  consumers?: ConsumerSeed[];
  setupEntityAccess?: SetupEntityAccessSeed[];
  connectedApplications?: ConnectedApplicationSeed[];
  oauthTokens?: OauthTokenSeed[];
  /**
   * Connected apps owned by other orgs (e.g. Inven's), by stage: `never-used` (only known to the emulator, so a user
   * can try to authorize it), `used` (an OAuth token of `usedBy`, default the first user; not installed), `installed`
   * (also a ConnectedApplication row with `policies`, the rest Salesforce's install defaults). See org/connectedApps.ts.
   */
  vendorApps?: VendorAppSeed[];
  /**
   * checkDeployStatus / checkRetrieveStatus calls until an async operation is done: the Nth call answers the final
   * result, earlier ones answer InProgress. Default 1 (the first status check completes it).
   */
  asyncPolls?: number;
  /** Use this access token instead of a generated one (must look like `00D…!…`). */
  accessToken?: string;
  /**
   * How the org answers the open questions (readings.ts; README.md "Readings"): `{ name: value }` over the
   * defaults, e.g. `{ stagedGetWhenNone: '404' }`, or `{ ...STRICT_READINGS }`.
   */
  readings?: Partial<Readings>;
};

const ALL_PERMISSIONS: Permissions = Object.fromEntries(PERMISSION_FIELDS.map((p) => [p, true]));

export const DEFAULT_PROFILES: ProfileSeed[] = [
  { Name: 'System Administrator', permissions: ALL_PERMISSIONS },
  { Name: 'Standard User', permissions: { PermissionsApiEnabled: true } },
  { Name: 'Sales', permissions: { PermissionsApiEnabled: true } },
  { Name: 'Read Only', permissions: { PermissionsApiEnabled: true } },
];

export const DEFAULT_PERMISSION_SETS: PermissionSetSeed[] = [
  { Name: 'Ren_Users', Label: 'Ren Users', permissions: { PermissionsApiEnabled: true } },
  { Name: 'Sales_Ops', Label: 'Sales Ops', permissions: { PermissionsApiEnabled: true } },
];

export const DEFAULT_USERS: UserSeed[] = [
  {
    Username: 'admin@emulator.example.com',
    FirstName: 'Ada',
    LastName: 'Admin',
    Email: 'admin@emulator.example.com',
    profile: 'System Administrator',
  },
  {
    Username: 'sales@emulator.example.com',
    FirstName: 'Sam',
    LastName: 'Seller',
    Email: 'sales@emulator.example.com',
    profile: 'Sales',
    permissionSets: ['Ren_Users'],
  },
];

export const DEFAULT_SETTINGS = {
  OauthOidcSettings: {
    blockOAuthUnPwFlow: true,
    blockOAuthUsrAgtFlow: true,
    enableHdlessFgtPswFlow: false,
    isPkceRequired: false,
    oAuthCdCrdtFlowEnable: true,
  },
  ExternalClientAppSettings: {
    enableClientSecretInRestApiAccess: false,
    enableConsumerSecretApiAccess: false,
    enablePackageEcaOauthFromDevOrg: false,
  },
} satisfies Record<string, MdRecord>;

export const DEFAULT_MAX_API_VERSION = '66.0';

/**
 * Editions that have the Authorization Code and Credentials Flow: "Available in: Enterprise, Unlimited, and Developer
 * Editions" (HEADLESS). Organization.OrganizationType spells them this way.
 */
export const CODE_CREDENTIALS_EDITIONS: readonly string[] = [
  'Enterprise Edition',
  'Unlimited Edition',
  'Developer Edition',
];
