import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { Connection } from '@salesforce/core';
import { checkRows } from '../../../../../src/shared/checks.js';
import { useEmulatorOrg } from '../../emulatorOrg.js';
import { useOfflineOrg } from '../../offlineOrg.js';
import { renOrgSeed } from '../../../../e2e/renOrg.js';
import RenAppStatus from '../../../../../src/commands/ren/app/status.js';
import RenAppPreauthorize from '../../../../../src/commands/ren/app/preauthorize.js';

async function definitionFileWith(content: unknown): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), 'ren-status-')), 'vendor.json');
  await writeFile(file, JSON.stringify(content));
  return file;
}

describe('sf ren app status (unit)', () => {
  describe('before the org is contacted', () => {
    const offline = useOfflineOrg();

    it('refuses a --definition file with unknown fields', async () => {
      const file = await definitionFileWith({ label: 'Acme', colour: 'red' });
      const error = await offline.runExpectingError(RenAppStatus, ['--definition', file]);
      expect(error.name).to.equal('RenInvalidDefinitionError');
      expect(error.message).to.include('colour: is not a definition field');
      expect(offline.ours()).to.deep.equal([]);
    });

    it('refuses a --definition file that does not exist through oclif', async () => {
      const error = await offline.runExpectingError(RenAppStatus, ['--definition', join(tmpdir(), 'no-such.json')]);
      expect(error.message).to.match(/No file found at/);
      expect(offline.ours()).to.deep.equal([]);
    });
  });

  describe('against an org', () => {
    const org = useEmulatorOrg(() => renOrgSeed());

    it('passes an org set up as the guide says: every check as a table row, exit code 0, nothing written', async () => {
      const result = await RenAppStatus.run(org.argv());
      expect(result.app).to.equal('ren');
      expect(result.ok).to.equal(true);
      expect(result.checks.filter((c) => c.status === 'fail')).to.deep.equal([]);
      expect(result.checks[0]).to.deep.include({ name: 'The app exists', status: 'pass', actual: 'ren' });
      expect(result.checks.find((c) => c.name === 'IP relaxation (ipRelaxationPolicyType)')).to.deep.include({
        status: 'pass',
        expected: 'Enforce',
        actual: 'Enforce',
      });
      expect(org.ux.table.firstCall.args[0].data).to.deep.equal(checkRows(result.checks));
      // One warning (the secret permission the emulator's user cannot be shown to hold), counted in the singular.
      expect(result.checks.filter((c) => c.status === 'warn')).to.have.length(1);
      expect(org.ux.logSuccess.firstCall.args[0]).to.equal(
        `ren in ${org.testOrg.username} meets Ren's guide (1 warning).`,
      );
      expect(process.exitCode).to.equal(undefined);
      expect(org.writes()).to.deep.equal([]);
    });

    it('fails a drifted setting with its fix, says how many failed, and sets exit code 1', async () => {
      org.emulator.reset(renOrgSeed({ oauthPolicies: { ipRelaxationPolicyType: 'Bypass' } }));
      const result = await RenAppStatus.run(org.argv('--json'));
      expect(result.ok).to.equal(false);
      const failed = result.checks.filter((c) => c.status === 'fail');
      expect(failed.map((c) => c.name)).to.deep.equal(['IP relaxation (ipRelaxationPolicyType)']);
      expect(failed[0]).to.deep.include({
        expected: 'Enforce',
        actual: 'Bypass',
        fix: `sf ren app create --target-org ${org.testOrg.username}`,
      });
      expect(process.exitCode).to.equal(1);
      expect(org.logged()).to.deep.equal([
        `ren in ${org.testOrg.username} does not meet Ren's guide: 1 check failed. Each row above names its fix.`,
      ]);
    });

    it('fails when nobody is pre-authorized while only admin-approved users may connect', async () => {
      org.emulator.reset(renOrgSeed({ oauthPolicies: { commaSeparatedProfile: undefined } }));
      const result = await RenAppStatus.run(org.argv('--json'));
      const nobody = result.checks.find((c) => c.name === 'Someone is pre-authorized (admin-approved users)');
      expect(nobody?.status).to.equal('fail');
      expect(nobody?.fix).to.include(
        `sf ren app preauthorize --target-org ${org.testOrg.username} --profile 'System Administrator'`,
      );
      expect(result.ok).to.equal(false);
      expect(process.exitCode).to.equal(1);
    });

    it('reports an app the org does not have as one failed check whose fix creates it', async () => {
      const result = await RenAppStatus.run(org.argv('--app', 'nosuch', '--json'));
      expect(result).to.deep.equal({
        app: 'nosuch',
        ok: false,
        pending: false,
        checks: [
          {
            name: 'The app exists',
            status: 'fail',
            expected: 'nosuch',
            actual: 'not in the org',
            fix: `sf ren app create --target-org ${org.testOrg.username} --app nosuch`,
          },
        ],
      });
      expect(process.exitCode).to.equal(1);
    });

    it('a mistyped app name: the absent check says which app the org has that is close', async () => {
      const result = await RenAppStatus.run(org.argv('--app', 'rne', '--json'));
      expect(result.checks[0]).to.include({ status: 'fail', actual: 'not in the org (did you mean "ren"?)' });
    });

    it('checks against another vendor definition and repeats --definition in the fixes', async () => {
      const file = await definitionFileWith({
        label: 'Acme Sync',
        contactEmail: 'it@acme.example',
        callbackUrl: 'https://acme.example/cb',
      });
      const result = await RenAppStatus.run(org.argv('--definition', file, '--json'));
      const label = result.checks.find((c) => c.name === 'App name (label)');
      // --app goes into the fix with a definition: the file may name no API name (or another one).
      expect(label).to.deep.include({
        status: 'fail',
        expected: 'Acme Sync',
        actual: 'Ren',
        fix: `sf ren app create --target-org ${org.testOrg.username} --app ren --definition ${file}`,
      });
      // Fields the definition leaves unset are not checked against Ren's values.
      expect(result.checks.map((c) => c.name)).to.not.include('Info URL (infoUrl)');
      expect(result.checks.find((c) => c.name.startsWith('Live OAuth probe'))?.name).to.include("Acme Sync's login");
    });

    it("refuses another vendor's definition that lacks its own values, naming each", async () => {
      const file = await definitionFileWith({ label: 'Acme Sync' });
      const error = await RenAppStatus.run(org.argv('--definition', file, '--json')).then(
        () => expect.fail('expected an error'),
        (e: Error) => e,
      );
      expect(error.name).to.equal('RenInvalidDefinitionError');
      expect(error.message).to.include('contactEmail: is required').and.include('callbackUrl: is required');
      expect(org.writes()).to.deep.equal([]);
    });

    it('a pre-authorized name the org no longer has: the printed fix, run as typed, removes exactly that name', async () => {
      // The emulator cannot make this drift (its access lists are rows on existing profiles): the org's list of
      // profiles is made to leave out "Sales", which the app's OAuth policies still name.
      const stub = org.$$.SANDBOX.stub(Connection.prototype, 'query');
      // The library's query returns a thenable Query; the commands only await it, so a promise stands in for it.
      const withoutSales = async function (this: Connection, soql: string, options?: object): Promise<unknown> {
        const result = await stub.wrappedMethod.call(this, soql, options);
        return soql === 'SELECT Name FROM Profile'
          ? { ...result, records: result.records.filter((r) => r.Name !== 'Sales') }
          : result;
      };
      stub.callsFake(withoutSales as unknown as typeof stub.wrappedMethod);
      const status = await RenAppStatus.run(org.argv('--json'));
      const failing = status.checks.filter((c) => c.status === 'fail');
      expect(failing.map((c) => [c.name, c.actual])).to.deep.equal([
        ['Pre-authorized profiles and permission sets exist in the org', 'not in the org: Sales'],
      ]);
      const fix = failing[0].fix ?? '';
      expect(fix).to.equal(`sf ren app preauthorize --target-org ${org.testOrg.username} --remove Sales`);
      // The fix as a shell would split it (plain words here), run with --dry-run.
      const dry = await RenAppPreauthorize.run([...fix.split(' ').slice(4), '--dry-run', '--json']);
      expect(dry.changes.map((c) => [c.field, c.before, c.after])).to.deep.equal([
        ['commaSeparatedProfile', 'Sales', undefined],
      ]);
      // A dry run only validates (a checkOnly deploy): the app still lists Sales.
      const policies = org.emulator.org.getComponent('ExtlClntAppOauthConfigurablePolicies', 'ren_oauthPlcy');
      expect(policies?.record.commaSeparatedProfile).to.equal('Sales');
    });
  });
});
