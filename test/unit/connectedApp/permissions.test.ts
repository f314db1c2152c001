import { expect } from 'chai';
import {
  GUIDE_PERMISSIONS,
  type GuideStep,
  permissionChecks,
  permissionError,
  readGuidePermissions,
} from '../../../src/connectedApp/permissions.js';
import { fakeOrg, sessionError } from './fakeOrg.js';

const granted = (...fields: string[]) => ({ granted: new Set(fields.map((f) => `Permissions${f}`)) });
const steps = (...s: GuideStep[]) => new Set<GuideStep>(s);

describe("connected app: the guide's permissions", () => {
  it("lists the guide's three, and the pre-authorization three only when someone is pre-authorized", () => {
    expect(permissionChecks(granted(), steps(), false).map((c) => c.name)).to.deep.equal([
      'Your user has Approve Uninstalled Connected Apps (CanApproveUninstalledApps)',
      'Your user has Manage Users (ManageUsers)',
      'Your user has Manage Connected Apps (ManageRemoteAccess)',
    ]);
    expect(permissionChecks(granted(), steps(), true)).to.have.length(GUIDE_PERMISSIONS.length);
  });

  it('fails a missing permission only when a step still to do needs it', () => {
    const checks = permissionChecks(granted('ManageUsers'), steps('firstLogin'), false);
    expect(checks.map((c) => [c.status, c.actual])).to.deep.equal([
      ['fail', 'missing, needed for the first login to the vendor'],
      ['pass', 'granted'],
      ['warn', 'missing (not needed for any step left)'],
    ]);
  });

  it('warns when the org does not say, and refuses nothing then', () => {
    const checks = permissionChecks({ problem: 'no rows' }, steps('install'), false);
    expect(checks.every((c) => c.status === 'warn' && c.actual === 'could not be read: no rows')).to.equal(true);
    expect(permissionError({}, steps('install'), 'a@b.c')).to.equal(undefined);
  });

  it('refuses with every missing permission a step left needs, by label and API name', () => {
    const error = permissionError(
      granted('ManageUsers', 'CustomizeApplication'),
      steps('install', 'preauthorize'),
      'admin@acme.example',
    )!;
    expect(error.name).to.equal('RenConnectedAppPermissionError');
    expect(error.message).to.include('Your user (admin@acme.example)');
    // Only the steps left are named: the policies are not to edit here.
    expect(error.message).to.include('Manage Connected Apps (ManageRemoteAccess): installing the app\n');
    expect(error.message)
      .to.include('Modify All Data (ModifyAllData)')
      .and.include('Manage Profiles and Permission Sets (ManageProfilesPermissionsets)');
    expect(error.message).to.not.include('Approve Uninstalled');
    expect(error.data).to.deep.equal({
      missing: ['PermissionsManageRemoteAccess', 'PermissionsModifyAllData', 'PermissionsManageProfilesPermissionsets'],
    });
    expect(permissionError(granted('ManageRemoteAccess', 'ManageUsers'), steps('install'), 'x')).to.equal(undefined);
  });

  it('reads the permissions from every assigned permission set, and lets a session error through', async () => {
    const org = fakeOrg({
      queries: [
        [
          'FROM PermissionSet',
          [
            { PermissionsManageUsers: true },
            { PermissionsCanApproveUninstalledApps: true, PermissionsManageUsers: false },
          ],
        ],
      ],
    });
    expect([...(await readGuidePermissions(org.conn)).granted!]).to.deep.equal([
      'PermissionsCanApproveUninstalledApps',
      'PermissionsManageUsers',
    ]);
    const failing = fakeOrg({ queries: [['FROM PermissionSet', sessionError()]] });
    expect(await readGuidePermissions(failing.conn).catch((e: Error) => e.name)).to.equal('INVALID_SESSION_ID');
  });
});
