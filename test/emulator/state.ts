/**
 * In-memory org state: organization, users, profiles, permission sets, setup entity access, installed connected apps,
 * the metadata store (per type → fullName → component), OAuth consumers of External Client Apps, and the history of
 * deploys and retrieves. Everything the HTTP layer answers is read from or written to an OrgState.
 */
import { randomBytes } from 'node:crypto';
import { IdFactory, KeyPrefix, sameId } from './ids.js';
import {
  DEFAULT_MAX_API_VERSION,
  DEFAULT_PERMISSION_SETS,
  DEFAULT_PROFILES,
  DEFAULT_SETTINGS,
  DEFAULT_USERS,
  type ConnectedApplicationSeed,
  type OauthTokenSeed,
  type OrgSeed,
  PERMISSION_FIELDS,
  type PermissionField,
  type Permissions,
  type ProfileSeed,
  type UserSeed,
} from './seed.js';
import { ExternalClientAppSettings, OauthOidcSettings, typeByName } from './metadata/types.js';

/** A field value of a metadata component: scalars, nested complex values, repeated elements. */
export type MdValue = string | number | boolean | MdValue[] | { [field: string]: MdValue };
export type MdRecord = Record<string, MdValue>;

export type StoredComponent = {
  type: string;
  fullName: string;
  /** Field values, without fullName. Secret fields (consumerSecret) are never stored here. */
  record: MdRecord;
  id: string;
  createdDate: string;
  createdById: string;
  lastModifiedDate: string;
  lastModifiedById: string;
};

export type OrganizationRow = {
  Id: string;
  Name: string;
  IsSandbox: boolean;
  OrganizationType: string;
  InstanceName: string;
  NamespacePrefix: string | null;
  TrialExpirationDate: string | null;
  LanguageLocaleKey: string;
  TimeZoneSidKey: string;
  DefaultLocaleSidKey: string;
  Country: string | null;
  CreatedDate: string;
};

export type UserRow = {
  Id: string;
  Username: string;
  Name: string;
  FirstName: string | null;
  LastName: string;
  Email: string;
  Alias: string;
  ProfileId: string;
  IsActive: boolean;
  UserType: string;
  LanguageLocaleKey: string;
  LocaleSidKey: string;
  TimeZoneSidKey: string;
  CreatedDate: string;
  LastModifiedDate: string;
};

export type ProfileRow = { Id: string; Name: string; UserType: string; UserLicenseId: string | null; CreatedDate: string };

export type PermissionSetRow = {
  Id: string;
  Name: string;
  Label: string;
  IsOwnedByProfile: boolean;
  ProfileId: string | null;
  NamespacePrefix: string | null;
  CreatedDate: string;
} & Record<PermissionField, boolean>;

export type PermissionSetAssignmentRow = { Id: string; AssigneeId: string; PermissionSetId: string; IsActive: boolean };

export type SetupEntityAccessRow = {
  Id: string;
  ParentId: string;
  SetupEntityId: string;
  SetupEntityType: string;
  CreatedDate: string;
};

export type ConnectedApplicationRow = {
  Id: string;
  Name: string;
  OptionsAllowAdminApprovedUsersOnly: boolean;
  OptionsRefreshTokenValidityMetric: boolean;
  RefreshTokenValidityPeriod: number | null;
  StartUrl: string | null;
  MobileStartUrl: string | null;
  CreatedDate: string;
};

export type OauthTokenRow = {
  Id: string;
  AppName: string;
  UserId: string;
  UseCount: number;
  LastUsedDate: string;
  AppMenuItemId: string | null;
  CreatedDate: string;
};

export type StagedCredential = {
  id: string;
  key: string;
  secret: string;
  state: 'Active' | 'Expired' | 'Rotated';
  createdById: string;
  createdDate: string;
  expirationDate: string;
};

/** The OAuth consumer (client id/secret) Salesforce generates for an app's global OAuth settings. */
export type OauthConsumer = {
  id: string;
  appFullName: string;
  key: string;
  secret: string;
  createdDate: string;
  staged: StagedCredential[];
};

export type DeployMessage = {
  changed: boolean;
  columnNumber?: number;
  componentType: string;
  created: boolean;
  createdDate: string;
  deleted: boolean;
  fileName: string;
  fullName: string;
  id?: string;
  lineNumber?: number;
  problem?: string;
  problemType?: 'Warning' | 'Error';
  success: boolean;
};

export type DeployStatus =
  | 'Pending'
  | 'InProgress'
  | 'Succeeded'
  | 'SucceededPartial'
  | 'Failed'
  | 'Canceling'
  | 'Canceled';

export type DeployOptions = {
  allowMissingFiles?: boolean;
  autoUpdatePackage?: boolean;
  checkOnly?: boolean;
  ignoreWarnings?: boolean;
  performRetrieve?: boolean;
  purgeOnDelete?: boolean;
  rollbackOnError?: boolean;
  runAllTests?: boolean;
  runTests?: string[];
  singlePackage?: boolean;
  testLevel?: string;
};

export type DeployResultData = {
  id: string;
  status: DeployStatus;
  success: boolean;
  done: boolean;
  checkOnly: boolean;
  ignoreWarnings: boolean;
  rollbackOnError: boolean;
  createdBy: string;
  createdByName: string;
  createdDate: string;
  startDate: string;
  completedDate?: string;
  lastModifiedDate: string;
  numberComponentsTotal: number;
  numberComponentsDeployed: number;
  numberComponentErrors: number;
  errorMessage?: string;
  errorStatusCode?: string;
  stateDetail?: string;
  componentSuccesses: DeployMessage[];
  componentFailures: DeployMessage[];
  canceledBy?: string;
  canceledByName?: string;
  numFiles?: number;
  zipSize?: number;
};

export type DeployRecord = {
  id: string;
  /** How the deploy arrived. */
  api: 'soap' | 'rest';
  apiVersion: string;
  options: DeployOptions;
  /** Components named in the zip (type + fullName), for tests. */
  components: Array<{ type: string; fullName: string; destructive?: boolean }>;
  /** checkDeployStatus calls still to answer InProgress. */
  pollsLeft: number;
  result: DeployResultData;
  /** Applies the deploy to the store; run once when the deploy completes. */
  finish?: () => void;
};

export type RetrieveRecord = {
  id: string;
  apiVersion: string;
  pollsLeft: number;
  status: 'Pending' | 'InProgress' | 'Succeeded' | 'Failed';
  zipFile?: string;
  fileProperties: FileProperties[];
  messages: Array<{ fileName: string; problem: string }>;
  errorMessage?: string;
  errorStatusCode?: string;
};

export type FileProperties = {
  createdById: string;
  createdByName: string;
  createdDate: string;
  fileName: string;
  fullName: string;
  id: string;
  lastModifiedById: string;
  lastModifiedByName: string;
  lastModifiedDate: string;
  manageableState: string;
  namespacePrefix?: string;
  type: string;
};

const EPOCH = '2025-01-06T09:00:00.000Z';

export function nowIso(): string {
  return new Date().toISOString();
}

/** A random access token in Salesforce's opaque shape `<15-char org id>!<base62-ish>`. */
export function makeAccessToken(orgId: string): string {
  const body = randomBytes(72)
    .toString('base64')
    .replace(/\+/g, '.')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
  return `${orgId.slice(0, 15)}!AQ${body}`;
}

export class OrgState {
  public readonly ids: IdFactory;
  public organization!: OrganizationRow;
  public maxApiVersion!: string;
  /** My Domain URL; undefined = the emulator URL. */
  public myDomain?: string;
  public allowConnectedAppCreation!: boolean;
  public users: UserRow[] = [];
  public profiles: ProfileRow[] = [];
  public permissionSets: PermissionSetRow[] = [];
  public permissionSetAssignments: PermissionSetAssignmentRow[] = [];
  public setupEntityAccess: SetupEntityAccessRow[] = [];
  /** Installed connected apps owned by other orgs (the ConnectedApplication rows that are not ConnectedApp metadata). */
  public installedConnectedApps: ConnectedApplicationRow[] = [];
  public oauthTokens: OauthTokenRow[] = [];
  /** type → fullName (as stored) → component. */
  public readonly metadata = new Map<string, Map<string, StoredComponent>>();
  /** ECA fullName (lowercase) → consumer. */
  public readonly consumers = new Map<string, OauthConsumer>();
  public readonly deploys = new Map<string, DeployRecord>();
  public readonly retrieves = new Map<string, RetrieveRecord>();
  /** Valid access tokens → user id. */
  public readonly sessions = new Map<string, string>();
  /** Valid refresh tokens → user id. */
  public readonly refreshTokens = new Map<string, string>();
  /** Status checks of an async deploy/retrieve until it is done: the Nth check answers the final result. */
  public asyncPolls!: number;
  public accessToken!: string;

  public constructor(seed: OrgSeed = {}) {
    this.ids = new IdFactory();
    this.load(seed);
  }

  // ------------------------------------------------------------------ users and permissions

  public get sessionUser(): UserRow {
    return this.users[0];
  }

  /** Live field values of the two org settings the emulator models. */
  public get settings(): { OauthOidcSettings: MdRecord; ExternalClientAppSettings: MdRecord } {
    return {
      OauthOidcSettings: this.settingsRecord(OauthOidcSettings.name),
      ExternalClientAppSettings: this.settingsRecord(ExternalClientAppSettings.name),
    };
  }

  public userById(id: string): UserRow | undefined {
    return this.users.find((u) => sameId(u.Id, id));
  }

  public profileById(id: string): ProfileRow | undefined {
    return this.profiles.find((p) => sameId(p.Id, id));
  }

  /** Effective permissions of a user: a permission is granted when any assigned permission set has it. */
  public userPermissions(userId: string): Record<PermissionField, boolean> {
    const assigned = new Set(
      this.permissionSetAssignments.filter((a) => sameId(a.AssigneeId, userId)).map((a) => a.PermissionSetId.slice(0, 15))
    );
    const sets = this.permissionSets.filter((ps) => assigned.has(ps.Id.slice(0, 15)));
    return Object.fromEntries(PERMISSION_FIELDS.map((p) => [p, sets.some((ps) => ps[p])])) as Record<
      PermissionField,
      boolean
    >;
  }

  public hasPermission(userId: string, permission: PermissionField): boolean {
    return this.userPermissions(userId)[permission];
  }

  // ------------------------------------------------------------------ metadata store

  public components(type: string): StoredComponent[] {
    return [...(this.metadata.get(type)?.values() ?? [])];
  }

  /** Finds a component by type and fullName; fullNames compare case-insensitively, as in Salesforce. */
  public getComponent(type: string, fullName: string): StoredComponent | undefined {
    const byName = this.metadata.get(type);
    if (!byName) return undefined;
    const exact = byName.get(fullName);
    if (exact) return exact;
    const lower = fullName.toLowerCase();
    return [...byName.values()].find((c) => c.fullName.toLowerCase() === lower);
  }

  /** Creates or replaces a component. Returns the stored component and whether it was created. */
  public putComponent(
    type: string,
    fullName: string,
    record: MdRecord,
    userId: string
  ): { component: StoredComponent; created: boolean } {
    const def = typeByName(type);
    if (!def) throw new Error(`Unknown metadata type ${type}`);
    let byName = this.metadata.get(def.name);
    if (!byName) {
      byName = new Map();
      this.metadata.set(def.name, byName);
    }
    const existing = this.getComponent(def.name, fullName);
    const now = nowIso();
    if (existing) {
      existing.record = record;
      existing.lastModifiedDate = now;
      existing.lastModifiedById = userId;
      return { component: existing, created: false };
    }
    const component: StoredComponent = {
      type: def.name,
      fullName,
      record,
      id: this.ids.next(def.idPrefix),
      createdDate: now,
      createdById: userId,
      lastModifiedDate: now,
      lastModifiedById: userId,
    };
    byName.set(fullName, component);
    return { component, created: true };
  }

  public deleteComponent(type: string, fullName: string): StoredComponent | undefined {
    const existing = this.getComponent(type, fullName);
    if (existing) this.metadata.get(existing.type)?.delete(existing.fullName);
    return existing;
  }

  /** Child components (of the given type) whose `externalClientApplication` names the app. */
  public childrenOfApp(type: string, appFullName: string): StoredComponent[] {
    const lower = appFullName.toLowerCase();
    return this.components(type).filter(
      (c) => String(c.record.externalClientApplication ?? '').toLowerCase() === lower
    );
  }

  // ------------------------------------------------------------------ settings

  public settingsRecord(type: string): MdRecord {
    const def = typeByName(type);
    const component = def?.settingsFullName ? this.getComponent(def.name, def.settingsFullName) : undefined;
    return component?.record ?? {};
  }

  // ------------------------------------------------------------------ OAuth consumers

  public consumerForApp(appFullName: string): OauthConsumer | undefined {
    return this.consumers.get(appFullName.toLowerCase());
  }

  /** The consumer of an app, created (with a generated key and secret) when the app gets OAuth settings. */
  public ensureConsumer(appFullName: string): OauthConsumer {
    const existing = this.consumerForApp(appFullName);
    if (existing) return existing;
    const consumer: OauthConsumer = {
      id: this.ids.next(KeyPrefix.OauthConsumer),
      appFullName,
      key: makeConsumerKey(),
      secret: makeConsumerSecret(),
      createdDate: nowIso(),
      staged: [],
    };
    this.consumers.set(appFullName.toLowerCase(), consumer);
    return consumer;
  }

  // ------------------------------------------------------------------ sessions

  public newSession(userId: string): string {
    const token = makeAccessToken(this.organization.Id);
    this.sessions.set(token, userId);
    return token;
  }

  public userForToken(token: string | undefined): UserRow | undefined {
    if (!token) return undefined;
    const userId = this.sessions.get(token);
    return userId ? this.userById(userId) : undefined;
  }

  // ------------------------------------------------------------------ seed loading

  private load(seed: OrgSeed): void {
    for (const id of [seed.organization?.Id, ...[seed.users, seed.profiles, seed.permissionSets, seed.permissionSetAssignments].flatMap((list) => (list ?? []).map((item) => item.Id))]) {
      if (id) this.ids.reserve(id);
    }
    this.loadOrganization(seed);
    // Profiles, each with its own permission set (IsOwnedByProfile), as in Salesforce.
    for (const p of seed.profiles ?? DEFAULT_PROFILES) this.loadProfile(p);
    for (const ps of seed.permissionSets ?? DEFAULT_PERMISSION_SETS) {
      this.permissionSets.push(this.makePermissionSet(ps.Name, ps.Label ?? ps.Name, ps.permissions ?? {}, null, ps.Id));
    }
    for (const u of seed.users ?? DEFAULT_USERS) this.loadUser(u);
    if (this.users.length === 0) throw new Error('An org seed needs at least one user (the session user).');
    for (const a of seed.permissionSetAssignments ?? []) this.assign(a.AssigneeId, a.PermissionSetId, a.Id);

    // Settings are components of the metadata store (Settings types), so read/deploy/retrieve see them.
    const admin = this.users[0].Id;
    const settings = seed.settings ?? {};
    this.putComponent(OauthOidcSettings.name, 'OauthOidc', { ...DEFAULT_SETTINGS.OauthOidcSettings, ...settings.OauthOidcSettings }, admin);
    this.putComponent(ExternalClientAppSettings.name, 'ExternalClientApp', { ...DEFAULT_SETTINGS.ExternalClientAppSettings, ...settings.ExternalClientAppSettings }, admin);

    for (const app of seed.connectedApplications ?? []) this.loadInstalledApp(app);
    for (const t of seed.oauthTokens ?? []) this.loadOauthToken(t, admin);
    this.accessToken = seed.accessToken ?? makeAccessToken(this.organization.Id);
    this.sessions.set(this.accessToken, admin);
  }

  private loadOrganization(seed: OrgSeed): void {
    const org = seed.organization ?? {};
    this.organization = {
      Id: org.Id ?? this.ids.next(KeyPrefix.Organization),
      Name: org.Name ?? 'Emulated Developer Org',
      IsSandbox: org.IsSandbox ?? false,
      OrganizationType: org.OrganizationType ?? 'Developer Edition',
      InstanceName: org.InstanceName ?? 'EMU42',
      NamespacePrefix: org.NamespacePrefix ?? null,
      TrialExpirationDate: org.TrialExpirationDate ?? null,
      LanguageLocaleKey: 'en_US',
      TimeZoneSidKey: 'America/Los_Angeles',
      DefaultLocaleSidKey: 'en_US',
      Country: 'US',
      CreatedDate: EPOCH,
    };
    this.maxApiVersion = org.maxApiVersion ?? DEFAULT_MAX_API_VERSION;
    this.myDomain = org.myDomain;
    this.allowConnectedAppCreation = org.allowConnectedAppCreation ?? false;
    this.asyncPolls = seed.asyncPolls ?? 1;
  }

  /** Adds a user with their profile's permission set and the named permission sets assigned. */
  private loadUser(u: UserSeed): void {
    const profileName = u.profile ?? 'System Administrator';
    const profile = u.ProfileId ? this.profileById(u.ProfileId) : this.profiles.find((p) => p.Name === profileName);
    if (!profile) throw new Error(`Seed user ${u.Username}: no profile ${u.ProfileId ?? profileName}`);
    const nameParts = u.Name?.split(' ') ?? [];
    const lastName = u.LastName ?? nameParts.pop() ?? u.Username.split('@')[0];
    const firstName = u.FirstName ?? (nameParts.length > 0 ? nameParts.join(' ') : null);
    const user: UserRow = {
      Id: u.Id ?? this.ids.next(KeyPrefix.User),
      Username: u.Username,
      Name: u.Name ?? [firstName, lastName].filter(Boolean).join(' '),
      FirstName: firstName,
      LastName: lastName,
      Email: u.Email ?? u.Username,
      Alias: (firstName?.[0] ?? '') + lastName.slice(0, 4).toLowerCase(),
      ProfileId: profile.Id,
      IsActive: u.IsActive ?? true,
      UserType: 'Standard',
      LanguageLocaleKey: 'en_US',
      LocaleSidKey: 'en_US',
      TimeZoneSidKey: 'America/Los_Angeles',
      CreatedDate: EPOCH,
      LastModifiedDate: EPOCH,
    };
    this.users.push(user);
    const own = this.permissionSets.find((ps) => ps.IsOwnedByProfile && sameId(ps.ProfileId, profile.Id));
    if (own) this.assign(user.Id, own.Id);
    for (const name of u.permissionSets ?? []) {
      const ps = this.permissionSets.find((p) => !p.IsOwnedByProfile && p.Name === name);
      if (!ps) throw new Error(`Seed user ${u.Username}: no permission set ${name}`);
      this.assign(user.Id, ps.Id);
    }
  }

  private loadProfile(p: ProfileSeed): void {
    const profile: ProfileRow = { Id: p.Id ?? this.ids.next(KeyPrefix.Profile), Name: p.Name, UserType: 'Standard', UserLicenseId: null, CreatedDate: EPOCH };
    this.profiles.push(profile);
    this.permissionSets.push(this.makePermissionSet(`X${profile.Id.slice(0, 15)}`, profile.Name, p.permissions ?? {}, profile.Id));
  }

  private loadOauthToken(t: OauthTokenSeed, defaultUserId: string): void {
    this.oauthTokens.push({
      Id: t.Id ?? this.ids.next(KeyPrefix.OauthToken),
      AppName: t.AppName,
      UserId: t.UserId ?? defaultUserId,
      UseCount: t.UseCount ?? 1,
      LastUsedDate: t.LastUsedDate ?? EPOCH,
      AppMenuItemId: t.AppMenuItemId ?? null,
      CreatedDate: EPOCH,
    });
  }

  private loadInstalledApp(app: ConnectedApplicationSeed): void {
    this.installedConnectedApps.push({
      Id: app.Id ?? this.ids.next(KeyPrefix.ConnectedApplication),
      Name: app.Name,
      OptionsAllowAdminApprovedUsersOnly: app.OptionsAllowAdminApprovedUsersOnly ?? false,
      OptionsRefreshTokenValidityMetric: app.OptionsRefreshTokenValidityMetric ?? false,
      RefreshTokenValidityPeriod: app.RefreshTokenValidityPeriod ?? null,
      StartUrl: app.StartUrl ?? null,
      MobileStartUrl: app.MobileStartUrl ?? null,
      CreatedDate: EPOCH,
    });
  }

  private makePermissionSet(
    name: string,
    label: string,
    permissions: Permissions,
    profileId: string | null,
    id?: string
  ): PermissionSetRow {
    const row = {
      Id: id ?? this.ids.next(KeyPrefix.PermissionSet),
      Name: name,
      Label: label,
      IsOwnedByProfile: profileId !== null,
      ProfileId: profileId,
      NamespacePrefix: null,
      CreatedDate: EPOCH,
    } as PermissionSetRow;
    for (const p of PERMISSION_FIELDS) row[p] = permissions[p] ?? false;
    return row;
  }

  private assign(userId: string, permissionSetId: string, id?: string): void {
    this.permissionSetAssignments.push({
      Id: id ?? this.ids.next(KeyPrefix.PermissionSetAssignment),
      AssigneeId: userId,
      PermissionSetId: permissionSetId,
      IsActive: true,
    });
  }
}

/** SetupEntityType of an app id, from its key prefix. */
export function setupEntityTypeOf(id: string): string {
  if (id.startsWith(KeyPrefix.ExternalClientApplication)) return 'ExternalClientApplication';
  if (id.startsWith(KeyPrefix.ConnectedApplication)) return 'ConnectedApplication';
  return 'Unknown';
}

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._';

/** An 85-character consumer key in the shape Salesforce generates (`3MVG9…`). */
export function makeConsumerKey(): string {
  const bytes = randomBytes(80);
  let key = '3MVG9';
  for (const byte of bytes) key += KEY_ALPHABET[byte % KEY_ALPHABET.length];
  return key;
}

/** A consumer secret: 64 hex characters. */
export function makeConsumerSecret(): string {
  return randomBytes(32).toString('hex').toUpperCase();
}
