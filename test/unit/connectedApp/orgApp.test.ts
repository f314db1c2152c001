import { expect } from 'chai';
import { readConnectedApp, readInstallState } from '../../../src/connectedApp/orgApp.js';
import { fakeOrg, sessionError } from './fakeOrg.js';

const row = {
  Id: '0H4000000000001AAA',
  Name: 'Inven',
  OptionsAllowAdminApprovedUsersOnly: false,
  OptionsRefreshTokenValidityMetric: false,
  RefreshTokenValidityPeriod: null,
};

describe('connected app: reading it from the org', () => {
  it('tells the three stages apart from ConnectedApplication and OauthToken', async () => {
    const never = fakeOrg();
    expect(await readInstallState(never.conn, "Inven's")).to.deep.equal({
      stage: 'never-used',
      row: undefined,
      usage: { tokens: 0, users: 0, lastUsed: undefined },
    });
    expect(never.soql).to.include(
      "SELECT Id, Name, OptionsAllowAdminApprovedUsersOnly, OptionsRefreshTokenValidityMetric, RefreshTokenValidityPeriod FROM ConnectedApplication WHERE Name = 'Inven\\'s'",
    );
    const tokens = [
      [
        'FROM OauthToken WHERE',
        [
          { UserId: '005A', LastUsedDate: '2025-01-02T00:00:00.000+0000' },
          { UserId: '005A', LastUsedDate: '2025-03-02T00:00:00.000+0000' },
          { UserId: '005B', LastUsedDate: null },
        ],
      ],
    ] as const;
    const usedOrg = fakeOrg({ queries: [...tokens] as never });
    expect(await readInstallState(usedOrg.conn, 'Inven')).to.deep.include({
      stage: 'used',
      usage: { tokens: 3, users: 2, lastUsed: '2025-03-02T00:00:00.000+0000' },
    });
    const installedOrg = fakeOrg({ queries: [['FROM ConnectedApplication WHERE', [row]]] });
    expect(await readInstallState(installedOrg.conn, 'inven')).to.deep.include({ stage: 'installed', row });
  });

  it('suggests look-alike names when the org knows none by the name asked', async () => {
    const org = fakeOrg({
      queries: [
        ['SELECT Name FROM ConnectedApplication', [{ Name: 'Inven Sync' }, { Name: 'Workbench' }]],
        ['SELECT AppName FROM OauthToken', [{ AppName: 'Inven Sync' }, { AppName: 'Salesforce CLI' }]],
      ],
    });
    const app = await readConnectedApp(org.conn, 'Inven');
    expect(app).to.deep.include({ stage: 'never-used', suggestions: ['Inven Sync'] });
  });

  it('finds an owned app in the Metadata API by API name or label; a foreign one is not there', async () => {
    const installed: Array<[string, Array<Record<string, unknown>>]> = [
      ['FROM ConnectedApplication WHERE', [{ ...row, Name: 'Acme Sync' }]],
    ];
    const byName = fakeOrg({
      queries: installed,
      listed: [{ fullName: 'Other' }, { fullName: 'Acme_Sync' }],
      records: { Acme_Sync: { fullName: 'Acme_Sync', label: 'Acme Sync' } },
    });
    expect((await readConnectedApp(byName.conn, 'Acme Sync')).owned).to.deep.equal({
      fullName: 'Acme_Sync',
      record: { fullName: 'Acme_Sync', label: 'Acme Sync' },
    });
    const byLabel = fakeOrg({
      queries: installed,
      listed: { fullName: 'AcmeApp' } as never,
      records: { AcmeApp: { fullName: 'AcmeApp', label: 'Acme Sync' } },
    });
    expect((await readConnectedApp(byLabel.conn, 'Acme Sync')).owned?.fullName).to.equal('AcmeApp');
    const foreign = fakeOrg({
      queries: [['FROM ConnectedApplication WHERE', [row]]],
      listed: [{ fullName: 'Other' }],
      records: { Other: { fullName: 'Other', label: 'Other' } },
    });
    expect((await readConnectedApp(foreign.conn, 'Inven')).owned).to.equal(undefined);
  });

  it('goes on without the Metadata API when the org refuses it, but not on an expired session', async () => {
    const refused = fakeOrg({
      listed: Object.assign(new Error('INSUFFICIENT_ACCESS: no'), { errorCode: 'INSUFFICIENT_ACCESS' }),
    });
    expect(await readConnectedApp(refused.conn, 'Inven')).to.deep.include({
      metadataUnavailable: 'INSUFFICIENT_ACCESS: no',
    });
    const expired = fakeOrg({ listed: sessionError() });
    expect(await readConnectedApp(expired.conn, 'Inven').catch((e: Error) => e.name)).to.equal('INVALID_SESSION_ID');
  });
});
