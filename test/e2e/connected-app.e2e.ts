/*
 * End to end, Inven's guide ("Connecting Salesforce to Inven") through the real `sf` with this plugin linked, against
 * the emulator: never used; used but not installed, then installed while the command waits (with --open); the wait
 * running out; already installed; a user missing the guide's permissions; pre-authorizing and removing profiles and
 * permission sets; policy drift; trusted IP ranges. One emulator and one sf login for the file; each test resets the
 * org to the stage it needs. The admin's clicks in Setup are the emulator's control methods (no API makes them).
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { OrgSeed } from '../emulator/index.js';
import { type SfResult, startSfSession, type SfSession } from './harness.js';

type Check = { name: string; status: string; expected: string; actual: string; fix?: string };
type Result = {
  name: string;
  stage: string;
  status: string;
  installed: string;
  ok: boolean;
  policySource: string;
  checks: Check[];
  policies: { method: string; changes: Array<{ setting: string }>; manualSteps: string[]; checkByHand: string[] };
  preauthorization: { added: string[]; removed: string[]; profiles: string[]; permissionSets: string[] };
};
type Json = {
  status: number;
  name?: string;
  message?: string;
  actions?: string[];
  warnings?: string[];
  exitCode?: number;
  result: Result;
};

const used: OrgSeed = { vendorApps: [{ name: 'Inven', stage: 'used' }] };
const installed: OrgSeed = { vendorApps: [{ name: 'Inven', stage: 'installed' }] };

async function until(condition: () => boolean, what: string, limitMs = 60_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("sf ren connected-app (end to end, Inven's guide)", function () {
  this.timeout(240_000);
  let session: SfSession;

  const sf = async (command: 'status' | 'setup', ...args: string[]): Promise<SfResult & { body: Json }> => {
    const run = await session.sf(['ren', 'connected-app', command, '--target-org', session.alias, '--json', ...args]);
    return { ...run, body: run.json as Json };
  };
  const check = (body: Json, name: string): Check | undefined =>
    body.result?.checks?.find((c) => c.name.startsWith(name));
  const accessRows = () => session.emulator.org.directory.setupEntityAccess;
  const writes = () => session.emulator.requests.filter((r) => r.method !== 'GET' && r.path.includes('/sobjects/'));
  const installPolls = () =>
    session.emulator.requests.filter((r) => r.query?.includes('FROM ConnectedApplication WHERE Name')).length;
  const admin = () => session.emulator.org.sessionUser.Id;

  before(async () => {
    session = await startSfSession({ linkPlugin: true, seed: used });
  });
  beforeEach(() => {
    session.emulator.reset(used);
    session.emulator.requests.length = 0;
  });
  after(async () => {
    await session?.close();
  });

  it('never used: says so first, with the first-login steps and the exact Setup page, and does not install anything', async () => {
    session.emulator.reset({
      vendorApps: [
        { name: 'Inven', stage: 'never-used' },
        { name: 'Inven Sync', stage: 'used' },
      ],
    });
    const run = await session.sf(['ren', 'connected-app', 'setup', '--target-org', session.alias, '--wait', '0']);
    expect(run.code, run.stderr).to.equal(69);
    const neverUsed = run.stdout.indexOf('Inven has never been used in this org');
    const install = run.stdout.indexOf(
      `Then install it: Setup → Connected Apps OAuth Usage (${session.emulator.url}/lightning/setup/ConnectedAppsUsage/home)`,
    );
    expect(neverUsed, run.stdout).to.be.greaterThan(-1);
    expect(install).to.be.greaterThan(neverUsed);
    expect(run.stdout).to.include('Settings → Integrations → Salesforce → Login to Salesforce');
    expect(run.stdout).to.include('"Inven Sync"');
    expect(run.stderr).to.include('RenConnectedAppNotInstalledError');
    expect(run.stderr).to.include('Nobody has connected Inven yet');

    const status = await sf('status');
    expect(status.code).to.equal(1);
    expect(check(status.body, 'Used in the org')).to.include({ status: 'fail' });
    expect(check(status.body, 'Used in the org')?.fix).to.include('Login to Salesforce');
    expect(check(status.body, 'Installed')).to.include({ status: 'fail' });
    expect(status.body.result.stage).to.equal('never-used');
  });

  it('used but not installed: opens the page logged in, waits, and goes on once the admin clicks Install', async () => {
    // Before the install, a regular user is blocked (September 2025 rule); the admin is not.
    expect(session.emulator.org.connectedApps.authorize('Inven', 'sales@emulator.example.com')).to.include({
      granted: false,
      error_description: 'app must be installed into org',
    });
    const dir = mkdtempSync(join(tmpdir(), 'browser-'));
    const opened = join(dir, 'opened.txt');
    const browser = join(dir, 'browser.sh');
    writeFileSync(browser, `#!/bin/sh\nprintf '%s\\n' "$1" >> '${opened}'\n`);
    chmodSync(browser, 0o755);
    const pending = session.sf(
      ['ren', 'connected-app', 'setup', '--target-org', session.alias, '--open', '--wait', '2'],
      {
        env: { BROWSER: browser, DISPLAY: '', WAYLAND_DISPLAY: '' },
      },
    );
    // The command has read the app and polled once more: the admin clicks Install now.
    await until(() => installPolls() >= 2, 'the command to poll');
    session.emulator.org.connectedApps.install('Inven', admin());
    const run = await pending;
    expect(run.code, run.stdout + run.stderr).to.equal(0);
    expect(run.stdout).to.include(
      `Then install it: Setup → Connected Apps OAuth Usage (${session.emulator.url}/lightning/setup/ConnectedAppsUsage/home)`,
    );
    expect(run.stdout).to.include('Waiting for the Install click');
    expect(run.stdout).to.match(/Set up Inven in emulator\. \(installed after \d+ s of waiting\)/);
    // The front door link (with a one-time token) went to the browser only, never to the output.
    await until(
      () => existsSync(opened) && readFileSync(opened, 'utf8').split('\n').filter(Boolean).length >= 2,
      'the browser to be called twice',
    );
    const [usagePage, managePage] = readFileSync(opened, 'utf8')
      .trim()
      .split('\n')
      .map((line) => new URL(line));
    expect(usagePage.pathname).to.equal('/secur/frontdoor.jsp');
    expect(usagePage.searchParams.get('startURL')).to.equal('/lightning/setup/ConnectedAppsUsage/home');
    expect(managePage.searchParams.get('startURL')).to.equal('/lightning/setup/ConnectedApplication/home');
    expect(run.stdout).to.not.include('frontdoor.jsp');
    expect(run.stdout).to.include('Relax IP restrictions');
    expect(session.emulator.org.connectedApps.authorize('Inven', 'sales@emulator.example.com')).to.include({
      granted: true,
    });
  });

  it('times out with a clear error and exit code 69 when nobody installs it, having changed nothing', async () => {
    const { code, body } = await sf('setup', '--wait', '0', '--profile', 'Sales');
    expect(code).to.equal(69);
    expect(body.name).to.equal('RenConnectedAppNotInstalledError');
    expect(body.exitCode).to.equal(69);
    expect(body.message).to.match(
      /Inven is still not installed in emulator after waiting 0 minutes \(1 check\)\. Connected Apps OAuth Usage lists Inven with an Install button/,
    );
    expect(body.actions?.join('\n')).to.include(
      'sf ren connected-app setup --target-org emulator --app "Inven" --wait 15',
    );
    expect(body.warnings?.join('\n')).to.include('/lightning/setup/ConnectedAppsUsage/home');
    expect(writes()).to.deep.equal([]);
    expect(accessRows()).to.deep.equal([]);
  });

  it('already installed: verifies, names the setting no API shows, and a re-run writes nothing', async () => {
    session.emulator.reset(installed);
    const status = await sf('status');
    expect(status.code).to.equal(0);
    expect(status.body.result).to.include({
      name: 'Inven',
      stage: 'installed',
      ok: true,
      policySource: 'connected-application',
    });
    expect(check(status.body, 'Permitted Users')).to.include({
      status: 'pass',
      actual: 'All users may self-authorize',
    });
    expect(check(status.body, 'Refresh Token Policy')).to.include({
      status: 'pass',
      actual: 'Refresh token is valid until revoked',
    });
    expect(check(status.body, 'IP Relaxation')).to.include({
      status: 'unverified',
      expected: 'Relax IP restrictions',
      actual: 'cannot be verified here (no API shows it)',
    });
    expect(check(status.body, 'IP Relaxation')?.fix).to.include(
      `${session.emulator.url}/lightning/setup/ConnectedApplication/home`,
    );

    const first = await sf('setup');
    const second = await sf('setup');
    for (const run of [first, second]) {
      expect(run.code).to.equal(0);
      expect(run.body.result).to.include({ status: 'unchanged', installed: 'already', ok: true });
      expect(run.body.result.policies.checkByHand[0]).to.include('set IP Relaxation to "Relax IP restrictions"');
    }
    expect(writes()).to.deep.equal([]);
  });

  it('names every permission of the guide the user lacks, and changes nothing', async () => {
    session.emulator.reset({
      profiles: [
        {
          Name: 'Integration Admin',
          permissions: {
            PermissionsApiEnabled: true,
            PermissionsViewSetup: true,
            PermissionsCustomizeApplication: true,
            PermissionsManageRemoteAccess: true,
          },
        },
        { Name: 'Sales', permissions: { PermissionsApiEnabled: true } },
      ],
      // The sf login's username, now with a profile that lacks most of the guide's permissions.
      users: [{ Username: 'admin@emulator.example.com', LastName: 'Integration', profile: 'Integration Admin' }],
      vendorApps: [{ name: 'Inven', stage: 'never-used' }],
    });
    const status = await sf('status');
    expect(status.code).to.equal(1);
    expect(check(status.body, 'Your user has Approve Uninstalled Connected Apps')).to.include({
      status: 'fail',
      actual: 'missing, needed for the first login to the vendor',
    });
    expect(check(status.body, 'Your user has Manage Users')).to.include({
      status: 'fail',
      actual: 'missing, needed for installing the app',
    });
    expect(check(status.body, 'Your user has Manage Connected Apps')).to.include({ status: 'pass' });

    const setup = await sf('setup', '--profile', 'Sales');
    expect(setup.code).to.equal(1);
    expect(setup.body.name).to.equal('RenConnectedAppPermissionError');
    for (const permission of [
      'Approve Uninstalled Connected Apps (CanApproveUninstalledApps)',
      'Manage Users (ManageUsers)',
      'Modify All Data (ModifyAllData)',
      'Manage Profiles and Permission Sets (ManageProfilesPermissionsets)',
    ]) {
      expect(setup.body.message).to.include(permission);
    }
    expect(setup.body.message).to.not.include('Customize Application (CustomizeApplication)');
    expect(installPolls()).to.equal(2); // status read + setup read; no wait started
    expect(writes()).to.deep.equal([]);
  });

  it('pre-authorizes profiles and permission sets (validated, additive, idempotent) and removes them', async () => {
    session.emulator.reset(installed);
    const typo = await sf('setup', '--permitted-users', 'admin-approved', '--profile', 'Sles');
    expect(typo.body.name).to.equal('RenUnknownNameError');
    expect(typo.body.message).to.include('profile "Sles" (did you mean "Sales"?)');
    expect(accessRows()).to.deep.equal([]);

    const add = await sf(
      'setup',
      '--permitted-users',
      'admin-approved',
      '--profile',
      'sales',
      '--permission-set',
      'Ren_Users',
    );
    expect(add.body.result.preauthorization).to.deep.include({
      added: ['Sales', 'Ren_Users'],
      profiles: ['Sales'],
      permissionSets: ['Ren_Users'],
    });
    expect(accessRows()).to.have.length(2);
    // Permitted users is still "all users" in the org: no API sets it, so the step is named and the run fails.
    expect(add.code).to.equal(1);
    expect(add.body.result.policies.manualSteps[0]).to.include(
      'set Permitted Users to "Admin approved users are pre-authorized"',
    );
    session.emulator.org.connectedApps.setPolicies('Inven', {
      permittedUsers: 'AdminApprovedPreAuthorized',
      ipRelaxation: 'BYPASS',
    });

    const again = await sf(
      'setup',
      '--permitted-users',
      'admin-approved',
      '--profile',
      'Sales',
      '--permission-set',
      'Ren_Users',
    );
    expect(again.code).to.equal(0);
    expect(again.body.result).to.include({ status: 'unchanged' });
    expect(check(again.body, 'Pre-authorized profiles')).to.include({ status: 'pass' });
    expect(session.emulator.org.connectedApps.authorize('Inven', 'sales@emulator.example.com')).to.include({
      granted: true,
    });

    const remove = await sf('setup', '--permitted-users', 'admin-approved', '--remove', 'Sales');
    expect(remove.code).to.equal(0);
    expect(remove.body.result.preauthorization).to.deep.include({
      removed: ['Sales'],
      profiles: [],
      permissionSets: ['Ren_Users'],
    });
    expect(accessRows()).to.have.length(1);
    const removeAgain = await sf('setup', '--permitted-users', 'admin-approved', '--remove', 'Sales');
    expect(removeAgain.body.result.status).to.equal('unchanged');
    expect(removeAgain.body.warnings?.join(' ')).to.include(
      '"Sales" is not pre-authorized for Inven; there was nothing to remove.',
    );
  });

  it('reports policy drift with the exact page and setting', async () => {
    session.emulator.reset({
      vendorApps: [
        {
          name: 'Inven',
          stage: 'installed',
          policies: {
            permittedUsers: 'AdminApprovedPreAuthorized',
            refreshTokenPolicy: 'specific_inactivity:30:DAYS',
            ipRelaxation: 'ENFORCE',
          },
        },
      ],
    });
    // The details from --json (a table's cells may wrap with the terminal's width); the human summary as people see it.
    const { code, body } = await sf('status');
    expect(code).to.equal(1);
    expect(check(body, 'Permitted Users')).to.deep.include({
      status: 'fail',
      expected: 'All users may self-authorize',
      actual: 'Admin approved users are pre-authorized',
    });
    expect(check(body, 'Refresh Token Policy')).to.deep.include({
      status: 'fail',
      expected: 'Refresh token is valid until revoked',
      actual: 'Expire refresh token if not used for 30 units (the org does not show which)',
    });
    expect(check(body, 'Refresh Token Policy')?.fix).to.include(
      'Edit Policies → OAuth Policies: set Refresh Token Policy to "Refresh token is valid until revoked"',
    );
    expect(check(body, 'IP Relaxation')?.status).to.equal('unverified');
    const run = await session.sf(['ren', 'connected-app', 'status', '--target-org', session.alias]);
    expect(run.code).to.equal(1);
    expect(run.stdout).to.include('FAIL').and.include('CANNOT VERIFY');
    expect(run.stdout).to.include('does not follow the guide yet: 2 checks failed');
  });

  it('trusted IP ranges instead of relaxing IP restrictions: validated, then named step by step', async () => {
    const bad = await sf(
      'status',
      '--ip-range',
      '10.0.0.9-10.0.0.1',
      '--ip-range',
      '10.0.0.1-2001:db8::1',
      '--ip-range',
      'office',
    );
    expect(bad.code).to.equal(1);
    expect(bad.body.name).to.equal('RenInvalidConnectedAppDefinitionError');
    expect(bad.body.message)
      .to.include('10.0.0.9-10.0.0.1 starts after it ends')
      .and.include('mixes IPv4 and IPv6')
      .and.include('"office" is not an IPv4 or IPv6 address');
    expect(installPolls()).to.equal(0);

    session.emulator.reset(installed);
    const { code, body } = await sf(
      'setup',
      '--ip-range',
      '3.5.140.0-3.5.140.255',
      '--ip-range',
      '2001:db8::1-2001:db8::ff',
    );
    expect(code).to.equal(0);
    expect(check(body, 'IP Relaxation')).to.include({ status: 'unverified', expected: 'Enforce IP restrictions' });
    expect(check(body, 'Trusted IP Ranges')).to.include({
      status: 'unverified',
      expected: '3.5.140.0-3.5.140.255, 2001:db8::1-2001:db8::ff',
    });
    const steps = body.result.policies.checkByHand.join('\n');
    expect(steps).to.include('IP Ranges → New: Start IP Address 3.5.140.0, End IP Address 3.5.140.255');
    expect(steps).to.include('Start IP Address 2001:db8::1, End IP Address 2001:db8::ff');
  });

  it('writes the policies and IP ranges through the Metadata API when the org owns the app, and verifies them', async () => {
    session.emulator.reset({
      metadata: {
        ConnectedApp: {
          Acme_Sync: {
            label: 'Acme Sync',
            contactEmail: 'it@acme.example',
            oauthConfig: {
              callbackUrl: 'https://acme.example/cb',
              consumerKey: 'ACMEKEY123',
              scopes: ['Api', 'RefreshToken'],
            },
            oauthPolicy: { ipRelaxation: 'ENFORCE', refreshTokenPolicy: 'specific_lifetime:8:HOURS' },
          },
        },
      },
    });
    const args = ['--app', 'Acme Sync', '--ip-range', '3.5.140.0-3.5.140.255'];
    const before = await sf('status', ...args);
    expect(before.code).to.equal(1);
    expect(before.body.result.policySource).to.equal('metadata');
    expect(check(before.body, 'Refresh Token Policy')?.fix).to.equal(
      "sf ren connected-app setup --target-org emulator --app 'Acme Sync'",
    );

    const setup = await sf('setup', ...args);
    expect(setup.code, JSON.stringify(setup.body)).to.equal(0);
    expect(setup.body.result.policies.method).to.equal('metadata');
    expect(setup.body.result.policies.changes.map((c) => c.setting)).to.deep.equal(['refreshTokenPolicy', 'ipRanges']);
    expect(session.emulator.org.getComponent('ConnectedApp', 'Acme_Sync')?.record).to.deep.include({
      oauthPolicy: { ipRelaxation: 'ENFORCE', refreshTokenPolicy: 'infinite' },
      ipRanges: [{ start: '3.5.140.0', end: '3.5.140.255' }],
    });
    // Only what no API shows stays "cannot verify": whether the app is blocked (docs/salesforce.md §10.10).
    expect(setup.body.result.checks.filter((c) => c.status === 'unverified').map((c) => c.name)).to.deep.equal([
      'Not blocked (Connected Apps OAuth Usage)',
    ]);
    const again = await sf('setup', ...args);
    expect(again.body.result.status).to.equal('unchanged');
  });
});
