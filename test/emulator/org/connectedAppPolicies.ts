/**
 * What this org keeps of a vendor-owned connected app once installed, as data: the ConnectedApplication and OauthToken
 * rows, the OAuth policies (in the ConnectedApp metadata spelling) with Salesforce's install defaults, how a refresh
 * token policy reads in the ConnectedApplication columns, and who may install an app or change its pre-authorizations.
 * connectedApps.ts runs the app's life on top of these.
 */
import type { PermissionField } from './directory.js';

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

/** IP relaxation as the ConnectedApp metadata type spells it (docs/salesforce.md §4). */
export const IP_RELAXATION = ['ENFORCE', 'ENFORCE_RELAXREFRESH', 'BYPASS_2FACTOR', 'BYPASS'] as const;
export type IpRelaxation = (typeof IP_RELAXATION)[number];
export type IpRange = { start: string; end: string; description?: string };
export type PermittedUsers = 'AllSelfAuthorized' | 'AdminApprovedPreAuthorized';

/**
 * An installed app's OAuth policies. `refreshTokenPolicy` uses the ConnectedApp metadata spelling: `infinite`,
 * `zero`, `specific_lifetime:<n>:HOURS|DAYS|MONTHS`, `specific_inactivity:<n>:…`.
 */
export type ConnectedAppPolicies = {
  permittedUsers: PermittedUsers;
  refreshTokenPolicy: string;
  ipRelaxation: IpRelaxation;
  ipRanges: IpRange[];
};

/** What Salesforce sets when an app is installed from Connected Apps OAuth Usage. */
export const INSTALL_DEFAULTS: ConnectedAppPolicies = {
  permittedUsers: 'AllSelfAuthorized',
  refreshTokenPolicy: 'infinite',
  ipRelaxation: 'ENFORCE',
  ipRanges: [],
};

const REFRESH_POLICY = /^(infinite|zero|(specific_lifetime|specific_inactivity):([1-9]\d*):(HOURS|DAYS|MONTHS))$/;

export function isRefreshTokenPolicy(value: string): boolean {
  return REFRESH_POLICY.test(value);
}

/**
 * The ConnectedApplication columns of a refresh token policy. Assumption (docs/salesforce.md §9.10): "valid
 * until revoked" leaves RefreshTokenValidityPeriod null, "immediately expire" is 0, and a specific policy stores its
 * number (the unit is not exposed); OptionsRefreshTokenValidityMetric is true for the inactivity-based one.
 */
export function refreshTokenColumns(
  policy: string,
): Pick<ConnectedApplicationRow, 'OptionsRefreshTokenValidityMetric' | 'RefreshTokenValidityPeriod'> {
  const match = REFRESH_POLICY.exec(policy);
  if (!match || match[1] === 'infinite')
    return { OptionsRefreshTokenValidityMetric: false, RefreshTokenValidityPeriod: null };
  if (match[1] === 'zero') return { OptionsRefreshTokenValidityMetric: false, RefreshTokenValidityPeriod: 0 };
  return {
    OptionsRefreshTokenValidityMetric: match[2] === 'specific_inactivity',
    RefreshTokenValidityPeriod: Number(match[3]),
  };
}

/** Who may install or edit a connected app: Customize Application AND (Modify All Data OR Manage Connected Apps) [D H-CAINST]. */
export function canManageConnectedApps(perms: Record<PermissionField, boolean>): boolean {
  return (
    perms.PermissionsCustomizeApplication && (perms.PermissionsModifyAllData || perms.PermissionsManageRemoteAccess)
  );
}

/**
 * Who may change a connected app's profiles and permission sets (SetupEntityAccess rows): Customize Application AND
 * Modify All Data AND Manage Profiles and Permission Sets [D H-CAINST].
 */
export function canPreauthorizeConnectedApps(perms: Record<PermissionField, boolean>): boolean {
  return (
    perms.PermissionsCustomizeApplication &&
    perms.PermissionsModifyAllData &&
    perms.PermissionsManageProfilesPermissionsets
  );
}
