/*
 * The Setup page of each check: the page an admin opens to see (and fix) what the check read, as a link into the
 * org's own Setup (its My Domain URL + the page's path). The paths are Lightning Setup's as seen in orgs and in
 * public code and guides (docs/salesforce/credentials-and-login.md, connected-apps.md); the connected-app pages are
 * connectedApp/policies.ts's, the secret setting's is credentials/secretSetting.ts's.
 */
import { Messages } from '@salesforce/core';
import { setupPages } from '../connectedApp/policies.js';
import { SECRET_SETTING_PAGE } from '../credentials/secretSetting.js';
import type { Check } from '../shared/checks.js';
import { reportMessages } from './messages.js';
import type { CheckGroup, ReportCheck, SetupLink } from './types.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const connectedAppMessages = Messages.loadMessages('@rensystems/plugin-ren', 'connectedApp');

/** The connected-app pages' paths, from the one place that builds their URLs. */
const vendorPages = setupPages('https://org.invalid');
const pathOf = (url: string): string => new URL(url).pathname;

export const SETUP_PATHS = {
  ecaManager: '/lightning/setup/ManageExternalClientApplication/home',
  oauthSettings: '/lightning/setup/OauthOidcSettings/home',
  ecaSettings: SECRET_SETTING_PAGE,
  users: '/lightning/setup/ManageUsers/home',
  company: '/lightning/setup/CompanyProfileInfo/home',
  myDomain: '/lightning/setup/OrgDomain/home',
  oauthUsage: pathOf(vendorPages.oauthUsage),
  manageApps: pathOf(vendorPages.manageApps),
} as const;

export type SetupPage = keyof typeof SETUP_PATHS;

/** A check placed in its group, with the key of its Setup page. */
export type PlacedCheck = Check & { group: CheckGroup; page: SetupPage };

export const place = (
  checks: Check[],
  group: CheckGroup,
  page: SetupPage | ((check: Check) => SetupPage),
): PlacedCheck[] => checks.map((check) => ({ ...check, group, page: typeof page === 'function' ? page(check) : page }));

/** The pages of a vendor connected app's checks: its lifecycle on the OAuth usage page, permissions on Users. */
export function connectedAppPage(check: Check): SetupPage {
  const lifecycle = ['check.used', 'check.installed', 'check.notBlocked'].map((key) =>
    connectedAppMessages.getMessage(key),
  );
  if (lifecycle.includes(check.name)) return 'oauthUsage';
  if (check.name.startsWith(connectedAppMessages.getMessage('check.permission', ['']))) return 'users';
  return 'manageApps';
}

/** The link of a page in the org whose login URL (My Domain) is `loginUrl`. */
export function setupLink(page: SetupPage, loginUrl?: string): SetupLink {
  const path = SETUP_PATHS[page];
  return {
    page: reportMessages.getMessage(`page.${page}`),
    path,
    ...(loginUrl ? { url: `${new URL(loginUrl).origin}${path}` } : {}),
  };
}

/** The checks as the report holds them: every check that is not a pass gets its Setup link. */
export function withSetupLinks(checks: PlacedCheck[], loginUrl?: string): ReportCheck[] {
  return checks.map(({ page, ...check }) =>
    check.status === 'pass' ? check : { ...check, setup: setupLink(page, loginUrl) },
  );
}
