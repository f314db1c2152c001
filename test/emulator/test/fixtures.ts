/** The Ren package of docs/salesforce.md §1.9 (mdapi format), as editable file maps, and zip helpers. */
import JSZip from 'jszip';

const NS = 'http://soap.sforce.com/2006/04/metadata';

export type Files = Record<string, string>;

function doc(root: string, body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${NS}">\n${body}\n</${root}>\n`;
}

export const ECA = {
  contactEmail: 'support@rensystems.com',
  description: 'Sync Salesforce contacts to Ren',
  distributionState: 'Local',
  iconUrl: 'https://app.rensystems.com/images/ios-icon-512.png',
  infoUrl: 'https://rensystems.com',
  isProtected: 'false',
  label: 'Ren',
  logoUrl: 'https://app.rensystems.com/images/ios-icon-512.png',
};

export const OAUTH = {
  commaSeparatedOauthScopes: 'Basic, Api, RefreshToken',
  externalClientApplication: 'ren',
  label: 'ren_oauth',
};

export const GLOBAL_OAUTH = {
  callbackUrl: 'https://app.rensystems.com/api/salesforce/auth_callback',
  externalClientApplication: 'ren',
  isCodeCredFlowEnabled: 'true',
  isConsumerSecretOptional: 'false',
  isPkceRequired: 'true',
  isSecretRequiredForRefreshToken: 'true',
  label: 'ren_glbloauth',
  shouldRotateConsumerKey: 'false',
  shouldRotateConsumerSecret: 'false',
};

export const POLICIES = {
  externalClientApplication: 'ren',
  isEnabled: 'true',
  isOauthPluginEnabled: 'true',
  label: 'ren_plcy',
  startPage: 'None',
};

export const OAUTH_POLICIES = {
  commaSeparatedProfile: 'Sales',
  externalClientApplication: 'ren',
  ipRelaxationPolicyType: 'Enforce',
  label: 'ren_oauthPlcy',
  permittedUsersPolicyType: 'AdminApprovedPreAuthorized',
  refreshTokenPolicyType: 'Infinite',
};

/** Elements in the given order (a value of undefined drops the element). */
export function elements(fields: Record<string, string | undefined>): string {
  return Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `    <${k}>${v as string}</${k}>`)
    .join('\n');
}

export type RenOverrides = {
  eca?: Record<string, string | undefined>;
  oauth?: Record<string, string | undefined>;
  global?: Record<string, string | undefined>;
  policies?: Record<string, string | undefined>;
  oauthPolicies?: Record<string, string | undefined>;
  appName?: string;
  version?: string;
};

/** The five Ren components plus package.xml, keyed by mdapi path. */
export function renPackage(o: RenOverrides = {}): Files {
  const app = o.appName ?? 'ren';
  const parent = { externalClientApplication: app };
  return {
    'package.xml': packageXml(
      {
        ExternalClientApplication: [app],
        ExtlClntAppGlobalOauthSettings: [`${app}_glbloauth`],
        ExtlClntAppOauthSettings: [`${app}_oauth`],
        ExtlClntAppConfigurablePolicies: [`${app}_plcy`],
        ExtlClntAppOauthConfigurablePolicies: [`${app}_oauthPlcy`],
      },
      o.version ?? '64.0',
    ),
    [`externalClientApps/${app}.eca`]: doc('ExternalClientApplication', elements({ ...ECA, ...o.eca })),
    [`extlClntAppOauthSettings/${app}_oauth.ecaOauth`]: doc(
      'ExtlClntAppOauthSettings',
      elements({ ...OAUTH, ...parent, ...o.oauth }),
    ),
    [`extlClntAppGlobalOauthSets/${app}_glbloauth.ecaGlblOauth`]: doc(
      'ExtlClntAppGlobalOauthSettings',
      elements({ ...GLOBAL_OAUTH, ...parent, ...o.global }),
    ),
    [`extlClntAppPolicies/${app}_plcy.ecaPlcy`]: doc(
      'ExtlClntAppConfigurablePolicies',
      elements({ ...POLICIES, ...parent, ...o.policies }),
    ),
    [`extlClntAppOauthPolicies/${app}_oauthPlcy.ecaOauthPlcy`]: doc(
      'ExtlClntAppOauthConfigurablePolicies',
      elements({ ...OAUTH_POLICIES, ...parent, ...o.oauthPolicies }),
    ),
  };
}

/**
 * The Ren package as a client redeploys it to an org that has it already: without the profile the first deploy granted.
 * Under additive access lists (the default reading) re-sending a granted name fails; a list sends only new names.
 */
export function renRedeploy(o: RenOverrides = {}): Files {
  return renPackage({ ...o, oauthPolicies: { commaSeparatedProfile: undefined, ...o.oauthPolicies } });
}

export function packageXml(types: Record<string, string[]>, version = '64.0'): string {
  const body = Object.entries(types)
    .map(
      ([name, members]) =>
        `    <types>\n${members.map((m) => `        <members>${m}</members>`).join('\n')}\n        <name>${name}</name>\n    </types>`,
    )
    .join('\n');
  return doc('Package', `${body}\n    <version>${version}</version>`);
}

export function settingsFile(
  type: 'OauthOidcSettings' | 'ExternalClientAppSettings',
  fields: Record<string, string>,
): string {
  return doc(type, elements(fields));
}

/** Zips files, optionally under a folder (`unpackaged/`). */
export async function zip(files: Files, folder = ''): Promise<Buffer> {
  const z = new JSZip();
  for (const [path, content] of Object.entries(files)) z.file(folder + path, content);
  return z.generateAsync({ type: 'nodebuffer' });
}
