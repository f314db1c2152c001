import { expect } from 'chai';
import type { SfError } from '@salesforce/core';
import { INVEN_PRESET, mergeDefinition } from '../../../src/connectedApp/definition.js';
import {
  applyPreauthorization,
  planPreauthorization,
  preauthorizationChecks,
  requestProblem,
} from '../../../src/connectedApp/preauthorize.js';
import { type Grants, readGrants } from '../../../src/shared/grants.js';
import { unknownNamesError } from '../../../src/shared/accessNames.js';
import { fakeOrg } from './fakeOrg.js';

const parents = {
  profiles: [
    { kind: 'profile' as const, name: 'Sales', permissionSetId: '0PS000000000001AAA' },
    { kind: 'profile' as const, name: 'System Administrator', permissionSetId: '0PS000000000002AAA' },
  ],
  permissionSets: [{ kind: 'permission set' as const, name: 'Inven_Users', permissionSetId: '0PS000000000003AAA' }],
};
const grants = (...names: string[]): Grants => ({
  parents,
  granted: [...parents.profiles, ...parents.permissionSets]
    .filter((p) => names.includes(p.name))
    .map((p, i) => ({ ...p, accessId: `0J000000000000${i}AAA` })),
});

describe('connected app: pre-authorization (SetupEntityAccess)', () => {
  it("adds only what is not granted, by the org's spelling, once", () => {
    const plan = planPreauthorization(
      { profiles: ['sales', 'System Administrator', 'SALES'], permissionSets: ['Inven_Users'], remove: [] },
      grants('System Administrator'),
    );
    expect(plan.add.map((p) => p.name)).to.deep.equal(['Sales', 'Inven_Users']);
    expect(plan.remove).to.deep.equal([]);
    expect(
      planPreauthorization({ profiles: ['Sales'], permissionSets: [], remove: [] }, grants('Sales')).add,
    ).to.deep.equal([]);
  });

  it('names unknown names with close matches, and removals the app does not have', () => {
    const plan = planPreauthorization(
      { profiles: ['Sles'], permissionSets: ['Inven_User'], remove: ['Inven_Users', 'Nobody'] },
      grants(),
    );
    expect(plan.unknown).to.deep.equal([
      { kind: 'profile', name: 'Sles', suggestions: ['Sales'] },
      { kind: 'permission set', name: 'Inven_User', suggestions: ['Inven_Users'] },
      { kind: 'profile or permission set', name: 'Nobody', suggestions: [] },
    ]);
    expect(plan.notGranted).to.deep.equal(['Inven_Users']);
    expect(unknownNamesError(plan.unknown, 'client1').message).to.include('profile "Sles" (did you mean "Sales"?)');
  });

  it('removes a granted name of either kind', () => {
    const plan = planPreauthorization(
      { profiles: [], permissionSets: [], remove: ['inven_users', 'Sales'] },
      grants('Sales', 'Inven_Users'),
    );
    expect(plan.remove.map((g) => g.name)).to.deep.equal(['Inven_Users', 'Sales']);
  });

  it('refuses a name both to add and to remove', () => {
    expect((requestProblem({ profiles: ['Sales'], permissionSets: [], remove: ['sales'] }) as SfError).name).to.equal(
      'RenAddAndRemoveError',
    );
    expect(requestProblem({ profiles: ['Sales'], permissionSets: [], remove: ['Inven_Users'] })).to.equal(undefined);
  });

  it('reads the grants of an app, mapping each row to its profile or permission set', async () => {
    const org = fakeOrg({
      queries: [
        [
          'FROM SetupEntityAccess',
          [
            { Id: '0J0000000000009AAA', ParentId: '0PS000000000001' },
            { Id: '0J0000000000010AAA', ParentId: '0PS00000000000Z' },
          ],
        ],
      ],
    });
    const read = await readGrants(org.conn, '0H4000000000001AAA', parents);
    expect(read.granted.map((g) => [g.kind, g.name, g.accessId])).to.deep.equal([
      ['profile', 'Sales', '0J0000000000009AAA'],
      ['permission set', '0PS00000000000Z', '0J0000000000010AAA'],
    ]);
    expect(org.soql[0]).to.equal(
      "SELECT Id, ParentId FROM SetupEntityAccess WHERE SetupEntityId = '0H4000000000001AAA'",
    );
  });

  it('writes inserts and deletes, and on a refusal says what failed and what was done', async () => {
    const org = fakeOrg({
      createError: (body) =>
        body.ParentId === '0PS000000000003AAA' ? new Error('insufficient access rights on object id') : undefined,
    });
    const plan = planPreauthorization(
      { profiles: ['Sales'], permissionSets: ['Inven_Users'], remove: ['System Administrator'] },
      grants('System Administrator'),
    );
    const error = (await applyPreauthorization(org.conn, '0H4000000000001AAA', plan).catch(
      (e: SfError) => e,
    )) as SfError;
    expect(error.name).to.equal('RenPreauthorizeFailedError');
    expect(error.message)
      .to.include('permission set "Inven_Users": insufficient access rights')
      .and.include('Done before the failure: +Sales, -System Administrator');
    expect(org.created).to.deep.equal([{ ParentId: '0PS000000000001AAA', SetupEntityId: '0H4000000000001AAA' }]);
    expect(org.destroyed).to.deep.equal(['0J0000000000000AAA']);
  });

  it("checks the guide's names are granted, someone is for an admin-approved app, and flags grants that have no effect", () => {
    const def = mergeDefinition({
      permittedUsers: 'AdminApprovedPreAuthorized',
      profiles: ['Sales'],
      permissionSets: ['Inven_Usrs'],
    });
    const [check] = preauthorizationChecks(def, grants('Sales'), 'fix it');
    expect(check).to.include({ status: 'fail', expected: 'Sales, Inven_Usrs', fix: 'fix it' });
    expect(check.actual).to.equal('Sales; the org has no permission set "Inven_Usrs" (did you mean "Inven_Users"?)');
    expect(
      preauthorizationChecks(mergeDefinition({ permittedUsers: 'AdminApprovedPreAuthorized' }), grants(), 'fix')[0],
    ).to.include({ status: 'warn' });
    expect(preauthorizationChecks(INVEN_PRESET, grants('Sales'), 'fix')[0]).to.include({
      status: 'warn',
      actual: 'Sales',
    });
    expect(preauthorizationChecks(INVEN_PRESET, grants(), 'fix')).to.deep.equal([]);
  });
});
