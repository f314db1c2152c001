/* eslint-disable camelcase -- OAuth wire names */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { authorizeUrl, probeAuthorize, type ProbeRequest } from '../../../src/status/probe.js';

const CALLBACK = 'https://app.rensystems.com/api/salesforce/auth_callback';

/** An authorize endpoint that gives one scripted answer and records the query it got. */
async function fakeAuthorize(answer: {
  status: number;
  location?: string;
  body?: string;
}): Promise<{ url: string; seen: URLSearchParams[]; close: () => Promise<void> }> {
  const seen: URLSearchParams[] = [];
  const server: Server = createServer((req, res) => {
    seen.push(new URL(req.url ?? '/', 'http://x').searchParams);
    res.writeHead(answer.status, answer.location ? { location: answer.location } : {});
    res.end(answer.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('the live OAuth probe', () => {
  const request = (loginUrl: string, pkce = true): ProbeRequest => ({
    loginUrl,
    clientId: '3MVG9key',
    redirectUri: CALLBACK,
    pkce,
  });

  it('asks for the web server flow with the callback, a state, and a PKCE S256 challenge when the login uses PKCE', () => {
    const withPkce = new URL(authorizeUrl(request('https://acme.my.salesforce.com')));
    expect(`${withPkce.origin}${withPkce.pathname}`).to.equal(
      'https://acme.my.salesforce.com/services/oauth2/authorize',
    );
    expect(Object.fromEntries(withPkce.searchParams)).to.include({
      response_type: 'code',
      client_id: '3MVG9key',
      redirect_uri: CALLBACK,
      code_challenge_method: 'S256',
    });
    expect(withPkce.searchParams.get('code_challenge')).to.match(/^[\w-]{43}$/);
    expect(withPkce.searchParams.get('state')).to.match(/^[\w-]+$/);
    const without = new URL(authorizeUrl(request('https://acme.my.salesforce.com', false)));
    expect(without.searchParams.has('code_challenge')).to.equal(false);
    expect(without.searchParams.has('code_challenge_method')).to.equal(false);
  });

  const cases: Array<{
    what: string;
    answer: { status: number; location?: string; body?: string };
    expected: Record<string, unknown>;
  }> = [
    {
      what: 'a redirect to the login page: accepted',
      answer: {
        status: 302,
        location: '/?ec=302&startURL=%2Fsetup%2Fsecur%2FRemoteAccessAuthorizationPage.apexp%3Fsource%3Dabc',
      },
      expected: { accepted: true, status: 302 },
    },
    {
      what: "Salesforce's error page with the error: rejected with it",
      answer: {
        status: 302,
        location:
          '/setup/secur/RemoteAccessErrorPage.apexp?error=invalid_client_id&error_description=client+identifier+invalid',
      },
      expected: { accepted: false, error: 'invalid_client_id', description: 'client identifier invalid' },
    },
    {
      what: 'the callback with an error: rejected with it',
      answer: {
        status: 302,
        location: `${CALLBACK}?error=invalid_request&error_description=missing+required+code+challenge&state=s`,
      },
      expected: { accepted: false, error: 'invalid_request', description: 'missing required code challenge' },
    },
    {
      what: 'the error page naming no error: rejected',
      answer: { status: 302, location: '/setup/secur/RemoteAccessErrorPage.apexp' },
      expected: { accepted: false, error: 'OAUTH_APPROVAL_ERROR_GENERIC' },
    },
    {
      what: 'straight back to the callback without a login: rejected',
      answer: { status: 302, location: `${CALLBACK}?code=abc` },
      expected: { accepted: false, error: 'unexpected_redirect' },
    },
    {
      what: 'an error page in the text of a 400 (older orgs): rejected with the error it names',
      answer: {
        status: 400,
        body: 'error=redirect_uri_mismatch&error_description=redirect_uri%20must%20match%20configuration',
      },
      expected: {
        accepted: false,
        status: 400,
        error: 'redirect_uri_mismatch',
        description: 'redirect_uri must match configuration',
      },
    },
    {
      what: 'any other page: rejected',
      answer: { status: 200, body: '<html>Maintenance</html>' },
      expected: { accepted: false, error: 'unexpected_page' },
    },
    {
      what: 'a server error: rejected with its status',
      answer: { status: 503 },
      expected: { accepted: false, error: 'http_503' },
    },
  ];

  for (const { what, answer, expected } of cases) {
    it(what, async () => {
      const endpoint = await fakeAuthorize(answer);
      try {
        const outcome = await probeAuthorize(request(endpoint.url));
        expect(outcome).to.deep.include(expected);
        expect(endpoint.seen).to.have.length(1);
      } finally {
        await endpoint.close();
      }
    });
  }

  it('a login URL that does not answer: rejected as unreachable, never thrown', async () => {
    const endpoint = await fakeAuthorize({ status: 200 });
    await endpoint.close();
    const outcome = await probeAuthorize(request(endpoint.url));
    expect(outcome).to.deep.include({ accepted: false, error: 'unreachable' });
  });
});
