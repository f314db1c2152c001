import { expect } from 'chai';
import { MockTestOrgData, TestContext } from '@salesforce/core/testSetup';
import type { SfError } from '@salesforce/core';
import { stubSfCommandUx } from '@salesforce/sf-plugins-core';
import RenConnectedAppSetup from '../../../../../src/commands/ren/connected-app/setup.js';
import RenConnectedAppStatus from '../../../../../src/commands/ren/connected-app/status.js';

/** A JSON value, as the fake connection request answers it. */
type Json = Awaited<ReturnType<TestContext['fakeConnectionRequest']>>;
type Answer = Array<Record<string, Json>>;

describe('sf ren connected-app status|setup (unit)', () => {
  const $$ = new TestContext();
  const testOrg = new MockTestOrgData();
  let requests: string[];
  let answers: Array<[string, Answer]>;
  let ux: ReturnType<typeof stubSfCommandUx>;
  // Org.create (behind Flags.requiredOrg) reads the Organization record on its own; every other request is ours.
  const ours = (): string[] => requests.filter((url) => !url.endsWith('FROM%20Organization'));

  beforeEach(async () => {
    await $$.stubAuths(testOrg);
    ux = stubSfCommandUx($$.SANDBOX);
    requests = [];
    answers = [];
    $$.fakeConnectionRequest = (request) => {
      const url = String((request as { url?: string }).url ?? '');
      requests.push(url);
      const soql = new URL(url, 'https://x').searchParams.get('q') ?? '';
      const rule = answers.find(([text]) => soql.includes(text));
      // Every query is answered (no rule: no rows); anything else, such as the Metadata API, is refused.
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
      RenConnectedAppStatus.run(['--target-org', testOrg.username, '--ip-range', '10.0.0.9-10.0.0.1']),
    );
    expect(error.name).to.equal('RenInvalidConnectedAppDefinitionError');
    expect(ours()).to.deep.equal([]);
    const oclif = await failure(
      RenConnectedAppSetup.run(['--target-org', testOrg.username, '--permitted-users', 'everyone']),
    );
    expect(oclif.message).to.match(/Expected --permitted-users=everyone to be one of/);
  });

  it('refuses a name to both add and remove before contacting the org', async () => {
    const error = await failure(
      RenConnectedAppSetup.run(['--target-org', testOrg.username, '--profile', 'Sales', '--remove', 'sales']),
    );
    expect(error.name).to.equal('RenAddAndRemoveError');
    expect(ours()).to.deep.equal([]);
  });

  it('shows the checks as a table and exits 1 when the app was never used', async () => {
    answers = [
      [
        'WHERE Id IN (SELECT PermissionSetId',
        [
          {
            PermissionsCanApproveUninstalledApps: true,
            PermissionsManageUsers: true,
            PermissionsManageRemoteAccess: true,
          },
        ],
      ],
    ];
    const result = await RenConnectedAppStatus.run(['--target-org', testOrg.username, '--json']);
    expect(result).to.deep.include({ name: 'Inven', stage: 'never-used', ok: false });
    expect(process.exitCode).to.equal(1);
    const rows = ux.table.firstCall.args[0].data as Array<Record<string, string>>;
    expect(rows.map((r) => [r.Check, r.Status])).to.deep.equal([
      ['Used in the org (first admin login)', 'FAIL'],
      ['Installed (Connected Apps OAuth Usage → Install)', 'FAIL'],
      ['Your user has Approve Uninstalled Connected Apps (CanApproveUninstalledApps)', 'PASS'],
      ['Your user has Manage Users (ManageUsers)', 'PASS'],
      ['Your user has Manage Connected Apps (ManageRemoteAccess)', 'PASS'],
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
      [
        'WHERE Id IN (SELECT PermissionSetId',
        [
          {
            PermissionsCanApproveUninstalledApps: true,
            PermissionsManageUsers: true,
            PermissionsManageRemoteAccess: true,
          },
        ],
      ],
    ];
    const result = await RenConnectedAppStatus.run(['--target-org', testOrg.username, '--json']);
    expect(result.ok).to.equal(true);
    expect(process.exitCode).to.equal(undefined);
    const rows = ux.table.firstCall.args[0].data as Array<Record<string, string>>;
    expect(rows.find((r) => r.Check === 'IP Relaxation')).to.include({
      Status: 'CANNOT VERIFY',
      Actual: 'cannot be verified here (no API shows it)',
    });
    expect(ux.log.args.flat().join('\n')).to.include('CANNOT VERIFY: no API shows these settings');
  });
});
