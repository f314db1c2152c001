import { expect } from 'chai';
import { MockTestOrgData, TestContext } from '@salesforce/core/testSetup';
import type { SfError } from '@salesforce/core';
import { stubSfCommandUx } from '@salesforce/sf-plugins-core';
import { MetadataApi } from '@jsforce/jsforce-node/lib/api/metadata.js';
import type { SinonStub } from 'sinon';
import { checkRows, countByStatus } from '../../../../../src/shared/checks.js';
import { useEmulatorOrg } from '../../emulatorOrg.js';
import { useWideTables } from '../../terminal.js';
import RenConnectedAppStatus from '../../../../../src/commands/ren/connected-app/status.js';

/** A JSON value, as the fake connection request answers it. */
type Json = Awaited<ReturnType<TestContext['fakeConnectionRequest']>>;
type Answer = Array<Record<string, Json>>;

const allPermissions: Answer = [
  {
    PermissionsCanApproveUninstalledApps: true,
    PermissionsManageUsers: true,
    PermissionsManageRemoteAccess: true,
  },
];

describe('sf ren connected-app status (unit)', () => {
  describe('with the org answered by fakes', () => {
    const $$ = new TestContext();
    const testOrg = new MockTestOrgData();
    let requests: string[];
    let answers: Array<[string, Answer]>;
    let ux: ReturnType<typeof stubSfCommandUx>;
    let metadataList: SinonStub;
    // Org.create (behind Flags.requiredOrg) reads the Organization record on its own; every other request is ours.
    useWideTables();
    const ours = (): string[] => requests.filter((url) => !url.endsWith('FROM%20Organization'));

    beforeEach(async () => {
      await $$.stubAuths(testOrg);
      ux = stubSfCommandUx($$.SANDBOX);
      // The Metadata API goes past Connection.request (jsforce's SOAP client): refused here, as an org that does not
      // list ConnectedApp components would; the command then reads the policies from ConnectedApplication.
      metadataList = $$.SANDBOX.stub(MetadataApi.prototype, 'list').rejects(new Error('not answered in this test'));
      requests = [];
      answers = [];
      $$.fakeConnectionRequest = (request) => {
        const url = String((request as { url?: string }).url ?? '');
        requests.push(url);
        const soql = new URL(url, 'https://x').searchParams.get('q') ?? '';
        const rule = answers.find(([text]) => soql.includes(text));
        // Every query is answered (no rule: no rows); anything else is refused.
        if (url.includes('/query')) {
          const records = rule?.[1] ?? [];
          return Promise.resolve({ totalSize: records.length, done: true, records });
        }
        return Promise.reject(new Error('not answered in this test'));
      };
    });

    afterEach(() => {
      $$.restore();
      process.exitCode = undefined;
    });

    const failure = async (run: Promise<unknown>): Promise<SfError> => {
      try {
        await run;
      } catch (error) {
        return error as SfError;
      }
      expect.fail('the command should have failed');
    };

    it('refuses bad IP ranges and a bad definition before contacting the org', async () => {
      const error = await failure(
        RenConnectedAppStatus.run([
          '--target-org',
          testOrg.username,
          '--ip-range',
          '10.0.0.9-10.0.0.1',
          '--refresh-token-policy',
          'specific-lifetime',
        ]),
      );
      expect(error.name).to.equal('RenInvalidConnectedAppDefinitionError');
      expect(error.message).to.include('--ip-range');
      expect(ours()).to.deep.equal([]);
      expect(metadataList.called).to.equal(false);
    });

    it('shows the checks as a table and exits 1 when the app was never used', async () => {
      answers = [['WHERE Id IN (SELECT PermissionSetId', allPermissions]];
      const result = await RenConnectedAppStatus.run(['--target-org', testOrg.username, '--json']);
      expect(result).to.deep.include({ name: 'Inven', stage: 'never-used', ok: false });
      expect(result.appId).to.equal(undefined);
      expect(result.setupPages.oauthUsage).to.match(/\/lightning\/setup\/ConnectedAppsUsage\/home$/);
      expect(process.exitCode).to.equal(1);
      const rows = ux.table.firstCall.args[0].data as Array<Record<string, string>>;
      expect(rows).to.deep.equal(checkRows(result.checks));
      expect(rows.map((r) => [r.Check, r.Status])).to.deep.equal([
        ['Used in the org (first admin login)', 'FAIL'],
        ['Installed (Connected Apps OAuth Usage → Install)', 'FAIL'],
        ['Your user has Approve Uninstalled Connected Apps (CanApproveUninstalledApps)', 'PASS'],
        ['Your user has Manage Users (ManageUsers)', 'PASS'],
        ['Your user has Manage Connected Apps (ManageRemoteAccess)', 'PASS'],
      ]);
      expect(ux.log.args.flat()).to.deep.equal([
        `Inven in ${testOrg.username} does not follow the guide yet: 2 checks failed. Each row above names its fix.`,
      ]);
    });

    it('counts a setting it cannot verify neither as a pass nor as a failure', async () => {
      answers = [
        [
          'FROM ConnectedApplication WHERE',
          [
            {
              Id: '0H4000000000001AAA',
              Name: 'Inven',
              OptionsAllowAdminApprovedUsersOnly: false,
              OptionsRefreshTokenValidityMetric: false,
              RefreshTokenValidityPeriod: null,
            },
          ],
        ],
        ['WHERE Id IN (SELECT PermissionSetId', allPermissions],
      ];
      const result = await RenConnectedAppStatus.run(['--target-org', testOrg.username, '--json']);
      expect(result.ok).to.equal(true);
      expect(result.appId).to.equal('0H4000000000001AAA');
      expect(process.exitCode).to.equal(undefined);
      const rows = ux.table.firstCall.args[0].data as Array<Record<string, string>>;
      expect(rows.find((r) => r.Check === 'IP Relaxation')).to.include({
        Status: 'CANNOT VERIFY',
        Actual: 'cannot be verified here (no API shows it)',
      });
      expect(ux.log.args.flat().join('\n')).to.include('CANNOT VERIFY: no API shows these settings');
    });
  });

  describe('against an org', () => {
    const org = useEmulatorOrg(() => ({ vendorApps: [{ name: 'Inven', stage: 'installed' }] }));

    it('an installed app set up as the guide says: the typed result, the verdict, exit code 0, nothing written', async () => {
      const result = await RenConnectedAppStatus.run(org.argv('--json'));
      expect(result).to.deep.include({
        name: 'Inven',
        stage: 'installed',
        ok: true,
        policySource: 'connected-application',
      });
      expect(result.appId).to.equal(org.emulator.org.installedConnectedApps[0].Id);
      expect(result.checks.find((c) => c.name.startsWith('Permitted Users'))).to.include({
        status: 'pass',
        actual: 'All users may self-authorize',
      });
      expect(result.setupPages.manageApps).to.equal(`${org.emulator.url}/lightning/setup/ConnectedApplication/home`);
      const counts = countByStatus(result.checks);
      expect(counts.unverified).to.be.greaterThan(0);
      expect(org.ux.logSuccess.args.flat()).to.deep.equal([
        `Inven in ${org.testOrg.username} follows the guide (${counts.unverified} settings to check by hand, ` +
          `${counts.warn} warnings).`,
      ]);
      expect(process.exitCode).to.equal(undefined);
      expect(org.writes()).to.deep.equal([]);
    });

    it('names another app with --app and says it has never been used', async () => {
      org.emulator.reset({ vendorApps: [{ name: 'Acme Sync', stage: 'never-used' }] });
      const result = await RenConnectedAppStatus.run(org.argv('--app', 'Acme Sync', '--json'));
      expect(result).to.deep.include({ name: 'Acme Sync', stage: 'never-used', ok: false });
      expect(process.exitCode).to.equal(1);
    });
  });
});
