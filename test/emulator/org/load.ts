/**
 * Seed loading: builds an OrgState from an OrgSeed (seed.ts), in the order ids are handed out. First the
 * organization, profiles (each with its own permission set), permission sets, users and their assignments, the two
 * org settings, installed apps, OAuth tokens, vendor apps and the first session; then the seeded metadata components through the
 * same code a deploy uses (so apps get their generated consumer, ids and links), apps made in Setup among them, and
 * the policy records Salesforce generates for apps that have none; then SetupEntityAccess rows, which may name the
 * seeded apps.
 */
import { type IdFactory, KeyPrefix, sameId } from '../ids.js';
import { applyComponent, refreshGenerated } from '../metadata/apply.js';
import { generateMissingPolicies } from '../metadata/defaultPolicies.js';
import { unknownNames } from '../metadata/grants.js';
import {
  ExternalClientAppSettings,
  ExternalClientApplication,
  ExtlClntAppOauthConfigurablePolicies,
  METADATA_TYPES,
  OauthOidcSettings,
  typeByName,
} from '../metadata/types.js';
import { readingsOf } from '../readings.js';
import { DAY_MS } from '../time.js';
import {
  type PermissionSetRow,
  type Permissions,
  type ProfileRow,
  type UserRow,
  PERMISSION_FIELDS,
  setupEntityTypeOf,
} from './directory.js';
import {
  type ConnectedApplicationSeed,
  type ConsumerSeed,
  type OauthTokenSeed,
  type OrgSeed,
  type ProfileSeed,
  type SetupEntityAccessSeed,
  type UserSeed,
  DEFAULT_MAX_API_VERSION,
  DEFAULT_PERMISSION_SETS,
  DEFAULT_PROFILES,
  DEFAULT_SETTINGS,
  DEFAULT_USERS,
  CODE_CREDENTIALS_EDITIONS,
} from './seed.js';
import { makeAccessToken } from './sessions.js';
import { mergeMetadata, setupAppMetadata } from './setupApps.js';
import { OrgState } from './state.js';

/** Created date of seeded rows. */
const EPOCH = '2025-01-06T09:00:00.000Z';

export function createOrg(seed: OrgSeed = {}): OrgState {
  const state = new OrgState();
  state.readings = readingsOf(seed.readings);
  for (const id of [
    seed.organization?.Id,
    ...[seed.users, seed.profiles, seed.permissionSets, seed.permissionSetAssignments].flatMap((list) =>
      (list ?? []).map((item) => item.Id),
    ),
  ]) {
    if (id) state.ids.reserve(id);
  }
  Object.assign(state, organizationOf(state.ids, seed));
  loadDirectory(state, seed);

  // Settings are components of the metadata store (Settings types), so read/deploy/retrieve see them.
  const admin = state.directory.users[0].Id;
  const settings = seed.settings ?? {};
  // Editions without the Authorization Code and Credentials Flow cannot have its org switch on (validate.ts).
  const flowEdition = CODE_CREDENTIALS_EDITIONS.includes(state.organization.OrganizationType);
  state.store.put(
    OauthOidcSettings.name,
    'OauthOidc',
    {
      ...DEFAULT_SETTINGS.OauthOidcSettings,
      ...(flowEdition ? {} : { oAuthCdCrdtFlowEnable: false }),
      ...settings.OauthOidcSettings,
    },
    admin,
  );
  state.store.put(
    ExternalClientAppSettings.name,
    'ExternalClientApp',
    { ...DEFAULT_SETTINGS.ExternalClientAppSettings, ...settings.ExternalClientAppSettings },
    admin,
  );

  for (const app of seed.connectedApplications ?? []) loadInstalledApp(state, app);
  for (const t of seed.oauthTokens ?? []) loadOauthToken(state, t, admin);
  for (const app of seed.vendorApps ?? []) state.connectedApps.load(app, admin);
  state.sessions.accessToken = state.sessions.open(seed.accessToken ?? makeAccessToken(state.organization.Id), admin);

  seedMetadata(state, mergeMetadata(seed.metadata ?? {}, ...(seed.setupApps ?? []).map(setupAppMetadata)));
  for (const app of state.store.components(ExternalClientApplication.name))
    generateMissingPolicies(state, app.fullName, admin);
  for (const c of seed.consumers ?? []) seedConsumer(state, c);
  for (const row of seed.setupEntityAccess ?? []) seedSetupEntityAccess(state, row);
  // The seed's apps have been in the org long enough to reach the authorize endpoint, and listMetadata says so:
  // their dates are a day before the org's clock.
  state.propagation.settle();
  state.store.backdate(new Date(state.clock.now() - DAY_MS).toISOString());
  return state;
}

/** Profiles (each with its own permission set, IsOwnedByProfile, as in Salesforce), permission sets, users, assignments. */
function loadDirectory(state: OrgState, seed: OrgSeed): void {
  for (const p of seed.profiles ?? DEFAULT_PROFILES) loadProfile(state, p);
  for (const ps of seed.permissionSets ?? DEFAULT_PERMISSION_SETS) {
    state.directory.permissionSets.push(
      makePermissionSet(state, ps.Name, ps.Label ?? ps.Name, ps.permissions ?? {}, null, ps.Id),
    );
  }
  for (const u of seed.users ?? DEFAULT_USERS) loadUser(state, u);
  if (state.directory.users.length === 0) throw new Error('An org seed needs at least one user (the session user).');
  for (const a of seed.permissionSetAssignments ?? []) assign(state, a.AssigneeId, a.PermissionSetId, a.Id);
}

/** Who the org is: its Organization row and org-wide switches. */
function organizationOf(
  ids: IdFactory,
  seed: OrgSeed,
): Pick<OrgState, 'organization' | 'maxApiVersion' | 'myDomain' | 'allowConnectedAppCreation' | 'asyncPolls'> {
  const org = seed.organization ?? {};
  const organization = {
    Id: org.Id ?? ids.next(KeyPrefix.Organization),
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
  return {
    organization,
    maxApiVersion: org.maxApiVersion ?? DEFAULT_MAX_API_VERSION,
    myDomain: org.myDomain,
    allowConnectedAppCreation: org.allowConnectedAppCreation ?? false,
    asyncPolls: seed.asyncPolls ?? 1,
  };
}

/** Adds a user with their profile's permission set and the named permission sets assigned. */
function loadUser(state: OrgState, u: UserSeed): void {
  const { directory } = state;
  const profileName = u.profile ?? 'System Administrator';
  const profile = u.ProfileId
    ? directory.profileById(u.ProfileId)
    : directory.profiles.find((p) => p.Name === profileName);
  if (!profile) throw new Error(`Seed user ${u.Username}: no profile ${u.ProfileId ?? profileName}`);
  const nameParts = u.Name?.split(' ') ?? [];
  const lastName = u.LastName ?? nameParts.pop() ?? u.Username.split('@')[0];
  const firstName = u.FirstName ?? (nameParts.length > 0 ? nameParts.join(' ') : null);
  const user: UserRow = {
    Id: u.Id ?? state.ids.next(KeyPrefix.User),
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
  directory.users.push(user);
  const own = directory.permissionSets.find((ps) => ps.IsOwnedByProfile && sameId(ps.ProfileId, profile.Id));
  if (own) assign(state, user.Id, own.Id);
  for (const name of u.permissionSets ?? []) {
    const ps = directory.permissionSets.find((p) => !p.IsOwnedByProfile && p.Name === name);
    if (!ps) throw new Error(`Seed user ${u.Username}: no permission set ${name}`);
    assign(state, user.Id, ps.Id);
  }
}

function loadProfile(state: OrgState, p: ProfileSeed): void {
  const profile: ProfileRow = {
    Id: p.Id ?? state.ids.next(KeyPrefix.Profile),
    Name: p.Name,
    UserType: 'Standard',
    UserLicenseId: null,
    CreatedDate: EPOCH,
  };
  state.directory.profiles.push(profile);
  state.directory.permissionSets.push(
    makePermissionSet(state, `X${profile.Id.slice(0, 15)}`, profile.Name, p.permissions ?? {}, profile.Id),
  );
}

function loadOauthToken(state: OrgState, t: OauthTokenSeed, defaultUserId: string): void {
  state.oauthTokens.push({
    Id: t.Id ?? state.ids.next(KeyPrefix.OauthToken),
    AppName: t.AppName,
    UserId: t.UserId ?? defaultUserId,
    UseCount: t.UseCount ?? 1,
    LastUsedDate: t.LastUsedDate ?? EPOCH,
    AppMenuItemId: t.AppMenuItemId ?? null,
    CreatedDate: EPOCH,
  });
}

function loadInstalledApp(state: OrgState, app: ConnectedApplicationSeed): void {
  state.installedConnectedApps.push({
    Id: app.Id ?? state.ids.next(KeyPrefix.ConnectedApplication),
    Name: app.Name,
    OptionsAllowAdminApprovedUsersOnly: app.OptionsAllowAdminApprovedUsersOnly ?? false,
    OptionsRefreshTokenValidityMetric: app.OptionsRefreshTokenValidityMetric ?? false,
    RefreshTokenValidityPeriod: app.RefreshTokenValidityPeriod ?? null,
    StartUrl: app.StartUrl ?? null,
    MobileStartUrl: app.MobileStartUrl ?? null,
    CreatedDate: EPOCH,
  });
}

function makePermissionSet(
  state: OrgState,
  name: string,
  label: string,
  permissions: Permissions,
  profileId: string | null,
  id?: string,
): PermissionSetRow {
  const row = {
    Id: id ?? state.ids.next(KeyPrefix.PermissionSet),
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

function assign(state: OrgState, userId: string, permissionSetId: string, id?: string): void {
  state.directory.permissionSetAssignments.push({
    Id: id ?? state.ids.next(KeyPrefix.PermissionSetAssignment),
    AssigneeId: userId,
    PermissionSetId: permissionSetId,
    IsActive: true,
  });
}

function seedMetadata(state: OrgState, metadata: NonNullable<OrgSeed['metadata']>): void {
  const admin = state.sessionUser.Id;
  const entries = Object.entries(metadata).map(([type, byName]) => {
    const def = typeByName(type);
    if (!def) throw new Error(`Seed metadata: unknown type ${type}`);
    return { def, byName };
  });
  // Parents first, as a deploy applies them.
  entries.sort((a, b) => METADATA_TYPES.indexOf(a.def) - METADATA_TYPES.indexOf(b.def));
  for (const { def, byName } of entries) {
    for (const [fullName, record] of Object.entries(byName)) {
      const { consumerKey, consumerSecret, ...fields } = record;
      // Access lists are SetupEntityAccess rows (metadata/grants.ts): a grant needs a profile or permission set.
      const unknown = def === ExtlClntAppOauthConfigurablePolicies ? unknownNames(state, fields) : undefined;
      const missing = [...(unknown?.profile ?? []), ...(unknown?.permissionSet ?? [])];
      if (missing.length > 0)
        throw new Error(
          `Seed metadata ${def.name} ${fullName}: no profile or permission set named ${missing.join(', ')}`,
        );
      applyComponent(state, def, fullName, fields, admin, { rotate: false });
      // A seed may pin the generated consumer of an app (to test against known credentials).
      const appName = String(fields.externalClientApplication ?? '');
      const consumer = def.name === 'ExtlClntAppGlobalOauthSettings' ? state.consumers.forApp(appName) : undefined;
      if (consumer && typeof consumerKey === 'string') consumer.key = consumerKey;
      if (consumer && typeof consumerSecret === 'string') consumer.secret = consumerSecret;
      if (consumer) refreshGenerated(state, appName);
    }
  }
}

function seedConsumer(state: OrgState, seed: ConsumerSeed): void {
  const app = state.store.get(ExternalClientApplication.name, seed.app);
  if (!app) throw new Error(`Seed consumers: no External Client App ${seed.app} in the seed's metadata`);
  state.consumers.add(app.fullName, { name: seed.name, key: seed.key, secret: seed.secret });
}

function seedSetupEntityAccess(state: OrgState, row: SetupEntityAccessSeed): void {
  const { permissionSets, profiles } = state.directory;
  const parent =
    row.ParentId ??
    (row.permissionSet !== undefined
      ? permissionSets.find((ps) => !ps.IsOwnedByProfile && ps.Name === row.permissionSet)?.Id
      : undefined) ??
    (row.profile !== undefined
      ? permissionSets.find(
          (ps) => ps.IsOwnedByProfile && sameId(ps.ProfileId, profiles.find((p) => p.Name === row.profile)?.Id),
        )?.Id
      : undefined);
  const entity =
    row.SetupEntityId ??
    (row.externalClientApp !== undefined
      ? state.store.get(ExternalClientApplication.name, row.externalClientApp)?.id
      : undefined) ??
    (row.connectedApp !== undefined
      ? state.installedConnectedApps.find((a) => a.Name === row.connectedApp)?.Id
      : undefined);
  if (!parent || !entity) throw new Error(`Seed setupEntityAccess: cannot resolve ${JSON.stringify(row)}`);
  state.directory.grantAccess({
    Id: row.Id ?? state.ids.next(KeyPrefix.SetupEntityAccess),
    ParentId: parent,
    SetupEntityId: entity,
    SetupEntityType: setupEntityTypeOf(entity),
    CreatedDate: state.clock.nowIso(),
  });
}
