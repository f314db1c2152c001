/*
 * --redact: nothing that names an org's users, its id or its hosts is left in any text of its report, in any
 * format; aliases stay, an org named by its username becomes "org N".
 */
import { expect } from 'chai';
import { redactOrgReport } from '../../../src/report/redact.js';
import { render } from '../../../src/report/render/index.js';
import type { OrgReport } from '../../../src/report/types.js';
import { HOST, sampleReport } from './fixture.js';

const USERNAME = 'admin@client2.example.com';
const ORG_ID = '00D5j000000AbCdEAF';

function orgWithIdentifiers(name: string): OrgReport {
  const org = sampleReport().orgs[1];
  return {
    ...org,
    org: name,
    username: USERNAME,
    orgId: ORG_ID,
    loginUrl: `https://${HOST}`,
    usageError: `INSUFFICIENT_ACCESS for ${USERNAME} in ${ORG_ID.slice(0, 15)}`,
    checks: [
      ...org.checks,
      {
        name: 'Live OAuth probe',
        status: 'fail',
        expected: 'a redirect',
        actual: `rejected at https://${HOST.toUpperCase()}/services/oauth2/authorize for org ${ORG_ID}`,
        fix: `sf ren app status --target-org ${USERNAME}`,
        group: 'app',
        setup: { page: 'External Client App Manager', path: '/x', url: `https://${HOST}/x` },
      },
    ],
  };
}

describe('report: --redact', () => {
  it('takes usernames, org ids (15 and 18 characters) and the org’s hosts out of every text', () => {
    const redacted = redactOrgReport(orgWithIdentifiers('client2'), 2, ['https://na99.salesforce.com/']);
    const text = JSON.stringify(redacted);
    for (const hidden of [USERNAME, ORG_ID, ORG_ID.slice(0, 15), HOST, 'na99.salesforce.com'])
      expect(text.toLowerCase()).not.to.include(hidden.toLowerCase());
    expect(redacted).not.to.have.any.keys('username', 'orgId', 'loginUrl');
    const probe = redacted.checks.find((c) => c.name === 'Live OAuth probe')!;
    expect(probe.actual).to.equal('rejected at https://<my-domain>/services/oauth2/authorize for org <org id>');
    expect(probe.fix).to.equal('sf ren app status --target-org <username>');
    // A Setup link keeps its page and path, never the org's host.
    expect(probe.setup).to.deep.equal({ page: 'External Client App Manager', path: '/x' });
    expect(redacted.usageError).to.equal('INSUFFICIENT_ACCESS for <username> in <org id>');
  });

  it('keeps an alias, and shows an org named by a username as "org N"', () => {
    expect(redactOrgReport(orgWithIdentifiers('client2'), 2).org).to.equal('client2');
    expect(redactOrgReport(orgWithIdentifiers(USERNAME), 2).org).to.equal('org 2');
    expect(redactOrgReport(orgWithIdentifiers(`client2, ${USERNAME}`), 2).org).to.equal('client2');
    // A name sf did not know is hidden too when it looks like a username.
    const unknown = redactOrgReport(
      {
        ...sampleReport().orgs[3],
        org: 'typo@nowhere.example',
        error: { name: 'E', message: 'No org typo@nowhere.example' },
      },
      4,
    );
    expect(unknown.org).to.equal('org 4');
    expect(JSON.stringify(unknown)).not.to.include('typo@nowhere.example');
  });

  it('leaves nothing to find in any format', () => {
    const report = sampleReport();
    report.redacted = true;
    report.orgs = report.orgs.map((org, i) => redactOrgReport(i === 1 ? orgWithIdentifiers(USERNAME) : org, i + 1));
    for (const format of ['html', 'markdown', 'junit', 'json'] as const) {
      const out = render(report, format);
      for (const hidden of [USERNAME, ORG_ID, ORG_ID.slice(0, 15), HOST, 'admin@client1.example.com'])
        expect(out, `${format}: ${hidden}`).not.to.include(hidden);
    }
    // The HTML links to no org at all then: its Setup pages are paths only.
    expect(render(report, 'html')).not.to.match(/href="https?:/);
    expect(render(report, 'html')).to.include('Usernames, org ids and the orgs&#39; own domains are hidden');
  });
});
