import { expect } from 'chai';
import { useEmulatorOrg } from '../../emulatorOrg.js';
import { useOfflineOrg } from '../../offlineOrg.js';
import { renOrgSeed } from '../../../../e2e/renOrg.js';
import RenAppPreauthorize from '../../../../../src/commands/ren/app/preauthorize.js';

describe('sf ren app preauthorize (unit)', () => {
  describe('before the org is contacted', () => {
    const offline = useOfflineOrg();

    it('refuses --replace without names: the lists are never cleared silently', async () => {
      const error = await offline.runExpectingError(RenAppPreauthorize, ['--replace']);
      expect(error.name).to.equal('RenReplaceWithoutNamesError');
      expect(offline.ours()).to.deep.equal([]);
    });

    it('refuses --replace together with --remove', async () => {
      const error = await offline.runExpectingError(RenAppPreauthorize, [
        '--replace',
        '--profile',
        'Sales',
        '--remove',
        'Standard User',
      ]);
      expect(error.name).to.equal('RenReplaceWithRemoveError');
      expect(offline.ours()).to.deep.equal([]);
    });

    it('refuses a run with no change flags, an empty name, or a name both added and removed', async () => {
      const nothing = await offline.runExpectingError(RenAppPreauthorize, []);
      expect(nothing.name).to.equal('RenNothingToChangeError');
      const empty = await offline.runExpectingError(RenAppPreauthorize, ['--profile', '']);
      expect(empty.name).to.equal('RenEmptyNameError');
      expect(empty.message).to.include('--profile');
      const both = await offline.runExpectingError(RenAppPreauthorize, [
        '--remove',
        'Sales_Ops',
        '--permission-set',
        'Sales_Ops',
      ]);
      expect(both.name).to.equal('RenAddAndRemoveError');
      const validity = await offline.runExpectingError(RenAppPreauthorize, [
        '--refresh-token-policy',
        'zero',
        '--refresh-token-validity',
        '90',
      ]);
      expect(validity.name).to.equal('RenValidityWithoutSpecificPolicyError');
      expect(offline.ours()).to.deep.equal([]);
    });

    it('refuses a bad policy value through oclif', async () => {
      const error = await offline.runExpectingError(RenAppPreauthorize, ['--permitted-users', 'everyone']);
      expect(error.message).to.match(/Expected --permitted-users=everyone to be one of/);
      expect(offline.ours()).to.deep.equal([]);
    });
  });

  describe('against an org', () => {
    const org = useEmulatorOrg(() => renOrgSeed());
    const policies = (): Record<string, unknown> | undefined =>
      org.emulator.org.getComponent('ExtlClntAppOauthConfigurablePolicies', 'ren_oauthPlcy')?.record;

    it('a mistyped app name: RenAppNotFoundError says which app is close, and the create fix names the org', async () => {
      const error = await org.runExpectingError(RenAppPreauthorize, ['--app', 'rne', '--profile', 'Sales']);
      expect(error.name).to.equal('RenAppNotFoundError');
      expect(error.message).to.include('(did you mean "ren"?)');
      expect(error.actions?.[0]).to.include(`sf ren app create --target-org ${org.testOrg.username} --app rne`);
    });

    it('adds a profile to the ones the app has (the org keeps lists additively: sent again with the new name only) and shows before and after', async () => {
      const result = await RenAppPreauthorize.run(org.argv('--profile', 'system administrator'));
      expect(result).to.deep.include({
        app: 'ren',
        status: 'updated',
        dryRun: false,
        profiles: ['Sales', 'System Administrator'],
        permissionSets: [],
        permittedUsers: 'AdminApprovedPreAuthorized',
      });
      expect(result.before.profiles).to.deep.equal(['Sales']);
      expect(result.changes.map((c) => c.field)).to.deep.equal(['commaSeparatedProfile']);
      // Under the emulator's default (additive lists), the whole list is refused ("already taken") and the new name
      // alone goes through: the result names that second deploy.
      const deploys = [...org.emulator.org.deploys.values()];
      expect(deploys).to.have.length(2);
      expect(result.deployId).to.equal([...org.emulator.org.deploys.keys()][1]);
      expect(policies()?.commaSeparatedProfile).to.equal('Sales, System Administrator');
      // The human output: the verdict, then one row per setting with its value before and after.
      expect(org.ux.logSuccess.firstCall.args[0]).to.equal(
        `Updated the OAuth policies of External Client App ren in ${org.testOrg.username}.`,
      );
      expect(org.ux.log.args.flat().at(-1)).to.equal(
        `Next: check the org against the guide, the live login probe included: sf ren app status --target-org ${org.testOrg.username}`,
      );
      const rows = org.ux.table.firstCall.args[0].data as Array<Record<string, string>>;
      expect(rows).to.deep.equal([
        { Setting: 'Permitted users', Before: 'admin-approved', After: 'admin-approved', Change: '' },
        { Setting: 'Profiles', Before: 'Sales', After: 'Sales, System Administrator', Change: 'changed' },
        { Setting: 'Permission sets', Before: '—', After: '—', Change: '' },
        { Setting: 'Refresh token policy', Before: 'infinite', After: 'infinite', Change: '' },
        { Setting: 'IP relaxation', Before: 'enforce', After: 'enforce', Change: '' },
      ]);
    });

    it('deploys nothing when the app already has what is asked, and says so', async () => {
      const result = await RenAppPreauthorize.run(org.argv('--profile', 'Sales', '--json'));
      expect(result.status).to.equal('unchanged');
      expect(result.changes).to.deep.equal([]);
      expect(result.deployId).to.equal(undefined);
      expect(org.writes()).to.deep.equal([]);
    });

    it('--dry-run validates with a check-only deploy and changes nothing', async () => {
      const result = await RenAppPreauthorize.run(org.argv('--permission-set', 'Ren_Users', '--dry-run', '--json'));
      expect(result).to.deep.include({ status: 'updated', dryRun: true, permissionSets: ['Ren_Users'] });
      const deploy = org.emulator.org.deploys.get(result.deployId ?? '');
      expect(deploy?.options.checkOnly).to.equal(true);
      expect(policies()?.commaSeparatedPermissionSet).to.equal(undefined);
    });

    it('--dry-run shows the change in human output too, marked as what would change', async () => {
      await RenAppPreauthorize.run(org.argv('--permission-set', 'Ren_Users', '--dry-run'));
      expect(org.ux.logSuccess.firstCall.args[0]).to.match(/^Dry run: the org accepted this change/);
      const rows = org.ux.table.firstCall.args[0].data as Array<Record<string, string>>;
      expect(rows.filter((row) => row.Change !== '')).to.deep.equal([
        { Setting: 'Permission sets', Before: '—', After: 'Ren_Users', Change: 'would change' },
      ]);
    });

    it('refuses an unknown name with close matches before anything is deployed', async () => {
      const error = await org.runExpectingError(RenAppPreauthorize, ['--profile', 'Sale']);
      expect(error.name).to.equal('RenUnknownNameError');
      expect(error.message).to.include('profile "Sale"').and.include('"Sales"');
      expect(org.writes()).to.deep.equal([]);
    });

    it('warns about a name to remove that the app does not pre-authorize', async () => {
      const result = await RenAppPreauthorize.run(org.argv('--remove', 'Standard User', '--json'));
      expect(result.status).to.equal('unchanged');
      expect(org.ux.warn.args.map((args) => String(args[0]))).to.include(
        '"Standard User" is not pre-authorized for the app ren; there was nothing to remove.',
      );
    });

    it('--replace sets the lists to exactly the names given', async () => {
      const result = await RenAppPreauthorize.run(
        org.argv('--replace', '--permission-set', 'Ren_Users', '--profile', 'Standard User', '--json'),
      );
      expect(result.profiles).to.deep.equal(['Standard User']);
      expect(result.permissionSets).to.deep.equal(['Ren_Users']);
      expect(policies()).to.deep.include({
        commaSeparatedProfile: 'Standard User',
        commaSeparatedPermissionSet: 'Ren_Users',
      });
    });

    it('refuses a refresh token validity the refresh token policy does not use, naming the flag', async () => {
      const error = await org.runExpectingError(RenAppPreauthorize, ['--refresh-token-validity', '90']);
      expect(error.name).to.equal('RenInvalidDefinitionError');
      expect(error.message).to.include('--refresh-token-validity').and.include('SpecificLifetime');
      expect(org.writes()).to.deep.equal([]);
    });
  });
});
