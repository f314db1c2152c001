/**
 * The org settings the emulator models, OauthOidcSettings and ExternalClientAppSettings. They are settings components
 * of the metadata store (so readMetadata, deploy and retrieve see them); this module reads their live values.
 */
import type { MdRecord, MetadataStore } from '../metadata/store.js';
import { ExternalClientAppSettings, OauthOidcSettings, typeByName } from '../metadata/types.js';

export type OrgSettings = { OauthOidcSettings: MdRecord; ExternalClientAppSettings: MdRecord };

/** Field values of a settings type ({} when the org has none). */
export function settingsRecord(store: MetadataStore, type: string): MdRecord {
  const def = typeByName(type);
  const component = def?.settingsFullName ? store.get(def.name, def.settingsFullName) : undefined;
  return component?.record ?? {};
}

/** Live field values of both settings. */
export function orgSettings(store: MetadataStore): OrgSettings {
  return {
    OauthOidcSettings: settingsRecord(store, OauthOidcSettings.name),
    ExternalClientAppSettings: settingsRecord(store, ExternalClientAppSettings.name),
  };
}
