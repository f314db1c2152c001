/**
 * The policy records Salesforce generates for an External Client App that has none: an app made by hand in Setup, or
 * deployed without policy files, gets them with Salesforce's own names and defaults.
 *
 * - App policies (ExtlClntAppConfigurablePolicies) `<appName>_defaultPolicy`: app enabled, OAuth plugin on when the
 * app has OAuth settings, start page None.
 * - OAuth policies (ExtlClntAppOauthConfigurablePolicies) `<oauthSettingsName>_defaultPolicy`, for the app's OAuth
 * settings record: every user may self-authorize, refresh tokens valid for 365 days, IP restrictions enforced,
 * standard session level, client credentials / guest code-credentials / token exchange flows off.
 *
 * Evidence: Salesforce says the OAuth policies record "is generated when the external client app is deployed" [D
 * H-POL]; the `<oauthSettingsName>_defaultPolicy` name is seen in real orgs (docs/salesforce.md §1.10), and retrieves of
 * apps deployed without policies show both records named `…_defaultPolicy` with the values above [3P]. The app-policies
 * name `<appName>_defaultPolicy` follows what sfdx-hardis deploys to match the generated record [3P].
 *
 * When: after a whole transaction (a deploy, or one CRUD call) that wrote an app or one of its components, for what is
 * still missing then. So a deploy that carries policy files gets no generated ones (docs/salesforce.md §1.10: deploying
 * all five together works), and a later policy record under another name is a duplicate (validate.ts). Never on
 * checkOnly deploys.
 */
import type { OrgState } from '../org/state.js';
import type { MdRecord } from './store.js';
import {
  ExternalClientApplication,
  ExtlClntAppConfigurablePolicies,
  ExtlClntAppOauthConfigurablePolicies,
  ExtlClntAppOauthSettings,
} from './types.js';

export const DEFAULT_POLICY_SUFFIX = '_defaultPolicy';

/** What Salesforce stores in a generated OAuth policies record. */
export const DEFAULT_OAUTH_POLICIES: MdRecord = {
  ipRelaxationPolicyType: 'Enforce',
  isClientCredentialsFlowEnabled: false,
  isGuestCodeCredFlowEnabled: false,
  isTokenExchangeFlowEnabled: false,
  permittedUsersPolicyType: 'AllSelfAuthorized',
  refreshTokenPolicyType: 'SpecificLifetime',
  refreshTokenValidityPeriod: 365,
  refreshTokenValidityUnit: 'Days',
  requiredSessionLevel: 'STANDARD',
};

/**
 * Generates the policy records an app lacks (see the top of this file); returns the fullNames generated. Does nothing
 * for an app the org does not have.
 */
export function generateMissingPolicies(state: OrgState, appName: string, userId: string): string[] {
  const { store } = state;
  const app = store.get(ExternalClientApplication.name, appName);
  if (!app) return [];
  const generated: string[] = [];
  const put = (type: string, fullName: string, fields: MdRecord): void => {
    if (store.get(type, fullName)) return;
    store.put(type, fullName, { externalClientApplication: app.fullName, ...fields, label: fullName }, userId);
    generated.push(fullName);
  };
  const oauthSettings = store.childrenOfApp(ExtlClntAppOauthSettings.name, app.fullName)[0];
  if (store.childrenOfApp(ExtlClntAppConfigurablePolicies.name, app.fullName).length === 0) {
    put(ExtlClntAppConfigurablePolicies.name, app.fullName + DEFAULT_POLICY_SUFFIX, {
      isEnabled: true,
      isOauthPluginEnabled: oauthSettings !== undefined,
      startPage: 'None',
    });
  }
  if (oauthSettings && store.childrenOfApp(ExtlClntAppOauthConfigurablePolicies.name, app.fullName).length === 0) {
    put(
      ExtlClntAppOauthConfigurablePolicies.name,
      oauthSettings.fullName + DEFAULT_POLICY_SUFFIX,
      DEFAULT_OAUTH_POLICIES,
    );
  }
  return generated;
}

/** The app a component belongs to: itself for an app, its `externalClientApplication` for a child. */
export function appOf(type: string, fullName: string, record: MdRecord): string | undefined {
  if (type === ExternalClientApplication.name) return fullName;
  const parent = record.externalClientApplication;
  return typeof parent === 'string' ? parent : undefined;
}

/** Generates what each app the transaction wrote to still lacks. */
export function generateAfterTransaction(
  state: OrgState,
  written: Array<{ type: string; fullName: string; record: MdRecord }>,
  userId: string,
): void {
  const apps = new Set(
    written.map((c) => appOf(c.type, c.fullName, c.record)).filter((name): name is string => name !== undefined),
  );
  for (const app of apps) generateMissingPolicies(state, app, userId);
}
