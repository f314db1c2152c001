/*
 * The running user's permissions that Inven's guide lists ("Required role"), each tied to the steps it is needed
 * for [D H-CAINST, KB-UNINST]:
 * - Approve Uninstalled Connected Apps: the first login to the vendor, while the app is not installed;
 * - Manage Users: to see Connected Apps OAuth Usage (with View Setup), where Install is;
 * - Manage Connected Apps: to install the app and edit its policies;
 * - Customize Application, Modify All Data, Manage Profiles and Permission Sets: to pre-authorize profiles and
 *   permission sets.
 * A missing permission fails a check only when a step it is needed for is still to do; otherwise it is a warning.
 */
import { Messages, type Connection, type SfError } from '@salesforce/core';
import { isSessionError } from '../shared/errors.js';
import { userPermissions } from '../shared/permissions.js';
import type { Check } from '../shared/checks.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@rensystems/plugin-ren', 'connectedApp');

export type GuideStep = 'firstLogin' | 'install' | 'policies' | 'preauthorize';
export type GuidePermission = { field: string; label: string; steps: GuideStep[] };

export const GUIDE_PERMISSIONS: readonly GuidePermission[] = [
  { field: 'PermissionsCanApproveUninstalledApps', label: 'Approve Uninstalled Connected Apps', steps: ['firstLogin'] },
  { field: 'PermissionsManageUsers', label: 'Manage Users', steps: ['install'] },
  { field: 'PermissionsManageRemoteAccess', label: 'Manage Connected Apps', steps: ['install', 'policies'] },
  { field: 'PermissionsCustomizeApplication', label: 'Customize Application', steps: ['preauthorize'] },
  { field: 'PermissionsModifyAllData', label: 'Modify All Data', steps: ['preauthorize'] },
  {
    field: 'PermissionsManageProfilesPermissionsets',
    label: 'Manage Profiles and Permission Sets',
    steps: ['preauthorize'],
  },
];

/** The guide's permissions the user has; undefined when the org would not say (the checks then warn). */
export async function readGuidePermissions(conn: Connection): Promise<{ granted?: Set<string>; problem?: string }> {
  try {
    return {
      granted: await userPermissions(
        conn,
        GUIDE_PERMISSIONS.map((p) => p.field),
      ),
    };
  } catch (error) {
    if (isSessionError(error)) throw error;
    return { problem: error instanceof Error ? error.message : String(error) };
  }
}

const display = (p: GuidePermission): string => `${p.label} (${p.field.replace(/^Permissions/, '')})`;

/**
 * One check per permission. Pre-authorization permissions are listed only when the guide pre-authorizes someone
 * (`withPreauthorize`). `outstanding` are the steps still to do: a missing permission they need fails.
 */
export function permissionChecks(
  read: { granted?: Set<string>; problem?: string },
  outstanding: Set<GuideStep>,
  withPreauthorize: boolean,
): Check[] {
  return GUIDE_PERMISSIONS.filter((p) => withPreauthorize || !p.steps.includes('preauthorize')).map((p) => {
    const name = messages.getMessage('check.permission', [display(p)]);
    const expected = messages.getMessage('expected.granted');
    const fix = messages.getMessage('fix.permission', [p.label]);
    if (!read.granted)
      return {
        name,
        status: 'warn',
        expected,
        actual: messages.getMessage('actual.unreadable', [read.problem ?? '']),
        fix,
      };
    if (read.granted.has(p.field))
      return { name, status: 'pass', expected, actual: messages.getMessage('actual.granted') };
    const needed = p.steps.filter((s) => outstanding.has(s));
    const actual =
      needed.length > 0
        ? messages.getMessage('actual.missingNeeded', [
            needed.map((s) => messages.getMessage(`step.name.${s}`)).join(', '),
          ])
        : messages.getMessage('actual.missing');
    return { name, status: needed.length > 0 ? 'fail' : 'warn', expected, actual, fix };
  });
}

/** Refuses to start when the user lacks a permission a step still to do needs; names every missing one. */
export function permissionError(
  read: { granted?: Set<string> },
  outstanding: Set<GuideStep>,
  username: string,
): SfError | undefined {
  if (!read.granted) return undefined;
  const missing = GUIDE_PERMISSIONS.filter(
    (p) => !read.granted!.has(p.field) && p.steps.some((s) => outstanding.has(s)),
  );
  if (missing.length === 0) return undefined;
  const lines = missing.map(
    (p) =>
      `  - ${display(p)}: ${p.steps
        .filter((s) => outstanding.has(s))
        .map((s) => messages.getMessage(`step.name.${s}`))
        .join(', ')}`,
  );
  const error = messages.createError('error.RenConnectedAppPermission', [username, lines.join('\n')]);
  error.setData({ missing: missing.map((p) => p.field) });
  return error;
}
