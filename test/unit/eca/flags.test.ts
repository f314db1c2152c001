import { expect } from 'chai';
import { OAUTH_SCOPES, scopeName } from '../../../src/eca/definition.js';
import { FIELD_FLAGS, fieldLabeller, scopesFromFlag } from '../../../src/eca/flags.js';

describe('app flags: --scopes', () => {
  it("takes the guide's and Salesforce's OAuth names, in any letter case, as the metadata names", () => {
    expect(scopesFromFlag(['refresh_token,offline_access', 'ID', 'api'])).to.deep.equal([
      'RefreshToken',
      'OfflineAccess',
      'Basic',
      'Api',
    ]);
    expect(
      scopesFromFlag([
        'profile, email, address, phone, web, full, openid, visualforce, custom_permissions, wave_api, chatter_api',
      ]),
    ).to.deep.equal([
      'Profile',
      'Email',
      'Address',
      'Phone',
      'Web',
      'Full',
      'OpenID',
      'CustomApplications',
      'CustomPermissions',
      'Wave',
      'Chatter',
    ]);
    expect(
      scopesFromFlag(['cdp_ingest_api', 'CDP_QUERY_API', 'cdp_api', 'pardot_api', 'lightning', 'content']),
    ).to.deep.equal(['CDPIngest', 'CDPQuery', 'CDP', 'Pardot', 'Lightning', 'Content']);
    expect(scopesFromFlag(['eclair_api', 'sfap_api', 'chatbot_api', 'einstein_gpt_api', 'mcp_api'])).to.deep.equal([
      'Eclair',
      'SFApiPlatform',
      'Chatbot',
      'EinsteinGPT',
      'MCP',
    ]);
  });

  it('keeps one of each scope however it was written, and an unknown name as typed for validation', () => {
    expect(scopesFromFlag(['RefreshToken', 'refresh_token', 'refreshtoken'])).to.deep.equal(['RefreshToken']);
    expect(scopesFromFlag(['Bogus'])).to.deep.equal(['Bogus']);
    expect(scopesFromFlag(undefined)).to.equal(undefined);
  });

  it('maps every metadata name to itself', () => {
    for (const scope of OAUTH_SCOPES) expect(scopeName(scope.toUpperCase())).to.equal(scope);
  });
});

describe('app flags: naming a field the way the user gave it', () => {
  it('knows the flag of every field a flag sets', () => {
    expect(FIELD_FLAGS.get('apiName')).to.equal('--app');
    expect(FIELD_FLAGS.get('refreshTokenValidityPeriod')).to.equal('--refresh-token-validity');
    expect(FIELD_FLAGS.get('requireSecretForWebServerFlow')).to.equal('--require-secret-web-server');
    expect(FIELD_FLAGS.get('permissionSets')).to.equal('--permission-set');
    expect(FIELD_FLAGS.size).to.equal(25);
  });

  it('names the flag when a flag set the field, the file when the file did, else the field', () => {
    const label = fieldLabeller({ app: '1bad' }, { contactEmail: 'x' }, 'acme.json');
    expect(label('apiName')).to.equal('--app');
    expect(label('contactEmail')).to.equal('contactEmail (in acme.json)');
    expect(label('startUrl')).to.equal('startUrl');
    expect(fieldLabeller({})('apiName')).to.equal('apiName');
  });
});
