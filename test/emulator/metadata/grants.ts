/**
 * Who an External Client App is pre-authorized for: the profile and permission-set lists of its OAuth policies
 * (`commaSeparatedProfile`, `commaSeparatedPermissionSet`, names as Salesforce takes them: Profile.Name and the
 * permission set API name). One source of truth: SetupEntityAccess rows (ParentId = the profile's own permission set,
 * or the permission set; SetupEntityId = the app), the rows choosing a profile in the app's Setup page makes
 * (docs/salesforce.md §6). A deploy or CRUD write of the OAuth policies turns its lists into rows; readMetadata,
 * retrieve and the state dump write the rows back as the lists; a REST insert or delete of a row changes what they
 * return, and SOQL on SetupEntityAccess sees the same rows. The stored policy record never holds the lists.
 *
 * How a write treats the lists is the reading `additiveAccessLists`. True (default): a write only adds; a name
 * already granted fails ("profile names are already taken", the one public report; the permission-set text is the
 * analogous guess) and a name not sent stays granted, so only a SetupEntityAccess delete (or deleting the app) takes a
 * grant away. False: each list is the whole truth for its kind (absent = none), and names not sent are revoked.
 */
import { type IdFactory, KeyPrefix, sameId } from '../ids.js';
import type { Directory, PermissionSetRow } from '../org/directory.js';
import type { Readings } from '../readings.js';
import type { Clock } from '../time.js';
import type { Problem } from './recordXml.js';
import type { MdRecord, MdValue, MetadataStore } from './store.js';
import { ExternalClientApplication, ExtlClntAppOauthConfigurablePolicies } from './types.js';

/** The parts of the org grants are made of (an OrgState; written out so OrgState can show grants without a cycle). */
type OrgState = {
  readonly store: MetadataStore;
  readonly directory: Directory;
  readonly readings: Readings;
  readonly ids: IdFactory;
  readonly clock: Clock;
};

type Kind = 'profile' | 'permissionSet';

const LIST_FIELD: Record<Kind, 'commaSeparatedProfile' | 'commaSeparatedPermissionSet'> = {
  profile: 'commaSeparatedProfile',
  permissionSet: 'commaSeparatedPermissionSet',
};

const KINDS: readonly Kind[] = ['profile', 'permissionSet'];

/** The names of a comma-separated list, trimmed. */
export function splitList(value: MdValue | undefined): string[] {
  return typeof value === 'string'
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];
}

/** The permission set a list name means: a profile's own one, or a permission set by API name (case-insensitive). */
function permissionSetFor(state: OrgState, kind: Kind, name: string): PermissionSetRow | undefined {
  const { directory } = state;
  const lower = name.toLowerCase();
  if (kind === 'permissionSet')
    return directory.permissionSets.find((ps) => !ps.IsOwnedByProfile && ps.Name.toLowerCase() === lower);
  const profile = directory.profiles.find((p) => p.Name.toLowerCase() === lower);
  return profile
    ? directory.permissionSets.find((ps) => ps.IsOwnedByProfile && sameId(ps.ProfileId, profile.Id))
    : undefined;
}

/** The name a list shows for a permission set: the profile's name for a profile's own one. */
function listName(state: OrgState, ps: PermissionSetRow): { kind: Kind; name: string } {
  if (!ps.IsOwnedByProfile) return { kind: 'permissionSet', name: ps.Name };
  const profile = state.directory.profiles.find((p) => sameId(p.Id, ps.ProfileId));
  return { kind: 'profile', name: profile?.Name ?? ps.Name };
}

/** The app's grants, by kind, in the order they were made. */
export function grantedNames(state: OrgState, appName: string): Record<Kind, string[]> {
  const out: Record<Kind, string[]> = { profile: [], permissionSet: [] };
  const app = state.store.get(ExternalClientApplication.name, appName);
  if (!app) return out;
  for (const row of state.directory.setupEntityAccess) {
    if (!sameId(row.SetupEntityId, app.id)) continue;
    const ps = state.directory.permissionSets.find((p) => sameId(p.Id, row.ParentId));
    if (!ps) continue;
    const { kind, name } = listName(state, ps);
    out[kind].push(name);
  }
  return out;
}

/** A stored OAuth policies record with its lists written back from the rows (other records as they are). */
export function withGrants(state: OrgState, type: string, record: MdRecord): MdRecord {
  if (type !== ExtlClntAppOauthConfigurablePolicies.name) return record;
  const granted = grantedNames(state, String(record.externalClientApplication ?? ''));
  const lists: MdRecord = {};
  for (const kind of KINDS) if (granted[kind].length > 0) lists[LIST_FIELD[kind]] = granted[kind].join(', ');
  return { ...record, ...lists };
}

/** A record without the two lists (what the store keeps). */
export function withoutGrants(record: MdRecord): MdRecord {
  const rest = { ...record };
  delete rest.commaSeparatedProfile;
  delete rest.commaSeparatedPermissionSet;
  return rest;
}

/** The names of a record's lists that match no profile / no permission set (ids are no names: docs/salesforce.md §1.6). */
export function unknownNames(state: OrgState, record: MdRecord): Record<Kind, string[]> {
  const out: Record<Kind, string[]> = { profile: [], permissionSet: [] };
  for (const kind of KINDS) {
    out[kind] = splitList(record[LIST_FIELD[kind]]).filter((name) => !permissionSetFor(state, kind, name));
  }
  return out;
}

/** Under additive lists, a name the app already has fails (texts per the public report; status code guessed). */
export function alreadyGrantedProblem(state: OrgState, record: MdRecord): Problem | undefined {
  if (!state.readings.additiveAccessLists) return undefined;
  const granted = grantedNames(state, String(record.externalClientApplication ?? ''));
  for (const kind of KINDS) {
    const have = new Set(granted[kind].map((n) => n.toLowerCase()));
    const taken = splitList(record[LIST_FIELD[kind]]).filter((n) => have.has(n.toLowerCase()));
    if (taken.length === 0) continue;
    const what = kind === 'profile' ? 'profile' : 'permission set';
    return {
      problem: `In field: ${LIST_FIELD[kind]} - ${what} names are already taken: ${taken.join(', ')}`,
      statusCode: 'DUPLICATE_VALUE',
      fields: [LIST_FIELD[kind]],
    };
  }
  return undefined;
}

/**
 * Makes the app's rows match a written OAuth policies record (see the top of this file); with `dryRun` only tells.
 * Returns whether the grants change. Names that match nothing were refused by validation before.
 */
export function applyGrants(state: OrgState, record: MdRecord, options: { dryRun: boolean }): boolean {
  const app = state.store.get(ExternalClientApplication.name, String(record.externalClientApplication ?? ''));
  if (!app) return false;
  const { directory } = state;
  const rows = directory.setupEntityAccess.filter((r) => sameId(r.SetupEntityId, app.id));
  let changed = false;
  for (const kind of KINDS) {
    const wanted = splitList(record[LIST_FIELD[kind]])
      .map((name) => permissionSetFor(state, kind, name))
      .filter((ps): ps is PermissionSetRow => ps !== undefined);
    const ofKind = rows.filter((r) => {
      const ps = directory.permissionSets.find((p) => sameId(p.Id, r.ParentId));
      return ps !== undefined && listName(state, ps).kind === kind;
    });
    const stale = state.readings.additiveAccessLists
      ? []
      : ofKind.filter((r) => !wanted.some((ps) => sameId(ps.Id, r.ParentId)));
    const missing = wanted.filter(
      (ps, i) => !ofKind.some((r) => sameId(r.ParentId, ps.Id)) && wanted.indexOf(ps) === i,
    );
    if (stale.length === 0 && missing.length === 0) continue;
    changed = true;
    if (options.dryRun) continue;
    directory.revokeAccess((r) => stale.includes(r));
    for (const ps of missing) {
      directory.grantAccess({
        Id: state.ids.next(KeyPrefix.SetupEntityAccess),
        ParentId: ps.Id,
        SetupEntityId: app.id,
        SetupEntityType: ExternalClientApplication.name,
        CreatedDate: state.clock.nowIso(),
      });
    }
  }
  return changed;
}
