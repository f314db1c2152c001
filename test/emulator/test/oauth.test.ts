/* eslint-disable camelcase -- OAuth wire names */
import { expect } from 'chai';
import { useEmulator } from './helpers.js';
import { CALLBACK, KEY, PKCE, SECRET, authorizeAt, renSeed, tokenRequest as tokenAt } from './oauthHelpers.js';

describe('emulator: OAuth authorize (no session)', () => {
  const env = useEmulator(renSeed(), { connect: false });

  const authorize = (params: Record<string, string>): ReturnType<typeof authorizeAt> =>
    authorizeAt(env.emulator, params);

  const pkce = PKCE;

  it("accepts Ren's request: a redirect to the org's login page, coming back to the approval page", async () => {
    env.emulator.reset();
    const { status, location } = await authorize(pkce);
    expect(status).to.equal(302);
    expect(`${location.origin}${location.pathname}`).to.equal(`${env.emulator.url}/`);
    expect(location.searchParams.get('ec')).to.equal('302');
    expect(location.searchParams.get('startURL')).to.match(
      /^\/setup\/secur\/RemoteAccessAuthorizationPage\.apexp\?source=/,
    );
    const login = await fetch(location);
    expect(login.status).to.equal(200);
    expect(await login.text()).to.contain('Login | Salesforce');
  });

  it("an unknown client id: Salesforce's error page, never the callback", async () => {
    env.emulator.reset();
    const { status, location } = await authorize({ ...pkce, client_id: '3MVG9unknown' });
    expect(status).to.equal(302);
    expect(location.pathname).to.equal('/setup/secur/RemoteAccessErrorPage.apexp');
    expect(Object.fromEntries(location.searchParams)).to.deep.equal({
      error: 'invalid_client_id',
      error_description: 'client identifier invalid',
      state: 's1',
    });
    const page = await fetch(location);
    expect(await page.text()).to.contain('invalid_client_id: client identifier invalid');
  });

  it('a redirect_uri the app does not have: the error page with redirect_uri_mismatch', async () => {
    env.emulator.reset();
    const { location } = await authorize({ ...pkce, redirect_uri: 'https://evil.example.com/callback' });
    expect(location.origin).to.equal(env.emulator.url);
    expect(location.pathname).to.equal('/setup/secur/RemoteAccessErrorPage.apexp');
    expect(location.searchParams.get('error')).to.equal('redirect_uri_mismatch');
    expect(location.searchParams.get('error_description')).to.equal('redirect_uri must match configuration');
  });

  it('no PKCE challenge while the app requires PKCE: back to the callback with invalid_request', async () => {
    env.emulator.reset();
    const { location } = await authorize({});
    expect(`${location.origin}${location.pathname}`).to.equal(CALLBACK);
    expect(Object.fromEntries(location.searchParams)).to.deep.equal({
      error: 'invalid_request',
      error_description: 'missing required code challenge',
      state: 's1',
    });
  });

  it('no PKCE challenge is accepted when neither the app nor the org requires PKCE', async () => {
    env.emulator.reset(renSeed({ global: { isPkceRequired: false } }));
    expect((await authorize({})).location.searchParams.get('ec')).to.equal('302');
    env.emulator.reset(
      renSeed({ global: { isPkceRequired: false } }, { settings: { OauthOidcSettings: { isPkceRequired: true } } }),
    );
    expect((await authorize({})).location.searchParams.get('error')).to.equal('invalid_request');
  });

  it('a disabled app: back to the callback with OAUTH_APP_BLOCKED', async () => {
    env.emulator.reset(renSeed({ policies: { isEnabled: false } }));
    const { location } = await authorize(pkce);
    expect(`${location.origin}${location.pathname}`).to.equal(CALLBACK);
    expect(location.searchParams.get('error')).to.equal('OAUTH_APP_BLOCKED');
    expect(location.searchParams.get('error_description')).to.equal('this app is blocked by admin');
  });

  it('an app whose OAuth plugin is off is no OAuth client at all', async () => {
    env.emulator.reset(renSeed({ policies: { isOauthPluginEnabled: false } }));
    expect((await authorize(pkce)).location.searchParams.get('error')).to.equal('invalid_client_id');
  });

  it('a response type Salesforce does not support', async () => {
    env.emulator.reset();
    const { location } = await authorize({ ...pkce, response_type: 'magic' });
    expect(`${location.origin}${location.pathname}`).to.equal(CALLBACK);
    expect(location.searchParams.get('error')).to.equal('unsupported_response_type');
  });
});

describe('emulator: OAuth token endpoint (client checks)', () => {
  const env = useEmulator(renSeed(), { connect: false });

  const tokenRequest = (params: Record<string, string>): ReturnType<typeof tokenAt> => tokenAt(env.emulator, params);

  it('refresh grant of a token issued to Ren: the right key and secret get an access token', async () => {
    env.emulator.reset();
    const org = env.emulator.org;
    const refresh = org.sessions.issueRefreshToken(org.sessionUser.Id, org.consumerForApp('ren')!.id);
    const ok = await tokenRequest({
      grant_type: 'refresh_token',
      refresh_token: refresh,
      client_id: KEY,
      client_secret: SECRET,
    });
    expect(ok.status).to.equal(200);
    expect(ok.body.access_token).to.match(/^00D\w{12}!/);
    expect(org.userForToken(ok.body.access_token)?.Id).to.equal(org.sessionUser.Id);
  });

  it('refresh grant: a wrong secret, a missing secret, an unknown client id, an unknown token', async () => {
    env.emulator.reset();
    const org = env.emulator.org;
    const refresh = org.sessions.issueRefreshToken(org.sessionUser.Id, org.consumerForApp('ren')!.id);
    const wrong = await tokenRequest({
      grant_type: 'refresh_token',
      refresh_token: refresh,
      client_id: KEY,
      client_secret: 'nope',
    });
    expect(wrong).to.deep.equal({
      status: 400,
      body: { error: 'invalid_client', error_description: 'invalid client credentials' },
    });
    expect(
      (await tokenRequest({ grant_type: 'refresh_token', refresh_token: refresh, client_id: KEY })).body.error,
    ).to.equal('invalid_client');
    expect(
      (
        await tokenRequest({
          grant_type: 'refresh_token',
          refresh_token: refresh,
          client_id: 'x',
          client_secret: SECRET,
        })
      ).body,
    ).to.deep.equal({
      error: 'invalid_client_id',
      error_description: 'client identifier invalid',
    });
    expect(
      (
        await tokenRequest({
          grant_type: 'refresh_token',
          refresh_token: 'bogus',
          client_id: KEY,
          client_secret: SECRET,
        })
      ).body.error_description,
    ).to.equal('expired access/refresh token');
  });

  it('refresh grant without the secret when the app does not require it', async () => {
    env.emulator.reset(renSeed({ global: { isSecretRequiredForRefreshToken: false } }));
    const org = env.emulator.org;
    const refresh = org.sessions.issueRefreshToken(org.sessionUser.Id, org.consumerForApp('ren')!.id);
    expect(
      (await tokenRequest({ grant_type: 'refresh_token', refresh_token: refresh, client_id: KEY })).status,
    ).to.equal(200);
  });

  it('a rotated secret: the old one stops working, the new one works', async () => {
    env.emulator.reset();
    const org = env.emulator.org;
    const consumer = org.consumerForApp('ren')!;
    const refresh = org.sessions.issueRefreshToken(org.sessionUser.Id, consumer.id);
    consumer.secret = 'NEW_SECRET';
    expect(
      (
        await tokenRequest({
          grant_type: 'refresh_token',
          refresh_token: refresh,
          client_id: KEY,
          client_secret: SECRET,
        })
      ).body.error,
    ).to.equal('invalid_client');
    expect(
      (
        await tokenRequest({
          grant_type: 'refresh_token',
          refresh_token: refresh,
          client_id: KEY,
          client_secret: 'NEW_SECRET',
        })
      ).status,
    ).to.equal(200);
  });

  it('client credentials: needs the secret, and the flow with a run-as user', async () => {
    env.emulator.reset();
    const base = { grant_type: 'client_credentials', client_id: KEY };
    expect((await tokenRequest({ ...base, client_secret: 'nope' })).body.error).to.equal('invalid_client');
    expect((await tokenRequest({ ...base, client_secret: SECRET })).body).to.deep.equal({
      error: 'invalid_grant',
      error_description: 'no client credentials user enabled',
    });
    env.emulator.reset(
      renSeed({
        global: { isClientCredentialsFlowEnabled: true },
        oauthPolicies: {
          isClientCredentialsFlowEnabled: true,
          clientCredentialsFlowUser: 'admin@emulator.example.com',
        },
      }),
    );
    const ok = await tokenRequest({ ...base, client_secret: SECRET });
    expect(ok.status).to.equal(200);
    expect(env.emulator.org.userForToken(ok.body.access_token)?.Username).to.equal('admin@emulator.example.com');
  });

  it('grants that need a user at a browser, and unknown grants', async () => {
    env.emulator.reset();
    expect((await tokenRequest({ grant_type: 'authorization_code', code: 'x', client_id: KEY })).body.error).to.equal(
      'invalid_grant',
    );
    expect((await tokenRequest({ grant_type: 'magic' })).body.error).to.equal('unsupported_grant_type');
  });
});
