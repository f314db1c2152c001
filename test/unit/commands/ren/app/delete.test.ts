import { expect } from 'chai';
import { useEmulatorOrg } from '../../emulatorOrg.js';
import { useOfflineOrg } from '../../offlineOrg.js';
import { useTerminal } from '../../terminal.js';
import { renOrgSeed } from '../../../../e2e/renOrg.js';
import RenAppDelete from '../../../../../src/commands/ren/app/delete.js';

const REN_COMPONENTS = [
  ['ExtlClntAppOauthSettings', 'ren_oauth'],
  ['ExtlClntAppGlobalOauthSettings', 'ren_glbloauth'],
  ['ExtlClntAppConfigurablePolicies', 'ren_plcy'],
  ['ExtlClntAppOauthConfigurablePolicies', 'ren_oauthPlcy'],
  ['ExternalClientApplication', 'ren'],
];

describe('sf ren app delete (unit)', () => {
  describe('before the org is contacted', () => {
    const offline = useOfflineOrg();

    it('refuses a --wait under one minute through oclif', async () => {
      const error = await offline.runExpectingError(RenAppDelete, ['--wait', '0', '--no-prompt']);
      expect(error.name).to.equal('DurationBoundsMinError');
      expect(error.message).to.include('--wait').and.include('The value must be at least 1.');
      expect(offline.ours()).to.deep.equal([]);
      expect(offline.prompter.confirm.called).to.equal(false);
    });
  });

  describe('against an org', () => {
    const org = useEmulatorOrg(() => renOrgSeed());
    const terminal = useTerminal();
    const hasApp = (): boolean => org.emulator.org.getComponent('ExternalClientApplication', 'ren') !== undefined;

    it('asks first, naming every component, and deletes them in one deploy on yes', async () => {
      terminal(true);
      org.prompter.confirm.resolves(true);
      const result = await RenAppDelete.run(org.argv());
      expect(org.prompter.confirm.callCount).to.equal(1);
      const question = org.prompter.confirm.firstCall.args[0].message;
      expect(question).to.include(`Delete External Client App ren from ${org.testOrg.username}`);
      for (const [type, name] of REN_COMPONENTS) expect(question).to.include(`${type} ${name}`);
      expect(result.status).to.equal('deleted');
      expect(result.deleted.map((m) => [m.type, m.fullName])).to.deep.equal(REN_COMPONENTS);
      expect(result.deployId).to.equal([...org.emulator.org.deploys.keys()][0]);
      expect(hasApp()).to.equal(false);
      // The human output: the verdict, then one table row per component removed.
      expect(org.ux.logSuccess.firstCall.args[0]).to.equal(
        `Deleted External Client App ren from ${org.testOrg.username}:`,
      );
      const rows = org.ux.table.firstCall.args[0].data as Array<Record<string, string>>;
      expect(rows.map((r) => [r.Type, r.Name])).to.deep.equal(REN_COMPONENTS);
    });

    it('a no is a plain exit: declined, exit code 0, nothing was done', async () => {
      terminal(true);
      org.prompter.confirm.resolves(false);
      const result = await RenAppDelete.run(org.argv());
      expect(result).to.deep.equal({ app: 'ren', status: 'declined', deleted: [] });
      expect(org.logged()).to.deep.equal(['You answered no: nothing was done.']);
      expect(process.exitCode ?? 0).to.equal(0);
      expect(org.writes()).to.deep.equal([]);
      expect(hasApp()).to.equal(true);
    });

    it('--no-prompt never asks, and --json gives the typed result', async () => {
      terminal(true);
      const result = await RenAppDelete.run(org.argv('--no-prompt', '--json'));
      expect(org.prompter.confirm.called).to.equal(false);
      expect(result.app).to.equal('ren');
      expect(result.status).to.equal('deleted');
      expect(result.deleted).to.have.length(5);
      expect(result.deployId).to.be.a('string').and.match(/^0Af/);
      expect(hasApp()).to.equal(false);
    });

    it('--json never asks and refuses without --no-prompt, naming the command that would do it', async () => {
      terminal(true);
      org.prompter.confirm.resolves(true);
      const error = await org.runExpectingError(RenAppDelete, ['--json']);
      expect(error.name).to.equal('RenNeedsConsentError');
      expect(error.message).to.include('--json never asks').and.include('Nothing was done');
      expect(error.actions?.join('\n')).to.include(
        `sf ren app delete --target-org ${org.testOrg.username} --no-prompt`,
      );
      expect(org.prompter.confirm.called).to.equal(false);
      expect(org.writes()).to.deep.equal([]);
      expect(hasApp()).to.equal(true);
    });

    it('refuses without a terminal unless --no-prompt, and repeats --app in the fix', async () => {
      terminal(false);
      const error = await org.runExpectingError(RenAppDelete, ['--app', 'REN']);
      expect(error.name).to.equal('RenNeedsConsentError');
      expect(error.message).to.include('there is no terminal');
      expect(error.actions?.join('\n')).to.include('--app REN --no-prompt');
      expect(org.prompter.confirm.called).to.equal(false);
      expect(org.writes()).to.deep.equal([]);
      expect(process.exitCode).to.equal(1);
    });

    it('an app the org does not have is "absent": no question, no deploy, exit code 0', async () => {
      terminal(false);
      const result = await RenAppDelete.run(org.argv('--app', 'nosuch'));
      expect(result).to.deep.equal({ app: 'nosuch', status: 'absent', deleted: [] });
      expect(org.prompter.confirm.called).to.equal(false);
      expect(org.writes()).to.deep.equal([]);
      expect(org.ux.logSuccess.firstCall.args[0]).to.equal(
        `nosuch is not in ${org.testOrg.username}; nothing to delete.`,
      );
      expect(process.exitCode ?? 0).to.equal(0);
    });
  });
});
