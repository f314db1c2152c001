import { expect } from 'chai';
import { XMLParser } from 'fast-xml-parser';
import { mergeDefinition } from '../../../src/eca/definition.js';
import { componentXml, desiredRecords, normalizeRecord, sourcePath } from '../../../src/eca/components.js';
import { planApp } from '../../../src/eca/plan.js';

const parse = (xml: string): Record<string, Record<string, unknown>> =>
  new XMLParser({ ignoreAttributes: false, parseTagValue: false }).parse(xml) as Record<
    string,
    Record<string, unknown>
  >;

describe('External Client App components', () => {
  const components = planApp(mergeDefinition({ profiles: ['Sales'] }), { children: {} }).components;
  const byType = (type: string) => components.find((c) => c.type === type)!;

  it("maps Ren's guide onto the five metadata types (docs/salesforce.md §1.8-1.9)", () => {
    expect(components.map((c) => `${c.type}:${c.fullName}`)).to.deep.equal([
      'ExternalClientApplication:ren',
      'ExtlClntAppOauthSettings:ren_oauth',
      'ExtlClntAppGlobalOauthSettings:ren_glbloauth',
      'ExtlClntAppConfigurablePolicies:ren_plcy',
      'ExtlClntAppOauthConfigurablePolicies:ren_oauthPlcy',
    ]);
    expect(byType('ExternalClientApplication').record).to.deep.equal({
      contactEmail: 'support@rensystems.com',
      description: 'Sync Salesforce contacts to Ren',
      distributionState: 'Local',
      iconUrl: 'https://app.rensystems.com/images/ios-icon-512.png',
      infoUrl: 'https://rensystems.com',
      isProtected: false,
      label: 'Ren',
      logoUrl: 'https://app.rensystems.com/images/ios-icon-512.png',
    });
    expect(byType('ExtlClntAppOauthSettings').record).to.deep.equal({
      commaSeparatedOauthScopes: 'Basic, Api, RefreshToken',
      externalClientApplication: 'ren',
      label: 'ren_oauth',
    });
    expect(byType('ExtlClntAppGlobalOauthSettings').record).to.deep.equal({
      callbackUrl: 'https://app.rensystems.com/api/salesforce/auth_callback',
      externalClientApplication: 'ren',
      isCodeCredFlowEnabled: true,
      isConsumerSecretOptional: false,
      isPkceRequired: true,
      isSecretRequiredForRefreshToken: true,
      label: 'ren_glbloauth',
      shouldRotateConsumerKey: false,
      shouldRotateConsumerSecret: false,
    });
    expect(byType('ExtlClntAppConfigurablePolicies').record).to.deep.equal({
      externalClientApplication: 'ren',
      isEnabled: true,
      isOauthPluginEnabled: true,
      label: 'ren_plcy',
      startPage: 'None',
    });
    expect(byType('ExtlClntAppOauthConfigurablePolicies').record).to.deep.equal({
      commaSeparatedProfile: 'Sales',
      externalClientApplication: 'ren',
      ipRelaxationPolicyType: 'Enforce',
      label: 'ren_oauthPlcy',
      permittedUsersPolicyType: 'AdminApprovedPreAuthorized',
      refreshTokenPolicyType: 'Infinite',
    });
  });

  it('never carries a consumer key or secret', () => {
    for (const component of components) {
      expect(componentXml(component)).not.to.match(/consumerKey|consumerSecret/);
    }
  });

  it('writes metadata XML with the namespace and fields in alphabetical order', () => {
    const xml = componentXml(byType('ExtlClntAppGlobalOauthSettings'));
    expect(
      xml.startsWith(
        '<?xml version="1.0" encoding="UTF-8"?>\n<ExtlClntAppGlobalOauthSettings xmlns="http://soap.sforce.com/2006/04/metadata">',
      ),
    ).to.equal(true);
    const root = parse(xml).ExtlClntAppGlobalOauthSettings;
    const fields = Object.keys(root).filter((k) => !k.startsWith('@_'));
    expect(fields).to.deep.equal([...fields].sort());
    expect(root.isPkceRequired).to.equal('true');
  });

  it('escapes XML special characters in values', () => {
    const [app] = planApp(mergeDefinition({ description: 'Sync <contacts> & companies' }), { children: {} }).components;
    const xml = componentXml(app);
    expect(xml).to.include('Sync &lt;contacts&gt; &amp; companies');
    expect(parse(xml).ExternalClientApplication.description).to.equal('Sync <contacts> & companies');
  });

  it('places files as source format expects', () => {
    expect(components.map(sourcePath)).to.deep.equal([
      'externalClientApps/ren.eca-meta.xml',
      'extlClntAppOauthSettings/ren_oauth.ecaOauth-meta.xml',
      'extlClntAppGlobalOauthSets/ren_glbloauth.ecaGlblOauth-meta.xml',
      'extlClntAppPolicies/ren_plcy.ecaPlcy-meta.xml',
      'extlClntAppOauthPolicies/ren_oauthPlcy.ecaOauthPlcy-meta.xml',
    ]);
  });

  it('writes validity period and unit only for specific refresh token policies', () => {
    const specific = desiredRecords(
      mergeDefinition({
        refreshTokenPolicy: 'SpecificLifetime',
        refreshTokenValidityPeriod: 4,
        refreshTokenValidityUnit: 'Hours',
      }),
    ).oauthPolicies;
    expect(specific).to.include({
      refreshTokenPolicyType: 'SpecificLifetime',
      refreshTokenValidityPeriod: 4,
      refreshTokenValidityUnit: 'Hours',
    });
    expect(desiredRecords(mergeDefinition()).oauthPolicies).not.to.have.property('refreshTokenValidityPeriod');
  });

  it('normalizes readMetadata text values into booleans and numbers', () => {
    expect(
      normalizeRecord('oauthPolicies', {
        fullName: 'ren_oauthPlcy',
        refreshTokenValidityPeriod: '4',
        isClientCredentialsFlowEnabled: 'false',
        label: 'ren_oauthPlcy',
        customAttributes: [{ key: 'a', formula: '"1"' }],
      }),
    ).to.deep.equal({
      refreshTokenValidityPeriod: 4,
      isClientCredentialsFlowEnabled: false,
      label: 'ren_oauthPlcy',
      customAttributes: [{ key: 'a', formula: '"1"' }],
    });
  });
});
