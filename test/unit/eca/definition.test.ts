import { expect } from 'chai';
import { mergeDefinition, REN_APP } from '../../../src/eca/definition.js';
import { splitList } from '../../../src/shared/lists.js';

describe('app definition', () => {
  it("defaults to every value of Ren's admin guide", () => {
    const def = mergeDefinition();
    expect(def).to.deep.include({
      label: 'Ren',
      apiName: 'ren',
      contactEmail: 'support@rensystems.com',
      distributionState: 'Local',
      infoUrl: 'https://rensystems.com',
      iconUrl: 'https://app.rensystems.com/images/ios-icon-512.png',
      logoUrl: 'https://app.rensystems.com/images/ios-icon-512.png',
      description: 'Sync Salesforce contacts to Ren',
      callbackUrl: 'https://app.rensystems.com/api/salesforce/auth_callback',
      codeCredentialsFlow: true,
      requireSecretForWebServerFlow: true,
      requireSecretForRefreshToken: true,
      requirePkce: true,
      enabled: true,
      startPage: 'None',
      permittedUsers: 'AdminApprovedPreAuthorized',
      refreshTokenPolicy: 'Infinite',
      ipRelaxation: 'Enforce',
    });
    expect(def.scopes).to.deep.equal(['Basic', 'Api', 'RefreshToken']);
  });

  it('lets later layers win but ignores undefined values', () => {
    const def = mergeDefinition({ label: 'Acme', apiName: 'acme' }, { label: 'Acme Sync', apiName: undefined });
    expect(def.label).to.equal('Acme Sync');
    expect(def.apiName).to.equal('acme');
    expect(def.contactEmail).to.equal(REN_APP.contactEmail);
  });

  it('does not share the default scope list between definitions', () => {
    const def = mergeDefinition();
    def.scopes.push('Web');
    expect(REN_APP.scopes).to.deep.equal(['Basic', 'Api', 'RefreshToken']);
  });

  it('splits comma-separated lists, trimming and dropping repeats', () => {
    expect(splitList('Basic, Api,,RefreshToken , Api')).to.deep.equal(['Basic', 'Api', 'RefreshToken']);
    expect(splitList(['Sales', 'Sales,Support'])).to.deep.equal(['Sales', 'Support']);
    expect(splitList(undefined)).to.deep.equal([]);
  });
});
