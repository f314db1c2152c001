import { expect } from 'chai';
import { Ux } from '@salesforce/sf-plugins-core';
import { checkRows, CHECK_TABLE, type Check } from '../../../src/shared/checks.js';
import { fitTable, LOG_WIDTH, shareWidths, tableWidth } from '../../../src/shared/table.js';

const LONG_FIX =
  'sf ren app create --target-org acme-production --app acme_sync --definition ./vendors/acme/definition.json --api-version 64.0';
const checks: Check[] = [
  { name: 'App exists', status: 'pass', expected: 'deployed', actual: 'deployed' },
  {
    name: 'Permission set assigned to the integration user',
    status: 'fail',
    expected: 'Ren_Integration',
    actual: 'none',
    fix: LONG_FIX,
  },
  {
    name: 'Callback URL',
    status: 'fail',
    expected: 'https://login.ren.example/oauth/callback',
    actual: 'https://acme.example/cb',
    fix: 'Setup > App Manager > acme_sync > Edit',
  },
];
const SECRET = 'F3C1D9A27B6E4C08A5D2B7E1F9C04A3D6B8E2F7A1C5D9E3B0F4A8C2D6E1B7F9A';
const KEY = '3MVG9rZjd7MXFdLgUEh9s7hXq.4mUJcVNLyRfFo0dsSVXwsvTw1xUkL_yErFWgCjmH5tW1Fm2gH8oXqR2AtbV5f';

function render(options: ReturnType<typeof fitTable>['table']): string[] {
  return new Ux().makeTable(options).split('\n');
}

describe('tables that fit (shared/table.ts)', () => {
  const saved = process.env.OCLIF_TABLE_COLUMN_OVERRIDE;
  afterEach(() => {
    if (saved === undefined) delete process.env.OCLIF_TABLE_COLUMN_OVERRIDE;
    else process.env.OCLIF_TABLE_COLUMN_OVERRIDE = saved;
  });

  it('fits the terminal, else LOG_WIDTH, and follows @oclif/table’s own override', () => {
    delete process.env.OCLIF_TABLE_COLUMN_OVERRIDE;
    expect(tableWidth({ isTTY: true, columns: 80 })).to.equal(80);
    expect(tableWidth({ isTTY: true, columns: 200 })).to.equal(200);
    expect(tableWidth({ isTTY: undefined, columns: undefined })).to.equal(LOG_WIDTH);
    expect(tableWidth({ isTTY: true, columns: 0 })).to.equal(LOG_WIDTH);
    process.env.OCLIF_TABLE_COLUMN_OVERRIDE = '95';
    expect(tableWidth({ isTTY: undefined })).to.equal(95);
  });

  for (const width of [80, LOG_WIDTH]) {
    it(`at ${width} columns: wraps, never truncates, and moves long fixes under the table keyed by check`, () => {
      const { table, below } = fitTable(checkRows(checks), { ...CHECK_TABLE, width });
      expect(table.overflow).to.equal('wrap');
      expect(table.maxWidth).to.equal(width);
      const lines = render(table);
      for (const line of lines) expect(line.length, line).to.be.at.most(width);
      expect(lines.join('\n')).not.to.include('…');
      expect(below).to.include(`  Permission set assigned to the integration user: ${LONG_FIX}`);
      // Every word of every check name is in the table (wrapping may put them on separate lines).
      const text = lines.join(' ');
      for (const word of checks.flatMap((c) => c.name.split(' '))) expect(text).to.include(word);
    });
  }

  it('leaves a table that fits alone: no list, every fix whole on its row', () => {
    const { table, below } = fitTable(checkRows(checks), { ...CHECK_TABLE, width: 300 });
    expect(below).to.deep.equal([]);
    expect(table.columns).to.equal(undefined);
    const lines = render(table);
    expect(lines.some((line) => line.includes(LONG_FIX))).to.equal(true);
  });

  it('keeps a secret and a key in one piece at 80 columns', () => {
    const rows = [
      { Field: 'Login URL', Value: 'https://login.salesforce.com' },
      { Field: 'Consumer Key', Value: KEY },
      { Field: 'Consumer Secret', Value: SECRET },
      { Field: 'Org Id', Value: '00D000000000001AAA' },
    ];
    const { table, below } = fitTable(rows, { whole: ['Value'], key: 'Field', width: 80 });
    expect(below).to.deep.equal(['Value:', `  Consumer Key: ${KEY}`, `  Consumer Secret: ${SECRET}`]);
    const lines = render(table);
    for (const line of lines) expect(line.length).to.be.at.most(80);
    expect(lines.join('\n')).to.include('https://login.salesforce.com');
  });

  it('shares a narrow width so that every column keeps its header and its words (up to 24 characters)', () => {
    const rows = checkRows(checks);
    const widths = shareWidths(rows, ['Check', 'Status', 'Expected', 'Actual'], 80);
    expect(widths.reduce((a, b) => a + b, 0) + 5).to.equal(80);
    // "integration" (11) and "https://acme.example/cb" (23) stay on one line each, with padding.
    expect(widths[0]).to.be.at.least(13);
    expect(widths[3]).to.equal(25);
  });

  it('never breaks a word of the key column (the row’s name), however long', () => {
    const rows = [
      { Check: 'Your user has Approve Uninstalled Connected Apps (CanApproveUninstalledApps)', Status: 'PASS' },
    ];
    const [check] = shareWidths(rows, ['Check', 'Status'], 40, 'Check');
    expect(check).to.equal('(CanApproveUninstalledApps)'.length + 2);
  });

  it('when even whole words do not fit, the other columns break theirs first, the key column last', () => {
    const rows = [
      {
        Check: 'Permitted users (permittedUsersPolicyType)',
        Expected: 'AdminApprovedPreAuthorized',
        Actual: 'AdminApprovedPreAuthorized',
      },
    ];
    const widths = shareWidths(rows, ['Check', 'Expected', 'Actual'], 60, 'Check');
    expect(widths[0]).to.equal('(permittedUsersPolicyType)'.length + 2);
    expect(widths.reduce((a, b) => a + b, 0) + 4).to.equal(60);
  });

  it('drops a column whose values all moved below', () => {
    const rows = [{ Org: 'acme', Credentials: `written: /home/someone/${'deep/'.repeat(20)}ren.json` }];
    const { table, below } = fitTable(rows, { whole: ['Credentials'], key: 'Org', width: 60 });
    expect(table.columns).to.deep.equal(['Org']);
    expect(below[1]).to.equal(`  acme: ${rows[0].Credentials}`);
  });
});
