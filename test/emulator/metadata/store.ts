/**
 * The metadata store: every stored component, by type and fullName (fullNames compare case-insensitively, as in
 * Salesforce), and the one delete rule. Deleting goes through `delete` only: deleting an app deletes the
 * SetupEntityAccess rows that name it and, under the reading `deleteParentCascades` (default), its child components
 * and its OAuth consumer; without the cascade the children stay, orphaned. Deleting an app's global OAuth settings
 * deletes the app's consumer.
 */
import type { IdFactory } from '../ids.js';
import type { Consumers } from '../org/consumers.js';
import type { Directory } from '../org/directory.js';
import type { Clock } from '../time.js';
import {
  type MetadataTypeDef,
  ECA_TYPES,
  ExternalClientApplication,
  ExtlClntAppGlobalOauthSettings,
  typeByName,
} from './types.js';

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

/**
 * What the store works with: the clock its dates come from, and what else a delete touches (the app's consumer, its
 * SetupEntityAccess rows, and whether its children go with it: the reading `deleteParentCascades`).
 */
export type StoreParts = { clock: Clock; consumers: Consumers; directory: Directory; cascadeChildren(): boolean };

export class MetadataStore {
  /** type → fullName (as stored) → component. Read it freely; change components through put and delete. */
  public readonly byType = new Map<string, Map<string, StoredComponent>>();

  public constructor(
    private readonly ids: IdFactory,
    private readonly parts: StoreParts,
  ) {}

  public components(type: string): StoredComponent[] {
    return [...(this.byType.get(type)?.values() ?? [])];
  }

  /** Finds a component by type and fullName; fullNames compare case-insensitively, as in Salesforce. */
  public get(type: string, fullName: string): StoredComponent | undefined {
    const byName = this.byType.get(type);
    if (!byName) return undefined;
    const exact = byName.get(fullName);
    if (exact) return exact;
    const lower = fullName.toLowerCase();
    return [...byName.values()].find((c) => c.fullName.toLowerCase() === lower);
  }

  /** Child components (of the given type) whose `externalClientApplication` names the app. */
  public childrenOfApp(type: string, appFullName: string): StoredComponent[] {
    const lower = appFullName.toLowerCase();
    return this.components(type).filter(
      (c) => String(c.record.externalClientApplication ?? '').toLowerCase() === lower,
    );
  }

  /** Creates or replaces a component. Returns the stored component and whether it was created. */
  public put(
    type: string,
    fullName: string,
    record: MdRecord,
    userId: string,
  ): { component: StoredComponent; created: boolean } {
    const def = typeByName(type);
    if (!def) throw new Error(`Unknown metadata type ${type}`);
    let byName = this.byType.get(def.name);
    if (!byName) {
      byName = new Map();
      this.byType.set(def.name, byName);
    }
    const existing = this.get(def.name, fullName);
    const now = this.parts.clock.nowIso();
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

  /** Dates every component as made and last changed at `iso` (a seed's components were there long before). */
  public backdate(iso: string): void {
    for (const byName of this.byType.values()) {
      for (const component of byName.values()) {
        component.createdDate = iso;
        component.lastModifiedDate = iso;
      }
    }
  }

  /** Deletes a component and what belongs to it (see the top of this file); false when there is no such component. */
  public delete(def: MetadataTypeDef, fullName: string): boolean {
    const removed = this.get(def.name, fullName);
    if (!removed) return false;
    this.byType.get(removed.type)?.delete(removed.fullName);
    if (def === ExternalClientApplication) {
      if (this.parts.cascadeChildren()) {
        for (const childDef of ECA_TYPES) {
          if (!childDef.parentField) continue;
          for (const child of this.childrenOfApp(childDef.name, removed.fullName))
            this.byType.get(childDef.name)?.delete(child.fullName);
        }
        this.parts.consumers.remove(removed.fullName);
      }
      this.parts.directory.revokeAccess((row) => row.SetupEntityId.slice(0, 15) === removed.id.slice(0, 15));
    }
    if (def === ExtlClntAppGlobalOauthSettings) {
      this.parts.consumers.remove(String(removed.record.externalClientApplication));
    }
    return true;
  }
}
