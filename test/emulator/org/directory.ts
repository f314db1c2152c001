/**
 * The org's directory: users, profiles, permission sets and their assignments, and which apps each permission set
 * may use (SetupEntityAccess rows). It answers what a user may do, and it owns the SetupEntityAccess rows: they are
 * only added with grantAccess and only removed with revokeAccess.
 */
import { KeyPrefix, sameId } from '../ids.js';

/**
 * The user permissions the emulator models (fields `Permissions<Name>` on PermissionSet). PermissionsClientSecretRotation
 * ("Allow consumer key and secret rotation") is in the v67 reference and in models generated from real orgs at API
 * 57.0, so it exists at every version the emulator serves, whatever the reading rotationPermission says.
 */
export const PERMISSION_FIELDS = [
  'PermissionsApiEnabled',
  'PermissionsCanApproveUninstalledApps',
  'PermissionsClientSecretRotation',
  'PermissionsCustomizeApplication',
  'PermissionsExternalClientAppAdmin',
  'PermissionsExternalClientAppDeveloper',
  'PermissionsExternalClientAppViewer',
  'PermissionsManageProfilesPermissionsets',
  'PermissionsManageRemoteAccess',
  'PermissionsManageUsers',
  'PermissionsModifyAllData',
  'PermissionsModifyMetadata',
  'PermissionsViewClientSecret',
  'PermissionsViewSetup',
] as const;
export type PermissionField = (typeof PERMISSION_FIELDS)[number];
export type Permissions = Partial<Record<PermissionField, boolean>>;

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

export type ProfileRow = {
  Id: string;
  Name: string;
  UserType: string;
  UserLicenseId: string | null;
  CreatedDate: string;
};

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

export class Directory {
  public readonly users: UserRow[] = [];
  public readonly profiles: ProfileRow[] = [];
  public readonly permissionSets: PermissionSetRow[] = [];
  public readonly permissionSetAssignments: PermissionSetAssignmentRow[] = [];
  private access: SetupEntityAccessRow[] = [];

  /** The first user: the one the org's first session (the emulator's access token) belongs to. */
  public get sessionUser(): UserRow {
    return this.users[0];
  }

  /** Apps pre-authorized for permission sets. */
  public get setupEntityAccess(): readonly SetupEntityAccessRow[] {
    return this.access;
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
      this.permissionSetAssignments
        .filter((a) => sameId(a.AssigneeId, userId))
        .map((a) => a.PermissionSetId.slice(0, 15)),
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

  public grantAccess(row: SetupEntityAccessRow): void {
    this.access.push(row);
  }

  /** Removes the SetupEntityAccess rows that match; returns how many were removed. */
  public revokeAccess(matches: (row: SetupEntityAccessRow) => boolean): number {
    const before = this.access.length;
    this.access = this.access.filter((row) => !matches(row));
    return before - this.access.length;
  }
}

/** SetupEntityType of an app id, from its key prefix. */
export function setupEntityTypeOf(id: string): string {
  if (id.startsWith(KeyPrefix.ExternalClientApplication)) return 'ExternalClientApplication';
  if (id.startsWith(KeyPrefix.ConnectedApplication)) return 'ConnectedApplication';
  return 'Unknown';
}
