/**
 * Guesses the emulator makes on docs/salesforce.md's open questions (§9) that no other test encodes (the list, with the
 * evidence and the test for each, is in test/emulator/README.md). A real-org run that disagrees shows which guess
 * was wrong.
 */
import { expect } from 'chai';
import type { OrgSeed } from '../index.js';
import { deploy, failures } from './deployHelpers.js';
import { renPackage } from './fixtures.js';
import { connect, metadataCrud, useEmulator } from './helpers.js';

describe('emulator: open questions (guesses)', () => {
  const env = useEmulator();
  beforeEach(() => env.emulator.reset());

  it('Q6 (reading viewClientSecretToDeployGlobalOauth): global OAuth settings need View Client Secret to deploy, unless the reading says no', async () => {
    const builder = (readings: OrgSeed['readings']): OrgSeed => ({
      readings,
      permissionSets: [
        {
          Name: 'Eca_Builder',
          permissions: {
            PermissionsApiEnabled: true,
            PermissionsModifyMetadata: true,
            PermissionsExternalClientAppDeveloper: true,
            PermissionsExternalClientAppAdmin: true,
          },
        },
      ],
      users: [
        {
          Username: 'builder@example.com',
          LastName: 'Builder',
          profile: 'Standard User',
          permissionSets: ['Eca_Builder'],
        },
      ],
    });
    const files = renPackage({ oauthPolicies: { commaSeparatedProfile: undefined } });
    // Default (true): the doc's "Special Access Rules" (MD-GOS): only the global OAuth settings fail.
    env.emulator.reset(builder(undefined));
    const refused = await deploy(await connect(env.emulator), files);
    expect(refused.status).to.equal('Failed');
    expect(failures(refused).map((f) => [f.componentType, f.problem])).to.deep.equal([
      [
        'ExtlClntAppGlobalOauthSettings',
        'Insufficient access rights: the "View External Client App Consumer Secrets in Metadata" user permission is required to change ExtlClntAppGlobalOauthSettings components.',
      ],
    ]);
    env.emulator.reset(builder({ viewClientSecretToDeployGlobalOauth: false }));
    const result = await deploy(await connect(env.emulator), files);
    expect(result.status, JSON.stringify(failures(result))).to.equal('Succeeded');
  });

  it('Q8: the "Opt in to External Client Apps" gate is not modeled (enableExternalClientApps=false blocks nothing)', async () => {
    env.emulator.reset({ settings: { ExternalClientAppSettings: { enableExternalClientApps: false } } });
    expect((await deploy(env.conn, renPackage())).status).to.equal('Succeeded');
  });

  it('Q9: element order does not matter; an element is refused only when its type or version does not have it', async () => {
    const shuffled = renPackage();
    const path = 'externalClientApps/ren.eca';
    const lines = shuffled[path].split('\n');
    const body = lines.slice(2, -2).reverse();
    shuffled[path] = [...lines.slice(0, 2), ...body, ...lines.slice(-2)].join('\n');
    expect(shuffled[path].indexOf('<logoUrl>')).to.be.lessThan(shuffled[path].indexOf('<contactEmail>'));
    expect((await deploy(env.conn, shuffled)).status).to.equal('Succeeded');
  });

  it('Q10: an installed foreign app is a ConnectedApplication row only once installed; "valid until revoked" reads as no period', async () => {
    env.emulator.reset({ connectedApplications: [{ Name: 'Inven' }] });
    const rows = await env.conn.query<{ Name: string; RefreshTokenValidityPeriod: number | null }>(
      "SELECT Name, RefreshTokenValidityPeriod FROM ConnectedApplication WHERE Name IN ('Inven', 'NotInstalled')",
    );
    expect(rows.records.map((r) => [r.Name, r.RefreshTokenValidityPeriod])).to.deep.equal([['Inven', null]]);
  });

  it('Q12: userinfo carries urls.custom_domain, the My Domain URL', async () => {
    const info = await env.conn.request<{ urls: Record<string, string> }>('/services/oauth2/userinfo');
    expect(info.urls.custom_domain).to.equal(env.emulator.url);
  });

  it('Q13: fields a deploy leaves out stay unset (no implied defaults), except the generated policy records', async () => {
    const result = await deploy(
      env.conn,
      renPackage({ global: { isPkceRequired: undefined, isSecretRequiredForRefreshToken: undefined } }),
    );
    expect(result.status).to.equal('Succeeded');
    const read = await metadataCrud(env.conn).read('ExtlClntAppGlobalOauthSettings', 'ren_glbloauth');
    expect(read).to.not.have.property('isPkceRequired');
    expect(read).to.not.have.property('isSecretRequiredForRefreshToken');
  });
});
