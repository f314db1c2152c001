/**
 * Deploys under each reading (real-org-evidence.md items 2, 5, 6, 8, 9): the org flow switch in the same deploy as
 * the app and the editions that have the flow, additive access lists kept as SetupEntityAccess rows, global OAuth
 * settings redeployed without the key, deleting an app with or without its children, and rotation permission.
 * Item 3 (View Client Secret to deploy global OAuth settings) is open-questions.test.ts "Q6".
 */
import { expect } from 'chai';
import type { OrgSeed, Readings } from '../index.js';
import { deploy, ecaComponentCount, failures } from './deployHelpers.js';
import { type Files, packageXml, renPackage, renRedeploy, settingsFile } from './fixtures.js';
import { metadataCrud, useEmulator } from './helpers.js';

const REN_TYPES = {
  ExternalClientApplication: ['ren'],
  ExtlClntAppGlobalOauthSettings: ['ren_glbloauth'],
  ExtlClntAppOauthSettings: ['ren_oauth'],
  ExtlClntAppConfigurablePolicies: ['ren_plcy'],
  ExtlClntAppOauthConfigurablePolicies: ['ren_oauthPlcy'],
};

/** The Ren package with OauthOidcSettings turning the Code-and-Credentials flow on, in one deploy. */
function renWithFlowSwitch(): Files {
  return {
    ...renPackage(),
    'package.xml': packageXml({ ...REN_TYPES, Settings: ['OauthOidc'] }),
    'settings/OauthOidc.settings': settingsFile('OauthOidcSettings', { oAuthCdCrdtFlowEnable: 'true' }),
  };
}

const destructive = (types: Record<string, string[]>): Files => ({
  'package.xml': packageXml({}),
  'destructiveChanges.xml': packageXml(types),
});

describe('emulator: deploys under each reading', () => {
  const env = useEmulator();
  const flowOff: OrgSeed['settings'] = { OauthOidcSettings: { oAuthCdCrdtFlowEnable: false } };
  const reset = (readings: Partial<Readings>, seed: OrgSeed = {}): void => env.emulator.reset({ ...seed, readings });
  const problems = async (files: Files, options = {}): Promise<string[]> =>
    failures(await deploy(env.conn, files, options)).map((f) => `${f.fullName}: ${f.problem ?? ''}`);
  const policies = (): Promise<Record<string, unknown>> =>
    metadataCrud(env.conn).read('ExtlClntAppOauthConfigurablePolicies', 'ren_oauthPlcy');

  describe('flowSwitchSameDeploy and editions (item 2)', () => {
    it("'applies-first' (default): the org switch and the app that needs it deploy together", async () => {
      reset({}, { settings: flowOff });
      expect(await problems(renWithFlowSwitch())).to.deep.equal([]);
      expect(env.emulator.org.settings.OauthOidcSettings.oAuthCdCrdtFlowEnable).to.equal(true);
    });

    it("'validates-first': the app fails in that deploy (nothing applies); the switch deployed alone first works", async () => {
      reset({ flowSwitchSameDeploy: 'validates-first' }, { settings: flowOff });
      expect(await problems(renWithFlowSwitch())).to.deep.equal([
        "ren_glbloauth: Your org doesn't allow the Authorization Code and Credentials Flow. Turn on Allow Authorization Code and Credentials Flows in OAuth and OpenID Connect Settings (OauthOidcSettings.oAuthCdCrdtFlowEnable) and try again.",
      ]);
      expect(env.emulator.org.settings.OauthOidcSettings.oAuthCdCrdtFlowEnable).to.equal(false);
      const settingsOnly = {
        'package.xml': packageXml({ Settings: ['OauthOidc'] }),
        'settings/OauthOidc.settings': settingsFile('OauthOidcSettings', { oAuthCdCrdtFlowEnable: 'true' }),
      };
      expect(await problems(settingsOnly)).to.deep.equal([]);
      expect(await problems(renPackage())).to.deep.equal([]);
    });

    it('Professional and Group Edition refuse the flow switch and an app that turns the flow on; Enterprise accepts both', async () => {
      for (const edition of ['Professional Edition', 'Group Edition']) {
        reset({}, { organization: { OrganizationType: edition } });
        expect(env.emulator.org.settings.OauthOidcSettings.oAuthCdCrdtFlowEnable).to.equal(false);
        const text = `The Authorization Code and Credentials Flow isn't available in ${edition} orgs. It's available in Enterprise, Unlimited, and Developer Editions.`;
        expect(await problems(renWithFlowSwitch())).to.have.members([`OauthOidc: ${text}`, `ren_glbloauth: ${text}`]);
        const saved = await metadataCrud(env.conn).update('OauthOidcSettings', {
          fullName: 'OauthOidc',
          oAuthCdCrdtFlowEnable: true,
        });
        expect(saved.success).to.equal(false);
        expect(await problems(renPackage({ global: { isCodeCredFlowEnabled: 'false' } }))).to.deep.equal([]);
      }
      reset({}, { organization: { OrganizationType: 'Enterprise Edition' }, settings: flowOff });
      expect(await problems(renWithFlowSwitch())).to.deep.equal([]);
    });
  });

  describe('additiveAccessLists (item 5)', () => {
    it('true (default): a granted name re-sent fails, new names add, names not sent stay; a SetupEntityAccess delete removes one', async () => {
      reset({});
      await deploy(env.conn, renPackage({ oauthPolicies: { commaSeparatedPermissionSet: 'Ren_Users' } }));
      expect(
        await problems(renPackage({ oauthPolicies: { commaSeparatedProfile: 'Read Only, Sales' } })),
      ).to.deep.equal(['ren_oauthPlcy: In field: commaSeparatedProfile - profile names are already taken: Sales']);
      expect(
        await problems(renRedeploy({ oauthPolicies: { commaSeparatedPermissionSet: 'Ren_Users' } })),
      ).to.deep.equal([
        'ren_oauthPlcy: In field: commaSeparatedPermissionSet - permission set names are already taken: Ren_Users',
      ]);
      expect(await problems(renRedeploy({ oauthPolicies: { commaSeparatedProfile: 'Read Only' } }))).to.deep.equal([]);
      expect(await policies()).to.include({
        commaSeparatedProfile: 'Sales, Read Only',
        commaSeparatedPermissionSet: 'Ren_Users',
      });
      // The grants are SetupEntityAccess rows: deleting the Sales one takes Sales off the list.
      const appId = env.emulator.org.getComponent('ExternalClientApplication', 'ren')!.id;
      const rows = await env.conn.query<{ Id: string; Parent: { Profile: { Name: string } | null; Name: string } }>(
        `SELECT Id, Parent.Name, Parent.Profile.Name FROM SetupEntityAccess WHERE SetupEntityId = '${appId}'`,
      );
      expect(rows.records.map((r) => r.Parent.Profile?.Name ?? r.Parent.Name)).to.deep.equal([
        'Sales',
        'Ren_Users',
        'Read Only',
      ]);
      await env.conn.sobject('SetupEntityAccess').destroy(rows.records[0].Id);
      expect(await policies()).to.include({ commaSeparatedProfile: 'Read Only' });
      expect(await problems(renRedeploy({ oauthPolicies: { commaSeparatedProfile: 'Sales' } }))).to.deep.equal([]);
    });

    it('false: a deploy replaces each list; names not sent are revoked', async () => {
      reset({ additiveAccessLists: false });
      await deploy(env.conn, renPackage({ oauthPolicies: { commaSeparatedPermissionSet: 'Ren_Users' } }));
      expect(
        await problems(renPackage({ oauthPolicies: { commaSeparatedProfile: 'Read Only, Sales' } })),
      ).to.deep.equal([]);
      // (in the order the grants were made)
      expect(await policies()).to.include({ commaSeparatedProfile: 'Sales, Read Only' });
      expect(await policies()).to.not.have.property('commaSeparatedPermissionSet');
      await deploy(env.conn, renRedeploy());
      expect(await policies()).to.not.have.property('commaSeparatedProfile');
      expect(env.emulator.org.directory.setupEntityAccess).to.have.length(0);
    });
  });

  it('a seeded OAuth policies record naming an unknown profile is a seed error: a grant needs the profile', () => {
    const seed: OrgSeed = {
      metadata: {
        ExternalClientApplication: { ren: { label: 'Ren', contactEmail: 'a@example.com' } },
        ExtlClntAppOauthConfigurablePolicies: {
          ren_oauthPlcy: { externalClientApplication: 'ren', commaSeparatedProfile: 'Sales, Gone Profile' },
        },
      },
    };
    expect(() => env.emulator.reset(seed)).to.throw(/no profile or permission set named Gone Profile/);
  });

  describe('globalOauthWithoutKey (item 6)', () => {
    it("'keeps-key' (default): a redeploy without consumerKey keeps key and secret", async () => {
      reset({});
      await deploy(env.conn, renPackage());
      const { key, secret } = env.emulator.org.consumerForApp('ren')!;
      expect(await problems(renRedeploy({ eca: { description: 'Changed' } }))).to.deep.equal([]);
      expect(env.emulator.org.consumerForApp('ren')).to.include({ key, secret });
    });

    it("'new-key': a redeploy without consumerKey gets a new key and secret; one carrying the current key keeps it", async () => {
      reset({ globalOauthWithoutKey: 'new-key' });
      await deploy(env.conn, renPackage());
      const first = { ...env.emulator.org.consumerForApp('ren')! };
      expect(await problems(renRedeploy({ global: { consumerKey: first.key } }))).to.deep.equal([]);
      expect(env.emulator.org.consumerForApp('ren')).to.include({ key: first.key, secret: first.secret });
      expect(await problems(renRedeploy())).to.deep.equal([]);
      const now = env.emulator.org.consumerForApp('ren')!;
      expect(now.key).to.not.equal(first.key);
      expect(now.secret).to.not.equal(first.secret);
      const read = await metadataCrud(env.conn).read('ExtlClntAppGlobalOauthSettings', 'ren_glbloauth');
      expect(read.consumerKey).to.equal(now.key);
    });
  });

  describe('deleteNamingChildren and deleteParentCascades (item 8)', () => {
    const appAndChildren = { ...REN_TYPES };

    it("'ok' and cascade (defaults): naming the children too deletes everything; naming the app alone does as well", async () => {
      reset({});
      await deploy(env.conn, renPackage());
      expect(await problems(destructive(appAndChildren))).to.deep.equal([]);
      expect(ecaComponentCount(env.emulator)).to.equal(0);
      await deploy(env.conn, renPackage());
      expect(await problems(destructive({ ExternalClientApplication: ['ren'] }))).to.deep.equal([]);
      expect(ecaComponentCount(env.emulator)).to.equal(0);
      expect(env.emulator.org.consumerForApp('ren')).to.equal(undefined);
    });

    it("'fails': a destructive manifest naming the children as well as the app fails them; the app alone works", async () => {
      reset({ deleteNamingChildren: 'fails' });
      await deploy(env.conn, renPackage());
      const named = await problems(destructive(appAndChildren));
      expect(named).to.have.length(4);
      expect(named).to.include(
        'ren_oauth: Unable to delete ExtlClntAppOauthSettings ren_oauth: the ExternalClientApplication ren it belongs to is deleted in the same deployment. Delete the ExternalClientApplication alone.',
      );
      expect(ecaComponentCount(env.emulator)).to.equal(5);
      expect(await problems(destructive({ ExternalClientApplication: ['ren'] }))).to.deep.equal([]);
      expect(ecaComponentCount(env.emulator)).to.equal(0);
    });

    it('cascade false: deleting the app leaves its children, listed and readable as orphans', async () => {
      reset({ deleteParentCascades: false });
      await deploy(env.conn, renPackage());
      expect(await problems(destructive({ ExternalClientApplication: ['ren'] }))).to.deep.equal([]);
      expect(ecaComponentCount(env.emulator)).to.equal(4);
      const listed = await env.conn.metadata.list([{ type: 'ExtlClntAppOauthSettings' }]);
      expect([listed].flat().map((p) => p.fullName)).to.deep.equal(['ren_oauth']);
      const orphan = await metadataCrud(env.conn).read('ExtlClntAppGlobalOauthSettings', 'ren_glbloauth');
      expect(orphan).to.include({ externalClientApplication: 'ren' });
      expect(env.emulator.org.directory.setupEntityAccess).to.have.length(0);
      // With cascade and 'fails' at once, the children go first in their own deploy, then the app.
      reset({ deleteParentCascades: false, deleteNamingChildren: 'fails' });
      await deploy(env.conn, renPackage());
      const { ExternalClientApplication: app, ...children } = REN_TYPES;
      expect(await problems(destructive(children))).to.deep.equal([]);
      expect(await problems(destructive({ ExternalClientApplication: app }))).to.deep.equal([]);
      expect(ecaComponentCount(env.emulator)).to.equal(0);
    });
  });

  describe('rotationPermission in a deploy (item 9)', () => {
    const rotator: OrgSeed = {
      permissionSets: [
        {
          Name: 'Eca_Builder',
          permissions: {
            PermissionsApiEnabled: true,
            PermissionsModifyMetadata: true,
            PermissionsExternalClientAppDeveloper: true,
            PermissionsExternalClientAppAdmin: true,
            PermissionsViewClientSecret: true,
          },
        },
      ],
      users: [{ Username: 'b@example.com', LastName: 'B', profile: 'Standard User', permissionSets: ['Eca_Builder'] }],
    };
    const rotate = renRedeploy({
      oauthPolicies: { commaSeparatedProfile: undefined },
      global: { shouldRotateConsumerSecret: 'true' },
    });

    it('false (default): a user without "Allow consumer key and secret rotation" rotates by deploy', async () => {
      reset({}, rotator);
      await deploy(env.conn, renPackage({ oauthPolicies: { commaSeparatedProfile: undefined } }));
      expect(await problems(rotate, { ignoreWarnings: true })).to.deep.equal([]);
    });

    it('true: the rotating global OAuth settings fail with INSUFFICIENT_ACCESS', async () => {
      reset({ rotationPermission: true }, rotator);
      await deploy(env.conn, renPackage({ oauthPolicies: { commaSeparatedProfile: undefined } }));
      const secret = env.emulator.org.consumerForApp('ren')!.secret;
      expect(await problems(rotate, { ignoreWarnings: true })).to.deep.equal([
        'ren_glbloauth: Insufficient access rights: the "Allow consumer key and secret rotation" user permission is required to change ExtlClntAppGlobalOauthSettings components.',
      ]);
      expect(env.emulator.org.consumerForApp('ren')!.secret).to.equal(secret);
    });
  });
});
