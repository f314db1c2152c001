/*
 * The org-wide switch "Allow Authorization Code and Credentials Flows" (OauthOidcSettings.oAuthCdCrdtFlowEnable,
 * docs/salesforce.md §1.4), off by default in new orgs. Turned on only when the user asks
 * (--allow-code-credentials-flows), in the same deploy as the app and listed with its changes.
 * A Settings deploy changes only the fields it carries; every other OAuth setting of the org stays as it is.
 */
import type { SourceFile } from '../shared/deploy.js';
import { metadataXml } from './components.js';
import type { FieldChange } from './plan.js';

export const CODE_CREDENTIALS_SETTING = {
  type: 'OauthOidcSettings',
  fullName: 'OauthOidc',
  field: 'oAuthCdCrdtFlowEnable',
} as const;

/**
 * The settings file that turns the flow switch on, and the change it makes (`before` undefined: the org did not
 * say).
 */
export function allowCodeCredentialsFlows(before: boolean | undefined): { file: SourceFile; change: FieldChange } {
  const { type, fullName, field } = CODE_CREDENTIALS_SETTING;
  return {
    file: { path: `settings/${fullName}.settings-meta.xml`, content: metadataXml(type, { [field]: true }) },
    change: { type, fullName, field, before, after: true },
  };
}
