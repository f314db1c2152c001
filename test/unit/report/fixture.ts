/*
 * A readiness report as the collector makes it, for the renderer tests: a ready org, a failing one (drift, with a
 * hostile name and values to prove the escaping), a pending one and one that could not be read.
 */
import { countByStatus } from '../../../src/shared/checks.js';
import { readiness } from '../../../src/report/collect.js';
import type { OrgReport, ReadinessReport, ReportCheck } from '../../../src/report/types.js';

export const HOSTILE = '<script>alert("x")</script>&<img src=x onerror=alert(1)>|*_[x](http://evil.example)`';
export const HOST = 'acme.my.salesforce.com';
const ECA = '/lightning/setup/ManageExternalClientApplication/home';

const pass = (name: string, group: ReportCheck['group'] = 'app'): ReportCheck => ({
  name,
  status: 'pass',
  expected: 'x',
  actual: 'x',
  group,
});

function org(name: string, checks: ReportCheck[], extra: Partial<OrgReport> = {}): OrgReport {
  return {
    org: name,
    username: `admin@${name}.example.com`,
    orgId: '00D5j000000AbCdEAF',
    loginUrl: `https://${HOST}`,
    edition: 'Enterprise Edition',
    status: extra.error ? 'failing' : readiness(checks),
    counts: countByStatus(checks),
    checks,
    usage: {
      users: 2,
      tokens: 3,
      lastUsed: '2026-03-01T10:00:00.000+0000',
      newestToken: '2026-02-01T10:00:00.000+0000',
      oldestToken: '2025-01-01T10:00:00.000+0000',
    },
    ...extra,
  };
}

export function sampleReport(): ReadinessReport {
  const orgs: OrgReport[] = [
    org('client1', [
      pass('Org: edition', 'org'),
      pass('The app exists'),
      pass("Live OAuth probe: Salesforce accepts Ren's login request"),
    ]),
    org(
      HOSTILE,
      [
        pass('Org: edition', 'org'),
        {
          name: 'Callback URL (callbackUrl)',
          status: 'fail',
          expected: 'https://app.rensystems.com/api/salesforce/auth_callback',
          actual: HOSTILE,
          fix: 'sf ren app create --target-org admin@client2.example.com',
          group: 'app',
          setup: { page: 'External Client App Manager', path: ECA, url: `https://${HOST}${ECA}` },
        },
        {
          name: 'Your user can rotate the key and secret (sf ren connect --rotate)',
          status: 'warn',
          expected: 'granted',
          actual: 'missing "View Client Secret" (ViewClientSecret)',
          fix: 'Ask an admin for the permissions named.',
          group: 'user',
          setup: {
            page: 'Users',
            path: '/lightning/setup/ManageUsers/home',
            url: `https://${HOST}/lightning/setup/ManageUsers/home`,
          },
        },
        {
          name: 'Not blocked (Connected Apps OAuth Usage)',
          status: 'unverified',
          expected: 'not blocked',
          actual: 'no API shows it',
          fix: 'Look at Connected Apps OAuth Usage.',
          group: 'connected-app',
          setup: { page: 'Connected Apps OAuth Usage', path: '/lightning/setup/ConnectedAppsUsage/home' },
        },
      ],
      { connectedApp: { name: 'Inven', stage: 'installed' } },
    ),
    org('client3', [
      pass('The app exists'),
      {
        name: "Live OAuth probe: Salesforce accepts Ren's login request",
        status: 'pending',
        expected: 'a redirect to the login page',
        actual: 'invalid_client_id; the app or its callback URL changed at 2026-03-01T10:00:00.000Z',
        fix: 'Nothing to fix: wait a few minutes, then check again: sf ren app status --target-org client3 --probe-wait 10',
        group: 'app',
        setup: { page: 'External Client App Manager', path: ECA, url: `https://${HOST}${ECA}` },
      },
    ]),
    {
      org: 'typo',
      status: 'failing',
      counts: { pass: 0, fail: 1, warn: 0, unverified: 0, pending: 0 },
      checks: [
        {
          name: 'Reading the org',
          status: 'fail',
          expected: 'the org answers',
          actual: 'NamedOrgNotFoundError: No authorization information found for typo.',
          group: 'org',
        },
      ],
      error: { name: 'NamedOrgNotFoundError', message: 'No authorization information found for typo.' },
    },
  ];
  return {
    generatedAt: '2026-03-02T09:00:00.000Z',
    app: 'ren',
    connectedApp: 'Inven',
    redacted: false,
    summary: { orgs: 4, ready: 1, pending: 1, failing: 2 },
    ok: false,
    pending: false,
    orgs,
  };
}
