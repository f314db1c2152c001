import { expect } from 'chai';
import { mergeDefinition } from '../../../src/eca/definition.js';
import type { ExistingApp } from '../../../src/eca/orgApp.js';
import { planApp } from '../../../src/eca/plan.js';
import { componentXml, normalizeRecord, type ComponentKind } from '../../../src/eca/components.js';

/** The org's state after a successful first deploy of `def`, as readMetadata would return it (all text). */
function orgAfterDeploy(
  def = mergeDefinition(),
  extra: Partial<Record<ComponentKind, Record<string, string>>> = {},
): ExistingApp {
  const plan = planApp(def, { children: {} });
  const asText = (record: Record<string, unknown>): Record<string, string> =>
    Object.fromEntries(Object.entries(record).map(([k, v]) => [k, String(v)]));
  const existing: ExistingApp = { children: {} };
  for (const component of plan.components) {
    const raw = { fullName: component.fullName, ...asText(component.record), ...(extra[component.kind] ?? {}) };
    const read = {
      ...component,
      id: component.kind === 'app' ? '0xI000000000001AAA' : undefined,
      record: normalizeRecord(component.kind, raw),
    };
    if (component.kind === 'app') existing.app = read;
    else existing.children[component.kind as Exclude<ComponentKind, 'app'>] = read;
  }
  return existing;
}

describe('plan: created / updated / unchanged', () => {
  it('creates all five components in an org without the app', () => {
    const plan = planApp(mergeDefinition(), { children: {} });
    expect(plan.status).to.equal('created');
    expect(plan.toDeploy).to.have.length(5);
    expect(plan.changes.find((c) => c.field === 'callbackUrl')).to.deep.include({
      type: 'ExtlClntAppGlobalOauthSettings',
      before: undefined,
      after: 'https://app.rensystems.com/api/salesforce/auth_callback',
    });
  });

  it('is unchanged when the org already matches, and deploys nothing', () => {
    const plan = planApp(mergeDefinition(), orgAfterDeploy());
    expect(plan.status).to.equal('unchanged');
    expect(plan.toDeploy).to.deep.equal([]);
    expect(plan.changes).to.deep.equal([]);
  });

  it('ignores generated fields, rotation switches and scope order', () => {
    const existing = orgAfterDeploy(mergeDefinition(), {
      app: { orgScopedExternalApp: '00D000000000001:ren' },
      globalOauth: { consumerKey: '3MVG9abc', shouldRotateConsumerSecret: 'false' },
      oauthSettings: { commaSeparatedOauthScopes: 'RefreshToken,Api, Basic', oauthLink: 'https://x' },
    });
    expect(planApp(mergeDefinition(), existing).status).to.equal('unchanged');
  });

  it('updates only the component that differs and names the changed fields', () => {
    const plan = planApp(
      mergeDefinition({ callbackUrl: 'https://app.rensystems.com/cb2', infoUrl: 'https://rensystems.com/sync' }),
      orgAfterDeploy(),
    );
    expect(plan.status).to.equal('updated');
    expect(plan.toDeploy.map((c) => c.type)).to.deep.equal([
      'ExternalClientApplication',
      'ExtlClntAppGlobalOauthSettings',
    ]);
    expect(plan.changes).to.deep.equal([
      {
        type: 'ExternalClientApplication',
        fullName: 'ren',
        field: 'infoUrl',
        before: 'https://rensystems.com',
        after: 'https://rensystems.com/sync',
      },
      {
        type: 'ExtlClntAppGlobalOauthSettings',
        fullName: 'ren_glbloauth',
        field: 'callbackUrl',
        before: 'https://app.rensystems.com/api/salesforce/auth_callback',
        after: 'https://app.rensystems.com/cb2',
      },
    ]);
  });

  it('reuses the names and labels of children the org generated and keeps fields it does not manage', () => {
    const existing = orgAfterDeploy();
    const policy = existing.children.oauthPolicies!;
    existing.children.oauthPolicies = {
      ...policy,
      fullName: 'ren_oauth_defaultPolicy',
      record: {
        ...policy.record,
        label: 'Default policy',
        refreshTokenPolicyType: 'Zero',
        sessionTimeoutInMinutes: 30,
      },
    };
    const plan = planApp(mergeDefinition(), existing);
    expect(plan.toDeploy).to.have.length(1);
    expect(plan.toDeploy[0]).to.deep.include({ fullName: 'ren_oauth_defaultPolicy' });
    expect(plan.toDeploy[0].record).to.include({
      label: 'Default policy',
      refreshTokenPolicyType: 'Infinite',
      sessionTimeoutInMinutes: 30,
    });
  });

  it('adds profiles and permission sets to the ones already pre-authorized', () => {
    const existing = orgAfterDeploy(mergeDefinition({ profiles: ['Sales'] }));
    const added = planApp(mergeDefinition({ profiles: ['Support'], permissionSets: ['Ren_Users'] }), existing);
    expect(added.toDeploy[0].record).to.include({
      commaSeparatedProfile: 'Sales, Support',
      commaSeparatedPermissionSet: 'Ren_Users',
    });
    expect(planApp(mergeDefinition(), existing).status).to.equal('unchanged');
    expect(planApp(mergeDefinition({ profiles: ['Sales'] }), existing).status).to.equal('unchanged');
    const replaced = planApp(mergeDefinition({ profiles: ['Support'] }), existing, { preauthorization: 'replace' });
    expect(replaced.toDeploy[0].record).to.include({ commaSeparatedProfile: 'Support' });
  });

  it('drops a stale validity period when the policy goes back to valid-until-revoked', () => {
    const def = mergeDefinition({
      refreshTokenPolicy: 'SpecificLifetime',
      refreshTokenValidityPeriod: 4,
      refreshTokenValidityUnit: 'Hours',
    });
    const plan = planApp(mergeDefinition(), orgAfterDeploy(def));
    expect(plan.toDeploy[0].record).not.to.have.property('refreshTokenValidityPeriod');
    expect(plan.changes.map((c) => c.field)).to.deep.equal([
      'refreshTokenPolicyType',
      'refreshTokenValidityPeriod',
      'refreshTokenValidityUnit',
    ]);
  });

  it('creates a missing child of an existing app and reports the app as updated', () => {
    const existing = orgAfterDeploy();
    delete existing.children.policies;
    const plan = planApp(mergeDefinition(), existing);
    expect(plan.status).to.equal('updated');
    expect(plan.toDeploy.map((c) => c.fullName)).to.deep.equal(['ren_plcy']);
  });

  it('treats an app that differs only by API name case as the same app', () => {
    const plan = planApp(mergeDefinition({ apiName: 'REN' }), orgAfterDeploy());
    expect(plan.status).to.equal('unchanged');
  });
});

describe('plan: values as the org returns and stores them', () => {
  it('compares scope aliases the way the org stores them, so a re-run stays unchanged', () => {
    const def = mergeDefinition({ scopes: ['Profile', 'Email', 'Api', 'OfflineAccess'] });
    // The org folds profile/email into Basic and offline_access into RefreshToken.
    const existing = orgAfterDeploy(def, { oauthSettings: { commaSeparatedOauthScopes: 'Basic, Api, RefreshToken' } });
    expect(planApp(def, existing).status).to.equal('unchanged');
    // A scope that is really new is still a change.
    const wider = mergeDefinition({ scopes: ['Profile', 'Api', 'OfflineAccess', 'Web'] });
    expect(planApp(wider, existing).changes.map((c) => c.field)).to.deep.equal(['commaSeparatedOauthScopes']);
  });

  it('never writes an empty (xsi:nil) value back as an element', () => {
    const existing = orgAfterDeploy();
    const raw = {
      fullName: 'ren_glbloauth',
      singleLogoutUrl: { $: { 'xsi:nil': 'true' } },
      idTokenConfig: { $: { 'xsi:nil': 'true' } },
    };
    existing.children.globalOauth!.record = {
      ...existing.children.globalOauth!.record,
      ...normalizeRecord('globalOauth', raw),
    };
    expect(existing.children.globalOauth!.record).not.to.have.any.keys('singleLogoutUrl', 'idTokenConfig');
    const plan = planApp(mergeDefinition({ callbackUrl: 'https://app.rensystems.com/cb2' }), existing);
    const global = plan.toDeploy.find((c) => c.kind === 'globalOauth')!;
    expect(componentXml(global)).not.to.match(/singleLogoutUrl|idTokenConfig/);
  });

  it("keeps fields it does not manage, unknown ones included, in the org's order and values", () => {
    const existing = orgAfterDeploy();
    // As a v67 retrieve returns them: fields the reference does not list, in the org's own order.
    existing.children.globalOauth!.record = {
      isDPopEnabled: false,
      callbackUrl: 'https://app.rensystems.com/api/salesforce/auth_callback',
      externalClientApplication: 'ren',
      isEnforceRefreshTokenTTL: true,
      isCodeCredFlowEnabled: true,
      isConsumerSecretOptional: false,
      label: 'ren_glbloauth',
    };
    const plan = planApp(mergeDefinition(), existing);
    const global = plan.components.find((c) => c.kind === 'globalOauth')!;
    expect(Object.keys(global.record)).to.deep.equal([
      'isDPopEnabled',
      'callbackUrl',
      'externalClientApplication',
      'isEnforceRefreshTokenTTL',
      'isCodeCredFlowEnabled',
      'isConsumerSecretOptional',
      // Fields the org lacked go where alphabetical order puts them.
      'isPkceRequired',
      'isSecretRequiredForRefreshToken',
      'label',
      'shouldRotateConsumerKey',
      'shouldRotateConsumerSecret',
    ]);
    expect(global.record).to.include({ isDPopEnabled: false, isEnforceRefreshTokenTTL: true });
    expect(plan.changes.map((c) => c.field)).to.deep.equal(['isPkceRequired', 'isSecretRequiredForRefreshToken']);
  });
});
