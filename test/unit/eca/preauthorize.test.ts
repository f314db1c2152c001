import { expect } from 'chai';
import {
  currentPreauthorization,
  emptyNameFlags,
  mergedLists,
  mergedPolicies,
  type PreauthorizeRequest,
  requestProblems,
} from '../../../src/eca/preauthorize.js';
import type { ExistingApp } from '../../../src/eca/orgApp.js';

const org = {
  profiles: ['Sales', 'System Administrator', 'Standard User'],
  permissionSets: ['Ren_Users', 'Sales_Ops'],
};
const request = (over: Partial<PreauthorizeRequest> = {}): PreauthorizeRequest => ({
  app: 'ren',
  profiles: [],
  permissionSets: [],
  remove: [],
  replace: false,
  policies: {},
  ...over,
});
const current = { profiles: ['Sales'], permissionSets: ['Ren_Users'] };

describe('preauthorize: merging the pre-authorized lists', () => {
  it("adds to what the app has, in the org's spelling, without repeats", () => {
    const merged = mergedLists(
      current,
      request({ profiles: ['system administrator', 'SALES'], permissionSets: ['sales_ops'] }),
      org,
    );
    expect(merged).to.deep.equal({
      profiles: ['Sales', 'System Administrator'],
      permissionSets: ['Ren_Users', 'Sales_Ops'],
      unknown: [],
      notPreauthorized: [],
    });
  });

  it('replaces the lists exactly with --replace', () => {
    const merged = mergedLists(current, request({ replace: true, profiles: ['Standard User'] }), org);
    expect(merged.profiles).to.deep.equal(['Standard User']);
    expect(merged.permissionSets).to.deep.equal([]);
  });

  it('removes a profile or a permission set by name, in any letter case', () => {
    const merged = mergedLists(current, request({ remove: ['sales', 'REN_USERS'] }), org);
    expect(merged.profiles).to.deep.equal([]);
    expect(merged.permissionSets).to.deep.equal([]);
  });

  it('reports a removed name the org has but the app does not list, and changes nothing', () => {
    const merged = mergedLists(current, request({ remove: ['Standard User'] }), org);
    expect(merged).to.deep.include({
      profiles: ['Sales'],
      permissionSets: ['Ren_Users'],
      notPreauthorized: ['Standard User'],
    });
    expect(merged.unknown).to.deep.equal([]);
  });

  it('names unknown names with close matches, whichever list they were meant for', () => {
    const merged = mergedLists(
      current,
      request({ profiles: ['Sale'], permissionSets: ['Ren_User'], remove: ['Sales Op'] }),
      org,
    );
    expect(merged.unknown).to.deep.equal([
      { kind: 'profile', name: 'Sale', suggestions: ['Sales'] },
      { kind: 'permission set', name: 'Ren_User', suggestions: ['Ren_Users'] },
      { kind: 'profile or permission set', name: 'Sales Op', suggestions: ['Sales', 'Sales_Ops'] },
    ]);
  });
});

describe('preauthorize: policy values', () => {
  const orgPolicies = {
    permittedUsers: 'AllSelfAuthorized',
    refreshTokenPolicy: 'SpecificLifetime',
    refreshTokenValidityPeriod: 365,
    refreshTokenValidityUnit: 'Days',
    ipRelaxation: 'Enforce',
  } as const;

  it('keeps every value that is not given', () => {
    expect(mergedPolicies(orgPolicies, {})).to.deep.equal(orgPolicies);
  });

  it('takes the given values, and drops period and unit when the policy no longer needs them', () => {
    expect(
      mergedPolicies(orgPolicies, { permittedUsers: 'AdminApprovedPreAuthorized', refreshTokenPolicy: 'Infinite' }),
    ).to.deep.equal({
      permittedUsers: 'AdminApprovedPreAuthorized',
      refreshTokenPolicy: 'Infinite',
      refreshTokenValidityPeriod: undefined,
      refreshTokenValidityUnit: undefined,
      ipRelaxation: 'Enforce',
    });
    expect(mergedPolicies(orgPolicies, { refreshTokenValidityPeriod: 30 })).to.include({
      refreshTokenValidityPeriod: 30,
      refreshTokenValidityUnit: 'Days',
    });
  });

  it("uses Ren's guide only for a value the org never set", () => {
    expect(mergedPolicies({}, {})).to.deep.include({
      permittedUsers: 'AdminApprovedPreAuthorized',
      refreshTokenPolicy: 'Infinite',
      ipRelaxation: 'Enforce',
    });
  });

  it('reads the current values from the OAuth policies record, whatever its name', () => {
    const existing: ExistingApp = {
      app: { kind: 'app', type: 'ExternalClientApplication', fullName: 'ren', record: {} },
      children: {
        oauthPolicies: {
          kind: 'oauthPolicies',
          type: 'ExtlClntAppOauthConfigurablePolicies',
          fullName: 'ren_oauth_defaultPolicy',
          record: {
            permittedUsersPolicyType: 'AllSelfAuthorized',
            refreshTokenPolicyType: 'SpecificLifetime',
            refreshTokenValidityPeriod: 365,
            refreshTokenValidityUnit: 'Days',
            commaSeparatedProfile: 'Sales, System Administrator',
          },
        },
      },
    };
    expect(currentPreauthorization(existing)).to.deep.include({
      permittedUsers: 'AllSelfAuthorized',
      refreshTokenValidityPeriod: 365,
      profiles: ['Sales', 'System Administrator'],
      permissionSets: [],
      ipRelaxation: undefined,
    });
  });
});

describe('preauthorize: contradicting input', () => {
  it('refuses --replace without names, and --replace with --remove', () => {
    expect(requestProblems(request({ replace: true }))?.name).to.equal('RenReplaceWithoutNamesError');
    expect(requestProblems(request({ replace: true, profiles: ['Sales'], remove: ['Sales'] }))?.name).to.equal(
      'RenReplaceWithRemoveError',
    );
    expect(requestProblems(request({ replace: true, permissionSets: ['Ren_Users'] }))).to.equal(undefined);
    expect(requestProblems(request({ remove: ['Sales'] }))).to.equal(undefined);
  });

  it('refuses a request that would change nothing or contradicts itself', () => {
    expect(requestProblems(request())?.name).to.equal('RenNothingToChangeError');
    expect(requestProblems(request({ policies: { permittedUsers: undefined } }))?.name).to.equal(
      'RenNothingToChangeError',
    );
    expect(requestProblems(request({ policies: { ipRelaxation: 'Bypass' } }))).to.equal(undefined);
    const both = requestProblems(request({ permissionSets: ['Sales_Ops', 'Ren_Users'], remove: ['sales_ops'] }));
    expect(both?.name).to.equal('RenAddAndRemoveError');
    expect(both?.message).to.include('"Sales_Ops" is both added');
    const validity = requestProblems(
      request({ policies: { refreshTokenPolicy: 'Infinite', refreshTokenValidityPeriod: 90 } }),
    );
    expect(validity?.name).to.equal('RenValidityWithoutSpecificPolicyError');
    expect(validity?.message).to.include('--refresh-token-validity is used only').and.include('not with infinite');
    expect(
      requestProblems(
        request({
          policies: {
            refreshTokenPolicy: 'SpecificInactivity',
            refreshTokenValidityPeriod: 90,
            refreshTokenValidityUnit: 'Days',
          },
        }),
      ),
    ).to.equal(undefined);
  });

  it('refuses an empty name, naming the flag it was given to', () => {
    expect(emptyNameFlags({ profile: [''], 'permission-set': ['Ren_Users'], remove: [' , '] })).to.deep.equal([
      '--profile',
      '--remove',
    ]);
    expect(emptyNameFlags({ profile: ['Sales,'], 'permission-set': undefined })).to.deep.equal([]);
    const error = requestProblems(request({ profiles: ['Sales'] }), ['--profile']);
    expect(error?.name).to.equal('RenEmptyNameError');
    expect(error?.message).to.include('--profile was given an empty name');
  });
});
