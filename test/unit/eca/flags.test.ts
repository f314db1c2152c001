import { expect } from 'chai';
import { OAUTH_SCOPES, scopeName } from '../../../src/eca/definition.js';
import { scopesFromFlag } from '../../../src/eca/flags.js';

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
