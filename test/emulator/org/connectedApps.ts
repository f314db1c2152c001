/*
 * Connected apps owned by other orgs ("vendor apps", such as Inven's) as this org sees them, through their life:
 *
 * - never used: the org knows nothing of the app (no row anywhere);
 * - used, not installed: someone authorized it (an OauthToken row), or tried and was blocked (a denied attempt);
 *   Setup → Connected Apps OAuth Usage lists it with an Install button;
 * - installed: the admin clicked Install; a ConnectedApplication row exists, with the policies Setup → Manage
 *   Connected Apps → Edit Policies shows (Salesforce's defaults at install: all users may self-authorize, enforce IP
 *   restrictions, refresh token valid until revoked).
 *
 * The ConnectedApplication sObject is read-only and exposes only part of the policies (docs/salesforce.md §5): permitted
 * users (OptionsAllowAdminApprovedUsersOnly) and the refresh token period (RefreshTokenValidityPeriod, inactivity-based
 * when OptionsRefreshTokenValidityMetric). IP relaxation, trusted IP ranges and the refresh token unit are kept here
 * and reach no API, as in a real org. No API installs an app or edits its policies: tests do it through the control
 * endpoints (`/__emulator/connected-apps/…`) or these methods, standing in for the admin's clicks.
 *
 * authorize() stands in for a user's OAuth login to the vendor (the emulator has no browser login): since September
 * 2025 an uninstalled app is blocked for users without "Approve Uninstalled Connected Apps" [D KB-UNINST], and an
 * installed app whose permitted users are admin-approved needs the user's profile or a permission set pre-authorized.
 *
 * Block (Connected Apps OAuth Usage, every org): ends the app's current sessions (its OauthToken rows go) and refuses
 * new ones (`OAUTH_APP_BLOCKED`); Unblock lets users log in again. No field of any object shows the blocked state
 * (the ConnectedApplication field reference has none), so no API reads it here either. With the reading
 * `apiAccessControl` (API Access Control, enabled by Salesforce Support) an uninstalled app is refused for every user,
 * "Approve Uninstalled Connected Apps" or not: only installed, unblocked apps may be used. README.md, "Vendor-owned
 * connected apps", has the evidence.
 */
import { KeyPrefix, sameId } from '../ids.js';
import type { Clock } from '../time.js';
import {
  type ConnectedAppPolicies,
  type ConnectedApplicationRow,
  type IpRange,
  type IpRelaxation,
  type OauthTokenRow,
  INSTALL_DEFAULTS,
  IP_RELAXATION,
  isRefreshTokenPolicy,
  refreshTokenColumns,
  canManageConnectedApps,
} from './connectedAppPolicies.js';
import type { Directory, UserRow } from './directory.js';

export {
  type ConnectedAppPolicies,
  type ConnectedApplicationRow,
  type IpRange,
  type IpRelaxation,
  type OauthTokenRow,
  type PermittedUsers,
  INSTALL_DEFAULTS,
  IP_RELAXATION,
  canManageConnectedApps,
  canPreauthorizeConnectedApps,
  isRefreshTokenPolicy,
  refreshTokenColumns,
} from './connectedAppPolicies.js';

export type VendorAppStage = 'never-used' | 'used' | 'installed';

/** A vendor app in a seed (`vendorApps`). */
export type VendorAppSeed = {
  name: string;
  /** Default `used`. */
  stage?: VendorAppStage;
  /** Usernames whose OAuth tokens exist (stage `used` or `installed`); default the first user. */
  usedBy?: string[];
  /** Policies of an installed app (the rest are the install defaults). */
  policies?: Partial<ConnectedAppPolicies>;
  /** An installed app the admin blocked on Connected Apps OAuth Usage (its sessions ended: no OauthToken rows). */
  blocked?: boolean;
};

export type AuthorizeOutcome =
  | { granted: true; appName: string; userId: string; useCount: number }
  | { granted: false; error: string; error_description: string };

export type DeniedAttempt = { appName: string; userId: string; at: string };

/** A request the org refuses (the control endpoint answers it as 4xx with the code). */
export class ConnectedAppRefusal extends Error {
  public constructor(
    public readonly code: string,
    message: string,
    public readonly status = 400,
  ) {
    super(message);
  }
}

type Hidden = { ipRelaxation: IpRelaxation; ipRanges: IpRange[]; refreshTokenPolicy: string };

export class ConnectedApps {
  /** Blocked authorize attempts (they list an uninstalled app on the OAuth usage page). */
  public readonly deniedAttempts: DeniedAttempt[] = [];
  /** Names of vendor apps the emulator knows (an authorize() for another name is an unknown client), by lower case. */
  private readonly vendors = new Map<string, string>();
  /** Policies no API exposes, per installed app id. */
  private readonly hidden = new Map<string, Hidden>();
  /** Ids of installed apps the admin blocked (no API shows it). */
  private readonly blockedIds = new Set<string>();

  public constructor(
    private readonly ids: { next(prefix: string): string },
    private readonly clock: Clock,
    private readonly directory: Directory,
    /** The org's ConnectedApplication rows of installed foreign apps (OrgState.installedConnectedApps). */
    private readonly installedRows: ConnectedApplicationRow[],
    private readonly tokens: OauthTokenRow[],
    /** The reading apiAccessControl: only installed apps may be used. */
    private readonly apiAccessControl: () => boolean,
  ) {}

  public row(name: string): ConnectedApplicationRow | undefined {
    return this.installedRows.find((r) => sameName(r.Name, name));
  }

  public stage(name: string): VendorAppStage {
    if (this.row(name)) return 'installed';
    const used =
      this.tokens.some((t) => sameName(t.AppName, name)) || this.deniedAttempts.some((d) => sameName(d.appName, name));
    return used ? 'used' : 'never-used';
  }

  /** Registers a vendor app the org's users may try to connect to. */
  public register(name: string): void {
    if (!this.vendors.has(name.toLowerCase())) this.vendors.set(name.toLowerCase(), name);
  }

  public load(seed: VendorAppSeed, firstUserId: string): void {
    this.register(seed.name);
    const stage = seed.stage ?? 'used';
    if (stage === 'never-used') return;
    for (const username of seed.usedBy ?? [undefined]) {
      const user =
        username === undefined
          ? this.directory.userById(firstUserId)
          : this.directory.users.find((u) => u.Username === username);
      if (!user) throw new Error(`Seed vendorApps ${seed.name}: no user ${String(username)}`);
      this.addToken(seed.name, user.Id);
    }
    if (stage === 'installed') this.writeInstall(seed.name, { ...INSTALL_DEFAULTS, ...seed.policies });
    if (seed.blocked === true) {
      if (stage !== 'installed') throw new Error(`Seed vendorApps ${seed.name}: only an installed app can be blocked`);
      this.block(seed.name, true);
    }
  }

  /**
   * Block or Unblock on Connected Apps OAuth Usage (an installed app). Blocking ends the app's sessions: its
   * OauthToken rows go. Returns whether the app is blocked now.
   */
  public block(name: string, blocked: boolean): boolean {
    const row = this.row(name);
    if (!row) throw new ConnectedAppRefusal('NOT_FOUND', `${name} is not installed in the org.`, 404);
    if (!blocked) {
      this.blockedIds.delete(row.Id);
      return false;
    }
    this.blockedIds.add(row.Id);
    for (let i = this.tokens.length - 1; i >= 0; i--) {
      if (sameName(this.tokens[i].AppName, row.Name)) this.tokens.splice(i, 1);
    }
    return true;
  }

  /** Whether an installed app is blocked (for tests and the state dump: no org API shows it). */
  public isBlocked(name: string): boolean {
    const row = this.row(name);
    return row !== undefined && this.blockedIds.has(row.Id);
  }

  /**
   * Install from Connected Apps OAuth Usage. The app must be listed there (used, or a denied attempt) and the user
   * must be allowed to manage connected apps. Installing an installed app changes nothing.
   */
  public install(name: string, userId: string): { installed: boolean; row: ConnectedApplicationRow } {
    const existing = this.row(name);
    if (existing) return { installed: false, row: existing };
    if (!canManageConnectedApps(this.directory.userPermissions(userId))) {
      throw new ConnectedAppRefusal(
        'INSUFFICIENT_ACCESS',
        'Installing a connected app needs Customize Application and Modify All Data or Manage Connected Apps.',
        403,
      );
    }
    if (this.stage(name) === 'never-used') {
      throw new ConnectedAppRefusal(
        'NOT_FOUND',
        `${name} is not on the Connected Apps OAuth Usage page: nobody in the org has used it yet.`,
        404,
      );
    }
    return { installed: true, row: this.writeInstall(this.displayName(name), INSTALL_DEFAULTS) };
  }

  /** Uninstall: the local copy and its policies and pre-authorizations go; tokens stay, the app is "used" again. */
  public uninstall(name: string): boolean {
    const row = this.row(name);
    if (!row) return false;
    this.installedRows.splice(this.installedRows.indexOf(row), 1);
    this.hidden.delete(row.Id);
    this.blockedIds.delete(row.Id);
    this.directory.revokeAccess((s) => sameId(s.SetupEntityId, row.Id));
    return true;
  }

  /** The admin's Edit Policies page: changes the given policies of an installed app. */
  public setPolicies(name: string, changes: Partial<ConnectedAppPolicies>): ConnectedAppPolicies {
    const row = this.row(name);
    if (!row) throw new ConnectedAppRefusal('NOT_FOUND', `${name} is not installed in the org.`, 404);
    if (changes.refreshTokenPolicy !== undefined && !isRefreshTokenPolicy(changes.refreshTokenPolicy)) {
      throw new ConnectedAppRefusal('INVALID_VALUE', `Bad refresh token policy: ${changes.refreshTokenPolicy}`);
    }
    if (changes.ipRelaxation !== undefined && !IP_RELAXATION.includes(changes.ipRelaxation)) {
      throw new ConnectedAppRefusal('INVALID_VALUE', `Bad IP relaxation: ${String(changes.ipRelaxation)}`);
    }
    const next = { ...this.policies(name)!, ...changes };
    this.applyPolicies(row, next);
    return next;
  }

  /** An installed app's policies, the readable and the hidden ones. */
  public policies(name: string): ConnectedAppPolicies | undefined {
    const row = this.row(name);
    if (!row) return undefined;
    const hidden = this.hidden.get(row.Id) ?? { ipRelaxation: 'ENFORCE', ipRanges: [], refreshTokenPolicy: 'infinite' };
    return {
      permittedUsers: row.OptionsAllowAdminApprovedUsersOnly ? 'AdminApprovedPreAuthorized' : 'AllSelfAuthorized',
      refreshTokenPolicy: hidden.refreshTokenPolicy,
      ipRelaxation: hidden.ipRelaxation,
      ipRanges: hidden.ipRanges.map((r) => ({ ...r })),
    };
  }

  /** A user's OAuth login to the vendor app, judged as Salesforce judges it (see the file comment). */
  public authorize(name: string, username: string): AuthorizeOutcome {
    const user = this.directory.users.find((u) => u.Username.toLowerCase() === username.toLowerCase() && u.IsActive);
    if (!user) return { granted: false, error: 'invalid_grant', error_description: 'authentication failure' };
    if (!this.vendors.has(name.toLowerCase()) && this.stage(name) === 'never-used') {
      return { granted: false, error: 'invalid_client_id', error_description: 'client identifier invalid' };
    }
    const appName = this.displayName(name);
    const row = this.row(name);
    if (row && this.blockedIds.has(row.Id))
      return { granted: false, error: 'OAUTH_APP_BLOCKED', error_description: 'this app is blocked by admin' };
    const mayUseUninstalled =
      !this.apiAccessControl() && this.directory.hasPermission(user.Id, 'PermissionsCanApproveUninstalledApps');
    if (!row && !mayUseUninstalled) {
      this.deniedAttempts.push({ appName, userId: user.Id, at: this.clock.nowIso() });
      return { granted: false, error: 'invalid_client', error_description: 'app must be installed into org' };
    }
    if (row?.OptionsAllowAdminApprovedUsersOnly && !this.isPreauthorized(row, user)) {
      return {
        granted: false,
        error: 'invalid_app_access',
        error_description: 'user is not admin approved to access this app',
      };
    }
    const token = this.addToken(appName, user.Id);
    return { granted: true, appName, userId: user.Id, useCount: token.UseCount };
  }

  public dump(): Array<Record<string, unknown>> {
    const names = new Map<string, string>();
    for (const n of [
      ...this.vendors.values(),
      ...this.installedRows.map((r) => r.Name),
      ...this.tokens.map((t) => t.AppName),
    ]) {
      if (!names.has(n.toLowerCase())) names.set(n.toLowerCase(), this.displayName(n));
    }
    return [...names.values()].map((name) => ({
      name,
      stage: this.stage(name),
      policies: this.policies(name) ?? null,
      blocked: this.isBlocked(name),
      deniedAttempts: this.deniedAttempts.filter((d) => sameName(d.appName, name)).length,
    }));
  }

  /** The app's name as the org spells it (row, token, or as registered). */
  private displayName(name: string): string {
    return (
      this.row(name)?.Name ??
      this.tokens.find((t) => sameName(t.AppName, name))?.AppName ??
      this.deniedAttempts.find((d) => sameName(d.appName, name))?.appName ??
      this.vendors.get(name.toLowerCase()) ??
      name
    );
  }

  private writeInstall(name: string, policies: ConnectedAppPolicies): ConnectedApplicationRow {
    const row: ConnectedApplicationRow = {
      Id: this.ids.next(KeyPrefix.ConnectedApplication),
      Name: name,
      OptionsAllowAdminApprovedUsersOnly: false,
      OptionsRefreshTokenValidityMetric: false,
      RefreshTokenValidityPeriod: null,
      StartUrl: null,
      MobileStartUrl: null,
      CreatedDate: this.clock.nowIso(),
    };
    this.installedRows.push(row);
    this.applyPolicies(row, policies);
    return row;
  }

  private applyPolicies(row: ConnectedApplicationRow, policies: ConnectedAppPolicies): void {
    Object.assign(row, refreshTokenColumns(policies.refreshTokenPolicy), {
      OptionsAllowAdminApprovedUsersOnly: policies.permittedUsers === 'AdminApprovedPreAuthorized',
    });
    this.hidden.set(row.Id, {
      ipRelaxation: policies.ipRelaxation,
      ipRanges: policies.ipRanges.map((r) => ({ ...r })),
      refreshTokenPolicy: policies.refreshTokenPolicy,
    });
  }

  private addToken(appName: string, userId: string): OauthTokenRow {
    const existing = this.tokens.find((t) => sameName(t.AppName, appName) && sameId(t.UserId, userId));
    const now = this.clock.nowIso();
    if (existing) {
      existing.UseCount += 1;
      existing.LastUsedDate = now;
      return existing;
    }
    const token: OauthTokenRow = {
      Id: this.ids.next(KeyPrefix.OauthToken),
      AppName: appName,
      UserId: userId,
      UseCount: 1,
      LastUsedDate: now,
      AppMenuItemId: null,
      CreatedDate: now,
    };
    this.tokens.push(token);
    return token;
  }

  /** The user holds a permission set (the profile's own included) that has a SetupEntityAccess row for the app. */
  private isPreauthorized(row: ConnectedApplicationRow, user: UserRow): boolean {
    const granted = this.directory.setupEntityAccess
      .filter((s) => sameId(s.SetupEntityId, row.Id))
      .map((s) => s.ParentId);
    return this.directory.permissionSetAssignments.some(
      (a) => sameId(a.AssigneeId, user.Id) && granted.some((p) => sameId(p, a.PermissionSetId)),
    );
  }
}

function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
