/**
 * OAuth scopes of an app's OAuth settings (`ExtlClntAppOauthSettings.commaSeparatedOauthScopes`): the names an org
 * accepts and how it stores them.
 *
 * - Valid names: the list real orgs give when they refuse an unknown scope, in the order they give it (public notes
 * of deploys to real orgs [3P]; docs/salesforce.md §1.3 lists the same vocabulary minus `CDP` and
 * `DataCloudUserClaims`). The wording around the list is not documented [?].
 * - Stored form: scopes that another scope covers are folded into it, Profile/Email/Address/Phone into Basic and
 * OfflineAccess into RefreshToken. docs/salesforce.md §4 documents this for Connected App retrieves; the emulator
 * assumes External Client Apps store scopes the same way [?].
 */
import type { Problem } from './recordXml.js';

export const VALID_SCOPES: readonly string[] = [
  'Basic',
  'OfflineAccess',
  'DataCloudUserClaims',
  'Email',
  'Address',
  'CDPSegment',
  'Chatbot',
  'CustomApplications',
  'Full',
  'Profile',
  'CDP',
  'CDPProfile',
  'RefreshToken',
  'Phone',
  'PwdlessLogin',
  'Interaction',
  'Pardot',
  'CDPIngest',
  'CDPIdentityResolution',
  'CustomPermissions',
  'ForgotPassword',
  'UserRegistration',
  'OpenID',
  'Chatter',
  'Wave',
  'SFApiPlatform',
  'SCRT',
  'Web',
  'EinsteinGPT',
  'Lightning',
  'Content',
  'CDPCalculatedInsight',
  'Eclair',
  'Api',
  'MCP',
  'CDPQuery',
];

/** Scopes the org stores as the scope that covers them. */
export const SCOPE_ALIASES: Readonly<Record<string, string>> = {
  Profile: 'Basic',
  Email: 'Basic',
  Address: 'Basic',
  Phone: 'Basic',
  OfflineAccess: 'RefreshToken',
};

export function splitScopes(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The scope names of a list that the org does not know (names are case-sensitive, like enum values). */
export function scopeProblem(value: string): Problem | undefined {
  const unknown = splitScopes(value).filter((scope) => !VALID_SCOPES.includes(scope));
  if (unknown.length === 0) return undefined;
  return {
    problem: `In field: commaSeparatedOauthScopes - invalid OAuth scope: ${unknown.join(', ')}. Valid values are: ${VALID_SCOPES.join(', ')}`,
    statusCode: 'FIELD_INTEGRITY_EXCEPTION',
    fields: ['commaSeparatedOauthScopes'],
  };
}

/**
 * The scope list as the org stores it: aliases folded into their scope, each scope once, in the order given. A list
 * with nothing to fold is stored as sent.
 */
export function foldScopes(value: string): string {
  const given = splitScopes(value);
  const folded = [...new Set(given.map((scope) => SCOPE_ALIASES[scope] ?? scope))];
  const unchanged = folded.length === given.length && folded.every((scope, index) => scope === given[index]);
  return unchanged ? value : folded.join(', ');
}
