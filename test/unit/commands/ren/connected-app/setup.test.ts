import { expect } from 'chai';
import { checkRows, countByStatus } from '../../../../../src/shared/checks.js';
import { useEmulatorOrg } from '../../emulatorOrg.js';
import { useOfflineOrg } from '../../offlineOrg.js';
import RenConnectedAppSetup from '../../../../../src/commands/ren/connected-app/setup.js';

describe('sf ren connected-app setup (unit)', () => {
  describe('before the org is contacted', () => {
    const offline = useOfflineOrg();

    it('refuses a bad option value through oclif', async () => {
      const error = await offline.runExpectingError(RenConnectedAppSetup, ['--permitted-users', 'everyone']);
      expect(error.message).to.match(/Expected --permitted-users=everyone to be one of/);
      expect(offline.ours()).to.deep.equal([]);
    });

    it('refuses a bad IP range', async () => {
      const error = await offline.runExpectingError(RenConnectedAppSetup, ['--ip-range', '10.0.0.300']);
      expect(error.name).to.equal('RenInvalidConnectedAppDefinitionError');
      expect(error.message).to.include('--ip-range');
      expect(offline.ours()).to.deep.equal([]);
    });

    it('refuses a name to both add and remove', async () => {
      const error = await offline.runExpectingError(RenConnectedAppSetup, ['--profile', 'Sales', '--remove', 'sales']);
      expect(error.name).to.equal('RenAddAndRemoveError');
      expect(error.message).to.include('Sales');
      expect(offline.ours()).to.deep.equal([]);
    });
  });

  describe('against an org', () => {
    const org = useEmulatorOrg(() => ({ vendorApps: [{ name: 'Inven', stage: 'installed' }] }));
    const accessRows = (): readonly unknown[] => org.emulator.org.directory.setupEntityAccess;

    it('an app already set up: unchanged, the steps to check by hand, the checks, exit code 0', async () => {
      const result = await RenConnectedAppSetup.run(org.argv());
      expect(result).to.deep.include({ name: 'Inven', status: 'unchanged', installed: 'already', ok: true });
      expect(result.appId).to.equal(org.emulator.org.installedConnectedApps[0].Id);
      expect(result.policies.method).to.equal('setup-page');
      expect(result.policies.manualSteps).to.deep.equal([]);
      expect(result.policies.checkByHand[0]).to.include('set IP Relaxation to "Relax IP restrictions"');
      expect(result.opened).to.deep.equal([]);
      expect(process.exitCode).to.equal(undefined);
      expect(org.writes()).to.deep.equal([]);
      // The human output: the verdict, the steps to check by hand, the checks as a table, the count.
      const target = org.testOrg.username;
      expect(org.ux.logSuccess.args.flat()).to.deep.equal([
        `Inven in ${target} was already set up as asked; nothing was changed.`,
      ]);
      expect(countByStatus(result.checks).unverified).to.equal(2);
      expect(org.ux.log.args.flat()).to.deep.equal([
        'No API shows these settings of a connected app installed from another org. Check them in Setup:',
        ...result.policies.checkByHand.map((step, i) => `  ${i + 1}. ${step}`),
        'Every readable setting follows the guide (2 settings to check by hand).',
      ]);
      expect(org.ux.table.lastCall.args[0].data).to.deep.equal(checkRows(result.checks));
    });

    it('pre-authorizes a profile; the setting no API writes is a Setup step, and the run exits 1', async () => {
      const result = await RenConnectedAppSetup.run(
        org.argv('--permitted-users', 'admin-approved', '--profile', 'sales', '--json'),
      );
      expect(result.status).to.equal('updated');
      expect(result.preauthorization).to.deep.include({ added: ['Sales'], removed: [], profiles: ['Sales'] });
      expect(accessRows()).to.have.length(1);
      expect(result.policies.manualSteps[0]).to.include(
        'set Permitted Users to "Admin approved users are pre-authorized"',
      );
      expect(result.ok).to.equal(false);
      expect(result.checks.filter((c) => c.status === 'fail').map((c) => c.name)).to.include('Permitted Users');
      expect(process.exitCode).to.equal(1);
    });

    it('refuses an unknown profile with close matches and changes nothing', async () => {
      const error = await org.runExpectingError(RenConnectedAppSetup, ['--profile', 'Sles']);
      expect(error.name).to.equal('RenUnknownNameError');
      expect(error.message).to.include('profile "Sles" (did you mean "Sales"?)');
      expect(accessRows()).to.deep.equal([]);
      expect(org.writes()).to.deep.equal([]);
    });

    it('an app never used: says so first, then how to install it, and stops with exit code 69 after --wait 0', async () => {
      org.emulator.reset({ vendorApps: [{ name: 'Inven', stage: 'never-used' }] });
      const error = await org.runExpectingError(RenConnectedAppSetup, ['--wait', '0']);
      expect(error.name).to.equal('RenConnectedAppNotInstalledError');
      expect(error.exitCode).to.equal(69);
      expect(process.exitCode).to.equal(69);
      const lines = org.logged();
      expect(lines).to.have.length(2);
      expect(lines[0]).to.match(/^Inven has never been used in this org, so it cannot be installed yet\. First: /);
      expect(lines[1]).to.equal(
        `Then install it: Setup → Connected Apps OAuth Usage (${org.emulator.url}/lightning/setup/` +
          'ConnectedAppsUsage/home): find Inven, click Install and confirm.',
      );
      expect(org.writes()).to.deep.equal([]);
    });

    it('with --json the install guide goes to the warnings', async () => {
      org.emulator.reset({ vendorApps: [{ name: 'Inven', stage: 'used' }] });
      const error = await org.runExpectingError(RenConnectedAppSetup, ['--wait', '0', '--json']);
      expect(error.name).to.equal('RenConnectedAppNotInstalledError');
      expect(org.logged()).to.deep.equal([]);
      const warnings = org.ux.warn.args.map((args) => String(args[0]));
      expect(warnings).to.have.length(1);
      expect(warnings[0]).to.match(/^Then install it: .*\/lightning\/setup\/ConnectedAppsUsage\/home/);
    });
  });
});
