import { expect } from 'chai';
import type { SfError } from '@salesforce/core';
import { mergeDefinition } from '../../../src/connectedApp/definition.js';
import { type InstallGuide, type SetupRequest, setupConnectedApp } from '../../../src/connectedApp/setup.js';
import { type FakeOrg, fakeOrg } from './fakeOrg.js';

const APP = {
  Id: '0H4000000000001AAA',
  Name: 'Inven',
  OptionsAllowAdminApprovedUsersOnly: false,
  OptionsRefreshTokenValidityMetric: false,
  RefreshTokenValidityPeriod: null,
};
const ALL = [
  'CanApproveUninstalledApps',
  'ManageUsers',
  'ManageRemoteAccess',
  'CustomizeApplication',
  'ModifyAllData',
  'ManageProfilesPermissionsets',
];

/** An org with Inven at a stage, the user's permissions, Sales/Inven_Users to pre-authorize, and live SetupEntityAccess rows. */
function org(
  options: { installedAfterPolls?: number; used?: boolean; permissions?: string[]; granted?: string[] } = {},
): FakeOrg & { polls: () => number } {
  let polls = 0;
  const granted = new Map((options.granted ?? []).map((parent, i) => [`0J0granted${i}`, parent]));
  const fake = fakeOrg({
    queries: [
      ['FROM ConnectedApplication WHERE', () => (++polls > (options.installedAfterPolls ?? 0) ? [APP] : [])],
      ['FROM OauthToken WHERE', () => (options.used === false ? [] : [{ UserId: '005A', LastUsedDate: null }])],
      [
        'WHERE Id IN (SELECT PermissionSetId',
        () => [Object.fromEntries((options.permissions ?? ALL).map((p) => [`Permissions${p}`, true]))],
      ],
      ['IsOwnedByProfile = true', [{ Id: '0PS000000000001AAA', Profile: { Name: 'Sales' } }]],
      ['IsOwnedByProfile = false', [{ Id: '0PS000000000003AAA', Name: 'Inven_Users' }]],
      [
        'FROM SetupEntityAccess',
        (f) =>
          [
            ...[...granted].map(([Id, ParentId]) => ({ Id, ParentId })),
            ...f.created.map((c, i) => ({ Id: `0J0created${i}`, ParentId: c.ParentId })),
          ].filter((r) => !f.destroyed.includes(r.Id)),
      ],
    ],
  });
  return Object.assign(fake, { polls: () => polls });
}

const request = (extra: Partial<SetupRequest> = {}): SetupRequest => ({
  definition: mergeDefinition(),
  remove: [],
  timeoutMs: 600_000,
  target: 'client1',
  setupCommand: 'sf ren connected-app setup --target-org client1',
  ...extra,
});
const instant = { sleep: async () => undefined };

describe('connected app: setup', () => {
  it('waits for the install after handing over the exact page, then pre-authorizes and verifies', async () => {
    const fake = org({ installedAfterPolls: 3 });
    const guides: InstallGuide[] = [];
    const stages: string[] = [];
    const outcome = await setupConnectedApp(
      fake.conn,
      request({ definition: mergeDefinition({ profiles: ['sales'] }) }),
      {
        onStage: (s) => {
          stages.push(s);
        },
        onNotInstalled: (g) => {
          guides.push(g);
        },
        wait: instant,
      },
    );
    expect(guides).to.have.length(1);
    expect(guides[0]).to.deep.include({
      stage: 'used',
      installStep:
        'Setup → Connected Apps OAuth Usage (https://acme.my.salesforce.com/lightning/setup/ConnectedAppsUsage/home): find Inven, click Install and confirm.',
    });
    expect(stages).to.deep.equal(['read', 'wait', 'policies', 'preauthorize', 'verify']);
    expect(outcome).to.deep.include({ status: 'updated', installed: 'while-waiting', appId: APP.Id });
    // The read, then three polls: not yet, not yet, installed.
    expect(outcome.waited?.checks).to.equal(3);
    expect(outcome.preauthorization).to.deep.equal({
      added: ['Sales'],
      removed: [],
      profiles: ['Sales'],
      permissionSets: [],
    });
    expect(fake.created).to.deep.equal([{ ParentId: '0PS000000000001AAA', SetupEntityId: APP.Id }]);
    expect(outcome.policies).to.deep.include({ method: 'setup-page', manualSteps: [] });
    expect(outcome.policies.checkByHand[0]).to.include('set IP Relaxation to "Relax IP restrictions"');
  });

  it('changes nothing and says so when everything is done already', async () => {
    const fake = org({ granted: ['0PS000000000001AAA'] });
    const outcome = await setupConnectedApp(
      fake.conn,
      request({ definition: mergeDefinition({ profiles: ['Sales'] }), remove: ['Inven_Users'] }),
      { wait: instant },
    );
    expect(outcome.status).to.equal('unchanged');
    expect(outcome.installed).to.equal('already');
    expect(outcome.warnings[0]).to.equal('"Inven_Users" is not pre-authorized for Inven; there was nothing to remove.');
    // Inven's guide lets all users self-authorize: a pre-authorized profile has no effect, and the run says so.
    expect(outcome.warnings[1]).to.match(/^Permitted Users is "All users may self-authorize"/);
    expect(fake.created).to.deep.equal([]);
    expect(fake.destroyed).to.deep.equal([]);
  });

  it('removes a pre-authorization', async () => {
    const fake = org({ granted: ['0PS000000000001AAA', '0PS000000000003AAA'] });
    const outcome = await setupConnectedApp(fake.conn, request({ remove: ['Sales'] }), { wait: instant });
    expect(fake.destroyed).to.deep.equal(['0J0granted0']);
    expect(outcome.preauthorization).to.deep.equal({
      added: [],
      removed: ['Sales'],
      profiles: [],
      permissionSets: ['Inven_Users'],
    });
  });

  it('refuses an unknown name before handing over the page or waiting', async () => {
    const fake = org({ installedAfterPolls: 99 });
    let guided = false;
    const error = (await setupConnectedApp(
      fake.conn,
      request({ definition: mergeDefinition({ permissionSets: ['Inven_User'] }) }),
      {
        onNotInstalled: () => {
          guided = true;
        },
        wait: instant,
      },
    ).catch((e: SfError) => e)) as SfError;
    expect(error.name).to.equal('RenUnknownNameError');
    expect(guided).to.equal(false);
    expect(fake.polls()).to.equal(1);
  });

  it('refuses, naming each permission, when the user lacks what the steps left need', async () => {
    const fake = org({ installedAfterPolls: 99, used: false, permissions: ['ManageRemoteAccess'] });
    const error = (await setupConnectedApp(fake.conn, request(), { wait: instant }).catch(
      (e: SfError) => e,
    )) as SfError;
    expect(error.name).to.equal('RenConnectedAppPermissionError');
    expect(error.data).to.deep.equal({ missing: ['PermissionsCanApproveUninstalledApps', 'PermissionsManageUsers'] });
    expect(fake.polls()).to.equal(1);
  });

  it('does not ask for the first-login or install permissions once the app is installed', async () => {
    const fake = org({ permissions: ['ManageRemoteAccess'] });
    const outcome = await setupConnectedApp(fake.conn, request(), { wait: instant });
    expect(outcome.status).to.equal('unchanged');
    expect(outcome.verification.checks.filter((c) => c.status === 'fail')).to.deep.equal([]);
  });

  it('gives up after the wait with exit code 69', async () => {
    const fake = org({ installedAfterPolls: 99 });
    let clock = 0;
    const error = (await setupConnectedApp(fake.conn, request({ timeoutMs: 30_000 }), {
      wait: {
        now: () => clock,
        sleep: async (ms) => {
          clock += ms;
        },
      },
    }).catch((e: SfError) => e)) as SfError;
    expect(error.exitCode).to.equal(69);
    expect(fake.created).to.deep.equal([]);
  });
});
