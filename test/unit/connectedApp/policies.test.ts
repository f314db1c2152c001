import { expect } from 'chai';
import { INVEN_PRESET, mergeDefinition } from '../../../src/connectedApp/definition.js';
import type { OrgConnectedApp } from '../../../src/connectedApp/orgApp.js';
import {
  plannedOwnedRecord,
  policyChecks,
  readPolicies,
  saveOwnedApp,
  setupPages,
} from '../../../src/connectedApp/policies.js';
import { fakeOrg } from './fakeOrg.js';

const pages = setupPages('https://acme.my.salesforce.com/');
const row = (extra: Partial<NonNullable<OrgConnectedApp['row']>> = {}): OrgConnectedApp => ({
  name: 'Inven',
  stage: 'installed',
  usage: { tokens: 1, users: 1 },
  suggestions: [],
  row: {
    Id: '0H4000000000001AAA',
    Name: 'Inven',
    OptionsAllowAdminApprovedUsersOnly: false,
    OptionsRefreshTokenValidityMetric: false,
    RefreshTokenValidityPeriod: null,
    ...extra,
  },
});

describe('connected app: policies', () => {
  it("names the two Setup pages on the org's own domain", () => {
    expect(pages).to.deep.equal({
      oauthUsage: 'https://acme.my.salesforce.com/lightning/setup/ConnectedAppsUsage/home',
      manageApps: 'https://acme.my.salesforce.com/lightning/setup/ConnectedApplication/home',
    });
  });

  it('reads what ConnectedApplication shows: permitted users and the refresh token period, not IP settings', () => {
    expect(readPolicies(row())).to.deep.equal({
      source: 'connected-application',
      permittedUsers: 'AllSelfAuthorized',
      refreshToken: { policy: 'infinite' },
    });
    expect(readPolicies(row({ RefreshTokenValidityPeriod: 0 }))?.refreshToken).to.deep.equal({ policy: 'zero' });
    expect(
      readPolicies(
        row({
          RefreshTokenValidityPeriod: 30,
          OptionsRefreshTokenValidityMetric: true,
          OptionsAllowAdminApprovedUsersOnly: true,
        }),
      ),
    ).to.deep.include({
      permittedUsers: 'AdminApprovedPreAuthorized',
      refreshToken: { policy: 'specific_inactivity', validity: 30 },
    });
    expect(readPolicies({ ...row(), row: undefined, stage: 'used' })).to.equal(undefined);
  });

  it('reads every policy from an owned ConnectedApp component', () => {
    const app = {
      ...row(),
      owned: {
        fullName: 'Acme',
        record: {
          fullName: 'Acme',
          oauthConfig: { isAdminApproved: 'true' },
          oauthPolicy: { ipRelaxation: 'BYPASS', refreshTokenPolicy: 'specific_lifetime:8:HOURS' },
          ipRanges: { start: '1.1.1.1', end: '1.1.1.9' },
        },
      },
    };
    expect(readPolicies(app)).to.deep.equal({
      source: 'metadata',
      permittedUsers: 'AdminApprovedPreAuthorized',
      refreshToken: { policy: 'specific_lifetime', validity: 8, unit: 'HOURS' },
      ipRelaxation: 'BYPASS',
      ipRanges: [{ start: '1.1.1.1', end: '1.1.1.9' }],
    });
  });

  it('passes readable settings that match, fails drift with its Setup step, and never passes what it cannot read', () => {
    const checks = policyChecks(INVEN_PRESET, readPolicies(row({ OptionsAllowAdminApprovedUsersOnly: true }))!, pages);
    expect(checks.map((c) => [c.name, c.status])).to.deep.equal([
      ['Permitted Users', 'fail'],
      ['Refresh Token Policy', 'pass'],
      ['IP Relaxation', 'unverified'],
    ]);
    expect(checks[0].fix).to.equal(
      'Setup → Manage Connected Apps (https://acme.my.salesforce.com/lightning/setup/ConnectedApplication/home) → Inven → Edit Policies → OAuth Policies: set Permitted Users to "All users may self-authorize", then Save.',
    );
    expect(checks[2]).to.include({
      expected: 'Relax IP restrictions',
      actual: 'cannot be verified here (no API shows it)',
    });
  });

  it('cannot verify a specific refresh token unit ConnectedApplication does not show', () => {
    const def = mergeDefinition({
      refreshTokenPolicy: 'specific_lifetime',
      refreshTokenValidity: 8,
      refreshTokenUnit: 'HOURS',
    });
    const [, refresh] = policyChecks(def, readPolicies(row({ RefreshTokenValidityPeriod: 8 }))!, pages);
    expect(refresh).to.include({
      status: 'unverified',
      actual: 'Expire refresh token after 8 units (the org does not show which)',
    });
    const [, other] = policyChecks(def, readPolicies(row({ RefreshTokenValidityPeriod: 9 }))!, pages);
    expect(other.status).to.equal('fail');
  });

  it('checks trusted IP ranges one by one when they can be read, and names each New range step when not', () => {
    const def = mergeDefinition({
      ipRanges: [
        { start: '1.1.1.1', end: '1.1.1.9' },
        { start: '2.2.2.2', end: '2.2.2.2' },
      ],
    });
    const foreign = policyChecks(def, readPolicies(row())!, pages).find((c) => c.name === 'Trusted IP Ranges')!;
    expect(foreign.status).to.equal('unverified');
    expect(foreign.fix?.split('\n')).to.have.length(2);
    const owned = {
      ...row(),
      owned: { fullName: 'Acme', record: { ipRanges: [{ start: '1.1.1.1', end: '1.1.1.9' }] } },
    };
    const check = policyChecks(def, readPolicies(owned)!, pages, 'sf ren connected-app setup').find(
      (c) => c.name === 'Trusted IP Ranges',
    )!;
    expect(check).to.include({ status: 'fail', actual: '1.1.1.1-1.1.1.9', fix: 'sf ren connected-app setup' });
  });

  it("plans an owned app's record with only the policy fields changed, ranges added, and never a secret", () => {
    const owned = {
      fullName: 'Acme',
      record: {
        fullName: 'Acme',
        label: 'Acme',
        oauthConfig: {
          callbackUrl: 'https://acme.example/cb',
          consumerKey: 'K',
          consumerSecret: 'S',
          isAdminApproved: true,
        },
        oauthPolicy: { ipRelaxation: 'ENFORCE', refreshTokenPolicy: 'infinite' },
        ipRanges: [{ start: '9.9.9.9', end: '9.9.9.9' }],
      },
    };
    const app = { ...row(), owned };
    const def = mergeDefinition({ ipRanges: [{ start: '1.1.1.1', end: '1.1.1.9' }] });
    def.ipRelaxation = 'ENFORCE';
    const { record, changes } = plannedOwnedRecord(owned, def, readPolicies(app)!);
    expect(changes.map((c) => c.setting)).to.deep.equal(['permittedUsers', 'ipRanges']);
    expect(record).to.deep.equal({
      fullName: 'Acme',
      label: 'Acme',
      oauthConfig: { callbackUrl: 'https://acme.example/cb', consumerKey: 'K', isAdminApproved: false },
      oauthPolicy: { ipRelaxation: 'ENFORCE', refreshTokenPolicy: 'infinite' },
      ipRanges: [
        { start: '9.9.9.9', end: '9.9.9.9' },
        { start: '1.1.1.1', end: '1.1.1.9' },
      ],
    });
    const same = plannedOwnedRecord(
      { fullName: 'Acme', record },
      def,
      readPolicies({ ...row(), owned: { fullName: 'Acme', record } })!,
    );
    expect(same.changes).to.deep.equal([]);
  });

  it("reports the org's refusal of an owned app's update by name", async () => {
    const org = fakeOrg({
      updateResult: { success: false, errors: { statusCode: 'INSUFFICIENT_ACCESS', message: 'no' } },
    });
    const error = await saveOwnedApp(org.conn, { fullName: 'Acme' }).catch((e: Error) => e);
    expect((error as Error).name).to.equal('RenConnectedAppMetadataError');
    expect((error as Error).message).to.include('Acme: INSUFFICIENT_ACCESS: no');
  });
});
