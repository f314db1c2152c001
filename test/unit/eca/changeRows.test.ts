import { expect } from 'chai';
import { changeRows, changeTable, isBookkeeping } from '../../../src/eca/changeRows.js';
import { mergeDefinition } from '../../../src/eca/definition.js';
import { planApp } from '../../../src/eca/plan.js';

describe('change table rows', () => {
  it("leaves out a new app's bookkeeping and the guide's own settings, keeping what the user set", () => {
    const def = mergeDefinition({ description: 'Ours', profiles: ['Sales'], requirePkce: false });
    const plan = planApp(def, { children: {} });
    const rows = changeRows(plan.changes, true);
    expect(rows.shown.map((c) => `${c.type}.${c.field}=${String(c.after)}`)).to.deep.equal([
      'ExternalClientApplication.description=Ours',
      'ExtlClntAppGlobalOauthSettings.isPkceRequired=false',
      'ExtlClntAppOauthConfigurablePolicies.commaSeparatedProfile=Sales',
    ]);
    // Every other change is counted: either bookkeeping or the guide's own value.
    const bookkeeping = plan.changes.filter(isBookkeeping).length;
    expect(bookkeeping).to.be.above(0);
    expect(rows.asGuide).to.equal(plan.changes.length - bookkeeping - 3);
  });

  it('shows every real change of an app that exists, and never the bookkeeping', () => {
    const changes = [
      { type: 'ExternalClientApplication', fullName: 'ren', field: 'label', before: 'Ren', after: 'Ren Sync' },
      { type: 'ExtlClntAppOauthSettings', fullName: 'ren_oauth', field: 'label', before: 'a', after: 'b' },
      { type: 'ExtlClntAppOauthSettings', fullName: 'ren_oauth', field: 'externalClientApplication', after: 'ren' },
      { type: 'ExternalClientApplication', fullName: 'ren', field: 'isProtected', before: true, after: false },
      { type: 'ExtlClntAppGlobalOauthSettings', fullName: 'ren_glbloauth', field: 'isPkceRequired', after: true },
    ];
    const rows = changeRows(changes, false);
    expect(rows).to.deep.equal({ shown: [changes[0], changes[4]], asGuide: 0 });
    expect(isBookkeeping(changes[1])).to.equal(true);
    expect(changeTable(rows.shown)).to.deep.equal([
      { Component: 'ExternalClientApplication ren', Field: 'label', Before: 'Ren', After: 'Ren Sync' },
      {
        Component: 'ExtlClntAppGlobalOauthSettings ren_glbloauth',
        Field: 'isPkceRequired',
        Before: '—',
        After: 'true',
      },
    ]);
  });
});
