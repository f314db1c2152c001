/*
 * The report's collector against the in-process emulator: one org read whole (prerequisites, every status check,
 * usage, a vendor connected app), its verdict, and that reading changes nothing in the org.
 */
import { expect } from 'chai';
import { mergeDefinition as mergeConnectedApp } from '../../../src/connectedApp/definition.js';
import { mergeDefinition } from '../../../src/eca/definition.js';
import { collectOrg, readiness, type ReportOptions, unreadOrg } from '../../../src/report/collect.js';
import type { OrgReport } from '../../../src/report/types.js';
import { useEmulator } from '../../emulator/test/helpers.js';
import { renOrgSeed } from '../../e2e/renOrg.js';

const OPTIONS: ReportOptions = { app: 'ren', redact: false };
const WHO = { name: 'client1', username: 'admin@emulator.example.com', orgId: '00D000000000001AAA' };

const find = (report: OrgReport, name: string) => report.checks.find((c) => c.name.startsWith(name));

/** The requests that could change an org: anything but a read. */
function writes(requests: Array<{ method: string; path: string; soapMethod?: string }>): string[] {
  const readSoap = new Set(['listMetadata', 'readMetadata', 'describeMetadata', 'checkRetrieveStatus']);
  return requests
    .filter((r) =>
      r.soapMethod ? !readSoap.has(r.soapMethod) : r.method !== 'GET' && !r.path.endsWith('/oauth2/authorize'),
    )
    .map((r) => `${r.method} ${r.path} ${r.soapMethod ?? ''}`);
}

describe('report: one org read whole', () => {
  const ready = useEmulator(
    renOrgSeed(
      {},
      {
        organization: { OrganizationType: 'Enterprise Edition' },
        oauthTokens: [
          { AppName: 'Ren', UseCount: 3, LastUsedDate: '2026-03-01T10:00:00.000Z' },
          { AppName: 'Ren', UseCount: 1, LastUsedDate: '2026-02-01T10:00:00.000Z' },
          { AppName: 'Someone else', UseCount: 9, LastUsedDate: '2026-04-01T10:00:00.000Z' },
        ],
      },
    ),
  );

  it('an org set up as the guide says is ready: prerequisites, every status check and usage', async () => {
    const before = ready.emulator.requests.length;
    const report = await collectOrg(ready.conn, WHO, mergeDefinition(), OPTIONS);
    expect(report.status, JSON.stringify(report.checks.filter((c) => c.status !== 'pass'))).to.equal('ready');
    expect(report.edition).to.equal('Enterprise Edition');
    expect(report.loginUrl).to.equal(ready.emulator.url);
    // Prerequisites first, then the user's steps, then the app's checks.
    expect([...new Set(report.checks.map((c) => c.group))]).to.deep.equal(['org', 'user', 'app']);
    expect(find(report, 'Org: edition')).to.deep.include({ status: 'pass', actual: 'Enterprise Edition' });
    expect(find(report, 'Org: My Domain')).to.deep.include({ status: 'pass', actual: ready.emulator.url });
    expect(find(report, 'Org: Allow Authorization Code')?.group).to.equal('org');
    expect(find(report, 'Live OAuth probe')).to.deep.include({ status: 'pass', group: 'app' });
    // Status's two permission checks are replaced by the step-by-step ones, never shown twice.
    expect(report.checks.filter((c) => c.name.startsWith('Your user can read the consumer secret'))).to.have.length(0);
    expect(report.checks.filter((c) => c.group === 'user').map((c) => c.status)).to.deep.equal([
      'pass',
      'pass',
      'pass',
      'pass',
    ]);
    // Two tokens of Ren's app (by its label), by one user; the other app's token is not counted.
    // Dates as Salesforce answers them (+0000).
    expect(report.usage).to.deep.include({ tokens: 2, users: 1, lastUsed: '2026-03-01T10:00:00.000+0000' });
    expect(report.usage?.newestToken).to.be.a('string');
    expect(report.counts.pass).to.equal(report.checks.length);
    expect(writes(ready.emulator.requests.slice(before))).to.deep.equal([]);
  });

  it('passing checks carry no Setup link; the rest link into the org’s own domain', async () => {
    ready.emulator.org.settings.ExternalClientAppSettings.enableClientSecretInRestApiAccess = true;
    try {
      const report = await collectOrg(ready.conn, WHO, mergeDefinition(), OPTIONS);
      expect(report.checks.filter((c) => c.status === 'pass').every((c) => c.setup === undefined)).to.equal(true);
      const secret = find(report, 'Org: consumer secrets');
      expect(secret?.status).to.equal('warn');
      expect(secret?.setup).to.deep.equal({
        page: 'External Client App Settings',
        path: '/lightning/setup/ExternalClientApplicationSettings/home',
        url: `${ready.emulator.url}/lightning/setup/ExternalClientApplicationSettings/home`,
      });
      // A warning is not a failure: the org is still ready.
      expect(report.status).to.equal('ready');
    } finally {
      ready.emulator.org.settings.ExternalClientAppSettings.enableClientSecretInRestApiAccess = false;
    }
  });

  it('with a vendor connected app: its checks as connected-app status gives them, never used yet', async () => {
    const report = await collectOrg(ready.conn, WHO, mergeDefinition(), {
      ...OPTIONS,
      connectedApp: mergeConnectedApp({ name: 'Inven' }),
    });
    expect(report.connectedApp).to.deep.equal({ name: 'Inven', stage: 'never-used' });
    const vendor = report.checks.filter((c) => c.group === 'connected-app');
    expect(vendor.map((c) => c.name)).to.include('Used in the org (first admin login)');
    const used = vendor.find((c) => c.name.startsWith('Used in the org'));
    expect(used?.status).to.equal('fail');
    expect(used?.setup?.path).to.equal('/lightning/setup/ConnectedAppsUsage/home');
    expect(report.status).to.equal('failing');
  });
});

describe('report: an org with drift, and an org without the app', () => {
  const drifted = useEmulator(
    renOrgSeed(
      { global: { callbackUrl: 'https://evil.example.com/cb' } },
      { organization: { OrganizationType: 'Professional Edition' } },
    ),
  );

  it('fails the drifted setting with its fix and Setup link, and an edition without the flow', async () => {
    const report = await collectOrg(drifted.conn, WHO, mergeDefinition(), OPTIONS);
    expect(report.status).to.equal('failing');
    const callback = find(report, 'Callback URL');
    expect(callback).to.deep.include({ status: 'fail', actual: 'https://evil.example.com/cb' });
    expect(callback?.fix).to.equal('sf ren app create --target-org client1');
    expect(callback?.setup?.url).to.equal(
      `${drifted.emulator.url}/lightning/setup/ManageExternalClientApplication/home`,
    );
    const edition = find(report, 'Org: edition');
    expect(edition).to.deep.include({ status: 'fail', actual: 'Professional Edition' });
    expect(edition?.fix).to.match(/Enterprise, Unlimited, Developer and Performance/);
  });

  it('an org without the app still gets its prerequisites', async () => {
    const report = await collectOrg(drifted.conn, WHO, mergeDefinition(), { ...OPTIONS, app: 'absent_app' });
    expect(find(report, 'The app exists')).to.deep.include({ status: 'fail' });
    expect(report.checks.filter((c) => c.group === 'org').length).to.be.greaterThan(3);
    expect(report.usage).to.deep.include({ tokens: 0, users: 0 });
  });
});

describe('report: verdicts', () => {
  it('failing beats pending, pending beats ready; warnings and cannot-verify are ready', () => {
    const check = (status: 'pass' | 'fail' | 'warn' | 'unverified' | 'pending') => ({
      name: status,
      status,
      expected: '',
      actual: '',
    });
    expect(readiness([check('pass'), check('warn'), check('unverified')])).to.equal('ready');
    expect(readiness([check('pass'), check('pending')])).to.equal('pending');
    expect(readiness([check('pending'), check('fail')])).to.equal('failing');
  });

  it('an org that cannot be read is failing, with the error and its fix as its one check', () => {
    const report = unreadOrg({ name: 'typo' }, new Error('No authorization information found for typo.'));
    expect(report.status).to.equal('failing');
    expect(report.checks).to.have.length(1);
    expect(report.checks[0]).to.deep.include({ status: 'fail', group: 'org' });
    expect(report.checks[0].actual).to.include('No authorization information found for typo.');
    expect(report.error?.message).to.include('typo');
  });
});
