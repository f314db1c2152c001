import { expect } from 'chai';
import { mergeDefinition } from '../../../src/eca/definition.js';
import { desiredRecords } from '../../../src/eca/components.js';
import type { ExistingApp } from '../../../src/eca/orgApp.js';
import { settingChecks } from '../../../src/status/appStatus.js';

/** Ren's app as the guide sets it up, as readExistingApp returns it; `change` edits one record. */
function orgApp(change: (records: ReturnType<typeof desiredRecords>) => void = () => {}): ExistingApp {
  const records = desiredRecords(mergeDefinition());
  change(records);
  const component = (kind: keyof typeof records, type: string, fullName: string) => ({
    kind,
    type,
    fullName,
    record: records[kind],
  });
  return {
    app: component('app', 'ExternalClientApplication', 'ren'),
    children: {
      oauthSettings: component('oauthSettings', 'ExtlClntAppOauthSettings', 'ren_oauth'),
      globalOauth: component('globalOauth', 'ExtlClntAppGlobalOauthSettings', 'ren_glbloauth'),
      policies: component('policies', 'ExtlClntAppConfigurablePolicies', 'ren_plcy'),
      oauthPolicies: component('oauthPolicies', 'ExtlClntAppOauthConfigurablePolicies', 'ren_oauthPlcy'),
    },
  };
}

describe("status: the guide's settings, one check each", () => {
  const FIX = 'sf ren app create --target-org acme';

  it('an app as the guide says passes every setting, with no fix', () => {
    const checks = settingChecks(mergeDefinition(), orgApp(), FIX);
    expect(checks.filter((c) => c.status !== 'pass')).to.deep.equal([]);
    expect(checks.every((c) => c.fix === undefined)).to.equal(true);
    expect(checks.map((c) => c.name))
      .to.include('App name (label)')
      .and.include('PKCE required (isPkceRequired)');
  });

  it('scopes compare as sets; a missing scope fails with expected, actual and the fix', () => {
    const reordered = settingChecks(
      mergeDefinition(),
      orgApp((r) => Object.assign(r.oauthSettings, { commaSeparatedOauthScopes: 'RefreshToken,Api,  Basic' })),
      FIX,
    );
    expect(reordered.find((c) => c.name.startsWith('OAuth scopes'))?.status).to.equal('pass');
    const missing = settingChecks(
      mergeDefinition(),
      orgApp((r) => Object.assign(r.oauthSettings, { commaSeparatedOauthScopes: 'Basic, Api' })),
      FIX,
    );
    expect(missing.find((c) => c.name.startsWith('OAuth scopes'))).to.deep.include({
      status: 'fail',
      expected: 'Basic, Api, RefreshToken',
      actual: 'Basic, Api',
      fix: FIX,
    });
  });

  it('a missing component fails each of its settings and names the component', () => {
    const app = orgApp();
    delete app.children.policies;
    const failed = settingChecks(mergeDefinition(), app, FIX).filter((c) => c.status === 'fail');
    expect(failed.map((c) => c.name)).to.deep.equal([
      'App enabled (isEnabled)',
      'OAuth plugin enabled (isOauthPluginEnabled)',
      'Start page (startPage)',
    ]);
    expect(failed[0].actual).to.include('ExtlClntAppConfigurablePolicies');
  });
});
