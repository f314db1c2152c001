import { expect } from 'chai';
import { mergeDefinition, REN_APP, vendorName } from '../../../src/eca/definition.js';
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
    // Another vendor's app (a label other than Ren's) never takes Ren's contact email.
    expect(def.contactEmail).to.equal('');
  });

  it("keeps Ren's values for Ren's app, whatever else the layers change", () => {
    const def = mergeDefinition({ label: 'Ren', apiName: 'ren_two' }, { profiles: ['Sales'] });
    expect(def).to.include({
      apiName: 'ren_two',
      contactEmail: REN_APP.contactEmail,
      callbackUrl: REN_APP.callbackUrl,
      description: REN_APP.description,
      infoUrl: REN_APP.infoUrl,
    });
  });

  it("never gives another vendor's app Ren's identity: required values start empty, optional ones unset", () => {
    const def = mergeDefinition({ label: 'Acme Sync', apiName: 'acme_sync' });
    expect(def).to.include({ label: 'Acme Sync', apiName: 'acme_sync', contactEmail: '', callbackUrl: '' });
    for (const field of ['description', 'infoUrl', 'iconUrl', 'logoUrl', 'contactPhone'] as const) {
      expect(def[field], field).to.equal(undefined);
    }
    // Settings that are not about the vendor keep their defaults.
    expect(def.scopes).to.deep.equal(REN_APP.scopes);
    expect(def.permittedUsers).to.equal(REN_APP.permittedUsers);
    // The label of the last layer that gives one decides, so a later layer naming Ren's app brings Ren's values.
    expect(mergeDefinition({ label: 'Acme' }, { label: 'Ren' }).contactEmail).to.equal(REN_APP.contactEmail);
  });

  it("names the vendor by the definition's label", () => {
    expect(vendorName(mergeDefinition())).to.equal('Ren');
    expect(vendorName(mergeDefinition({ label: 'Acme Sync' }))).to.equal('Acme Sync');
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
