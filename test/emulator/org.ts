/**
 * Builds an org from a seed: the OrgState (organization, people, permissions, settings, installed apps), then the
 * seeded metadata components through the same store code a deploy uses (so apps get their generated consumer, ids
 * and links), then SetupEntityAccess rows, which may name the seeded apps.
 */
import { KeyPrefix, sameId } from './ids.js';
import { applyComponent, refreshGenerated } from './metadata/store.js';
import { ExternalClientApplication, METADATA_TYPES, typeByName } from './metadata/types.js';
import type { OrgSeed, SetupEntityAccessSeed } from './seed.js';
import { OrgState, nowIso, setupEntityTypeOf } from './state.js';

export function createOrg(seed: OrgSeed = {}): OrgState {
  const state = new OrgState(seed);
  seedMetadata(state, seed.metadata ?? {});
  for (const row of seed.setupEntityAccess ?? []) seedSetupEntityAccess(state, row);
  return state;
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
      applyComponent(state, def, fullName, fields, admin, { rotate: false });
      // A seed may pin the generated consumer of an app (to test against known credentials).
      const appName = String(fields.externalClientApplication ?? '');
      const consumer = def.name === 'ExtlClntAppGlobalOauthSettings' ? state.consumerForApp(appName) : undefined;
      if (consumer && typeof consumerKey === 'string') consumer.key = consumerKey;
      if (consumer && typeof consumerSecret === 'string') consumer.secret = consumerSecret;
      if (consumer) refreshGenerated(state, appName);
    }
  }
}

function seedSetupEntityAccess(state: OrgState, row: SetupEntityAccessSeed): void {
  const parent =
    row.ParentId ??
    (row.permissionSet !== undefined
      ? state.permissionSets.find((ps) => !ps.IsOwnedByProfile && ps.Name === row.permissionSet)?.Id
      : undefined) ??
    (row.profile !== undefined
      ? state.permissionSets.find((ps) => ps.IsOwnedByProfile && sameId(ps.ProfileId, state.profiles.find((p) => p.Name === row.profile)?.Id))?.Id
      : undefined);
  const entity =
    row.SetupEntityId ??
    (row.externalClientApp !== undefined ? state.getComponent(ExternalClientApplication.name, row.externalClientApp)?.id : undefined) ??
    (row.connectedApp !== undefined ? state.installedConnectedApps.find((a) => a.Name === row.connectedApp)?.Id : undefined);
  if (!parent || !entity) throw new Error(`Seed setupEntityAccess: cannot resolve ${JSON.stringify(row)}`);
  state.setupEntityAccess.push({
    Id: row.Id ?? state.ids.next(KeyPrefix.SetupEntityAccess),
    ParentId: parent,
    SetupEntityId: entity,
    SetupEntityType: setupEntityTypeOf(entity),
    CreatedDate: nowIso(),
  });
}
