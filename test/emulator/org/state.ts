/**
 * The live state of one emulated org, as parts: who the org is (organization row, API versions, My Domain), its
 * directory (users and permissions), its metadata store, OAuth consumers, sessions, the foreign connected apps
 * installed in it with their OAuth tokens, and the history of deploys and retrieves. load.ts builds one from a seed;
 * everything the HTTP layer answers is read from or written to an OrgState.
 *
 * The getters and methods below the parts are the view tests read through `emulator.org`.
 */
import { IdFactory } from '../ids.js';
import type { DeployRecord, RetrieveRecord } from '../metadata/operations.js';
import { type StoredComponent, MetadataStore } from '../metadata/store.js';
import { type ConnectedApplicationRow, type OauthTokenRow, ConnectedApps } from './connectedApps.js';
import { type OauthConsumer, Consumers } from './consumers.js';
import { type PermissionSetRow, type UserRow, Directory } from './directory.js';
import { Sessions } from './sessions.js';
import { type OrgSettings, orgSettings } from './settings.js';

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

export type { ConnectedApplicationRow, OauthTokenRow } from './connectedApps.js';

export class OrgState {
  public readonly ids = new IdFactory();
  public organization!: OrganizationRow;
  public maxApiVersion!: string;
  /** My Domain URL; undefined = the emulator URL. */
  public myDomain?: string;
  public allowConnectedAppCreation!: boolean;
  /** Status checks of an async deploy/retrieve until it is done: the Nth check answers the final result. */
  public asyncPolls!: number;
  public readonly directory = new Directory();
  public readonly consumers = new Consumers(this.ids);
  public readonly sessions = new Sessions();
  public readonly store = new MetadataStore(this.ids, { consumers: this.consumers, directory: this.directory });
  /** Installed connected apps owned by other orgs (the ConnectedApplication rows that are not ConnectedApp metadata). */
  public readonly installedConnectedApps: ConnectedApplicationRow[] = [];
  public readonly oauthTokens: OauthTokenRow[] = [];
  /** Vendor-owned connected apps: install, policies, the uninstalled-app block (connectedApps.ts). */
  public readonly connectedApps = new ConnectedApps(
    this.ids,
    this.directory,
    this.installedConnectedApps,
    this.oauthTokens,
  );
  public readonly deploys = new Map<string, DeployRecord>();
  public readonly retrieves = new Map<string, RetrieveRecord>();

  // ------------------------------------------------------------------ the view through emulator.org

  /** A valid session token of the first user. */
  public get accessToken(): string {
    return this.sessions.accessToken;
  }

  public get sessionUser(): UserRow {
    return this.directory.sessionUser;
  }

  public get permissionSets(): PermissionSetRow[] {
    return this.directory.permissionSets;
  }

  /** Live field values of the two org settings the emulator models. */
  public get settings(): OrgSettings {
    return orgSettings(this.store);
  }

  /** type → fullName → component (the store's own map). */
  public get metadata(): Map<string, Map<string, StoredComponent>> {
    return this.store.byType;
  }

  public components(type: string): StoredComponent[] {
    return this.store.components(type);
  }

  /** Finds a component by type and fullName; fullNames compare case-insensitively, as in Salesforce. */
  public getComponent(type: string, fullName: string): StoredComponent | undefined {
    return this.store.get(type, fullName);
  }

  public consumerForApp(appFullName: string): OauthConsumer | undefined {
    return this.consumers.forApp(appFullName);
  }

  /** The user a valid access token belongs to. */
  public userForToken(token: string | undefined): UserRow | undefined {
    if (!token) return undefined;
    const userId = this.sessions.userIdFor(token);
    return userId ? this.directory.userById(userId) : undefined;
  }
}
