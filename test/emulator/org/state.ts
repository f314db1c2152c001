/**
 * The live state of one emulated org, as parts: who the org is (organization row, API versions, My Domain), its
 * directory (users and permissions), its metadata store, OAuth consumers, sessions, the foreign connected apps
 * installed in it with their OAuth tokens, and the history of deploys and retrieves; its clock, and the readings it
 * answers open questions with (readings.ts). load.ts builds one from a seed; everything the HTTP layer answers is read
 * from or written to an OrgState.
 *
 * The getters and methods below the parts are the view tests read through `emulator.org`.
 */
import { IdFactory } from '../ids.js';
import { type Readings, DEFAULT_READINGS, checkReadings } from '../readings.js';
import { Clock } from '../time.js';
import type { DeployRecord, RetrieveRecord } from '../metadata/operations.js';
import { withGrants } from '../metadata/grants.js';
import { type StoredComponent, MetadataStore } from '../metadata/store.js';
import { type ConnectedApplicationRow, type OauthTokenRow, ConnectedApps } from './connectedApps.js';
import { type OauthConsumer, Consumers } from './consumers.js';
import { type PermissionSetRow, type UserRow, Directory } from './directory.js';
import { Propagation } from './propagation.js';
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
  public readonly clock = new Clock();
  /** How this org answers the open questions (readings.ts); load.ts sets them from the seed. */
  public readings: Readings = { ...DEFAULT_READINGS };
  public organization!: OrganizationRow;
  public maxApiVersion!: string;
  /** My Domain URL; undefined = the emulator URL. */
  public myDomain?: string;
  public allowConnectedAppCreation!: boolean;
  /** Status checks of an async deploy/retrieve until it is done: the Nth check answers the final result. */
  public asyncPolls!: number;
  public readonly directory = new Directory();
  public readonly consumers = new Consumers(this.ids, this.clock);
  public readonly sessions = new Sessions();
  public readonly store = new MetadataStore(this.ids, {
    clock: this.clock,
    consumers: this.consumers,
    directory: this.directory,
    cascadeChildren: () => this.readings.deleteParentCascades,
  });
  /** New apps and callback changes on their way to the authorize endpoint (reading propagationDelayMs). */
  public readonly propagation = new Propagation(this.clock, () => this.readings.propagationDelayMs);
  /** Installed connected apps owned by other orgs (the ConnectedApplication rows that are not ConnectedApp metadata). */
  public readonly installedConnectedApps: ConnectedApplicationRow[] = [];
  public readonly oauthTokens: OauthTokenRow[] = [];
  /** Vendor-owned connected apps: install, policies, the uninstalled-app block (connectedApps.ts). */
  public readonly connectedApps = new ConnectedApps(
    this.ids,
    this.clock,
    this.directory,
    this.installedConnectedApps,
    this.oauthTokens,
    () => this.readings.apiAccessControl,
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

  /**
   * type → fullName → component. Components are the store's own, but an OAuth policies record is a copy that carries
   * its access lists as a read returns them (from the SetupEntityAccess rows, metadata/grants.ts).
   */
  public get metadata(): Map<string, Map<string, StoredComponent>> {
    return new Map(
      [...this.store.byType].map(([type, byName]) => [
        type,
        new Map([...byName].map(([name, c]) => [name, this.view(c)])),
      ]),
    );
  }

  public components(type: string): StoredComponent[] {
    return this.store.components(type).map((c) => this.view(c));
  }

  /** Finds a component by type and fullName; fullNames compare case-insensitively, as in Salesforce. */
  public getComponent(type: string, fullName: string): StoredComponent | undefined {
    const c = this.store.get(type, fullName);
    return c ? this.view(c) : undefined;
  }

  public consumerForApp(appFullName: string): OauthConsumer | undefined {
    return this.consumers.forApp(appFullName);
  }

  /** Changes some readings (checked: an unknown name or a bad value throws, and nothing changes). */
  public setReadings(changes: Partial<Readings>): Readings {
    const checked = checkReadings(changes);
    if ('problem' in checked) throw new Error(checked.problem);
    Object.assign(this.readings, checked.readings);
    return this.readings;
  }

  /** The user a valid access token belongs to. */
  public userForToken(token: string | undefined): UserRow | undefined {
    if (!token) return undefined;
    const userId = this.sessions.userIdFor(token);
    return userId ? this.directory.userById(userId) : undefined;
  }

  /** A component as tests see it (see `metadata`). */
  private view(c: StoredComponent): StoredComponent {
    const record = withGrants(this, c.type, c.record);
    return record === c.record ? c : { ...c, record };
  }
}
