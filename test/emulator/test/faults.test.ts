import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { expect } from 'chai';
import type { Emulator } from '../index.js';
import { useEmulator } from './helpers.js';

type RawReply = { status: number; headers: Record<string, unknown>; body: string };

/** A plain HTTPS call to the emulator (trusting its CA explicitly). */
function raw(
  emulator: Emulator,
  method: string,
  path: string,
  options: { body?: string; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${emulator.url}${path}`,
      { method, ca: readFileSync(emulator.caCertPath), headers: options.headers, timeout: options.timeoutMs },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(options.body);
  });
}

function soapEnvelope(token: string, call: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Header xmlns="http://soap.sforce.com/2006/04/metadata"><SessionHeader><sessionId>${token}</sessionId></SessionHeader></soapenv:Header><soapenv:Body xmlns="http://soap.sforce.com/2006/04/metadata">${call}</soapenv:Body></soapenv:Envelope>`;
}

async function errorOf(promise: PromiseLike<unknown>): Promise<Error & { errorCode?: string; name: string }> {
  return promise.then(
    () => {
      throw new Error('expected an error');
    },
    (err: Error & { errorCode?: string }) => err,
  );
}

describe('emulator: auth and fault injection', () => {
  const env = useEmulator();
  beforeEach(() => {
    env.emulator.reset();
    env.emulator.requests.length = 0;
  });

  describe('authentication', () => {
    it('REST without or with a wrong token: 401 INVALID_SESSION_ID', async () => {
      const wrongAuth: Array<Record<string, string>> = [{}, { Authorization: 'Bearer 00Dxx!nope' }];
      for (const headers of wrongAuth) {
        const reply = await raw(env.emulator, 'GET', '/services/data/v64.0/query?q=SELECT+Id+FROM+User', { headers });
        expect(reply.status).to.equal(401);
        expect(JSON.parse(reply.body)).to.deep.equal([
          { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
        ]);
      }
    });

    it('SOAP with a wrong session: HTTP 500 fault sf:INVALID_SESSION_ID', async () => {
      const reply = await raw(env.emulator, 'POST', '/services/Soap/m/64.0', {
        body: soapEnvelope(
          '00Dxx!nope',
          '<listMetadata><queries><type>ExternalClientApplication</type></queries></listMetadata>',
        ),
        headers: { 'Content-Type': 'text/xml', SOAPAction: '""' },
      });
      expect(reply.status).to.equal(500);
      expect(reply.headers['content-type']).to.equal('text/xml;charset=UTF-8');
      expect(reply.body).to.contain('<faultcode>sf:INVALID_SESSION_ID</faultcode>');
      expect(reply.body).to.contain(
        '<faultstring>INVALID_SESSION_ID: Invalid Session ID found in SessionHeader: Illegal Session</faultstring>',
      );
    });

    it('the versions list needs no session', async () => {
      const reply = await raw(env.emulator, 'GET', '/services/data');
      const versions = JSON.parse(reply.body) as Array<{ version: string; url: string; label: string }>;
      expect(versions[0]).to.deep.equal({ label: "Summer '14", url: '/services/data/v31.0', version: '31.0' });
      expect(versions[versions.length - 1].version).to.equal('66.0');
    });

    it('a low maxApiVersion limits the versions served', async () => {
      env.emulator.reset({ organization: { maxApiVersion: '62.0' } });
      const versions = JSON.parse((await raw(env.emulator, 'GET', '/services/data')).body) as Array<{
        version: string;
      }>;
      expect(versions[versions.length - 1].version).to.equal('62.0');
      const rest = await raw(env.emulator, 'GET', '/services/data/v64.0/limits', {
        headers: { Authorization: `Bearer ${env.emulator.accessToken}` },
      });
      expect(rest.status).to.equal(404);
      const err = await errorOf(env.conn.metadata.list({ type: 'ExternalClientApplication' }));
      expect(err.errorCode).to.equal('sf:UNSUPPORTED_API_VERSION');
    });

    it('unknown routes answer 404 NOT_FOUND', async () => {
      const reply = await raw(env.emulator, 'GET', '/services/data/v64.0/nothing-here', {
        headers: { Authorization: `Bearer ${env.emulator.accessToken}` },
      });
      expect(reply.status).to.equal(404);
      expect(JSON.parse(reply.body)).to.deep.equal([
        { errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' },
      ]);
    });
  });

  describe('expired session', () => {
    it('expireSession() invalidates the token everywhere until reset()', async () => {
      env.emulator.faults.expireSession();
      const rest = await errorOf(env.conn.query('SELECT Id FROM User'));
      expect(rest.message).to.match(/INVALID_SESSION_ID|expired|invalid/i);
      const soap = await errorOf(env.conn.metadata.list({ type: 'ExternalClientApplication' }));
      expect(soap.message).to.match(/INVALID_SESSION_ID|expired|invalid/i);
      env.emulator.reset();
      expect((await env.conn.query('SELECT Id FROM User')).totalSize).to.equal(2);
    });

    it('an expired-session rule hits only matching calls', async () => {
      env.emulator.faults.add({ fault: 'expired-session', match: { soapMethod: 'listMetadata' } });
      expect((await env.conn.query('SELECT Id FROM User')).totalSize).to.equal(2);
      const err = await errorOf(env.conn.metadata.list({ type: 'ExternalClientApplication' }));
      expect(err.message).to.match(/INVALID_SESSION_ID|expired|invalid/i);
      expect(env.emulator.requests.some((r) => r.soapMethod === 'listMetadata')).to.equal(true);
    });
  });

  describe('server errors', () => {
    it('http-500 on SOAP: fault sf:UNKNOWN_EXCEPTION', async () => {
      env.emulator.faults.add({ fault: 'http-500', match: { path: '/services/Soap/m/' } });
      const err = await errorOf(env.conn.metadata.list({ type: 'ExternalClientApplication' }));
      expect(err.errorCode).to.equal('sf:UNKNOWN_EXCEPTION');
    });

    it('http-503 on REST, once: jsforce retries the GET and succeeds', async () => {
      env.emulator.faults.add({ fault: 'http-503', match: { method: 'GET', path: '/query' }, times: 1 });
      const result = await env.conn.query('SELECT Id FROM Profile');
      expect(result.totalSize).to.equal(4);
      expect(env.emulator.requests.filter((r) => r.path.endsWith('/query'))).to.have.length(2);
    });

    it('http-500 and http-503 REST bodies', async () => {
      const headers = { Authorization: `Bearer ${env.emulator.accessToken}` };
      env.emulator.faults.add({ fault: 'http-500', times: 1 });
      const r500 = await raw(env.emulator, 'GET', '/services/data/v64.0/limits', { headers });
      expect(r500.status).to.equal(500);
      expect((JSON.parse(r500.body) as Array<{ errorCode: string }>)[0].errorCode).to.equal('UNKNOWN_EXCEPTION');
      env.emulator.faults.add({
        fault: 'http-503',
        match: { path: '/^\\/services\\/data\\/v\\d+\\.0\\/limits$/' },
        times: 1,
      });
      const r503 = await raw(env.emulator, 'GET', '/services/data/v64.0/limits', { headers });
      expect(r503.status).to.equal(503);
      expect((JSON.parse(r503.body) as Array<{ errorCode: string }>)[0].errorCode).to.equal('SERVER_UNAVAILABLE');
      expect((await raw(env.emulator, 'GET', '/services/data/v64.0/limits', { headers })).status).to.equal(200);
    });
  });

  describe('slow and hanging answers', () => {
    it('delay answers after delayMs', async () => {
      env.emulator.faults.add({ fault: 'delay', delayMs: 300, match: { path: '/query' }, times: 1 });
      const start = Date.now();
      await env.conn.query('SELECT Id FROM Profile');
      expect(Date.now() - start).to.be.at.least(290);
    });

    it('hang never answers', async () => {
      env.emulator.faults.add({ fault: 'hang', times: 1 });
      const err = await errorOf(raw(env.emulator, 'GET', '/services/data', { timeoutMs: 300 }));
      expect(err.message).to.equal('timeout');
      expect((await raw(env.emulator, 'GET', '/services/data')).status).to.equal(200);
    });
  });

  describe('control endpoints', () => {
    it('add and clear faults over HTTP, dump state, reset with a seed', async () => {
      const added = await raw(env.emulator, 'POST', '/__emulator/faults', {
        body: JSON.stringify({ fault: 'http-503', match: { path: '/limits' } }),
      });
      expect(added.status).to.equal(201);
      expect(env.emulator.faults.list()).to.have.length(1);
      expect((await raw(env.emulator, 'POST', '/__emulator/faults', { body: '{"fault":"explode"}' })).status).to.equal(
        400,
      );
      expect((await raw(env.emulator, 'DELETE', '/__emulator/faults')).status).to.equal(200);
      expect(env.emulator.faults.list()).to.have.length(0);

      const state = JSON.parse((await raw(env.emulator, 'GET', '/__emulator/state')).body) as {
        organization: { Id: string };
        settings: Record<string, unknown>;
      };
      expect(state.organization.Id).to.equal(env.emulator.org.organization.Id);
      expect(state.settings).to.have.property('OauthOidcSettings');

      const token = env.emulator.accessToken;
      const reset = await raw(env.emulator, 'POST', '/__emulator/reset', {
        body: JSON.stringify({ settings: { OauthOidcSettings: { oAuthCdCrdtFlowEnable: false } } }),
      });
      expect(reset.status).to.equal(200);
      expect(env.emulator.org.settings.OauthOidcSettings.oAuthCdCrdtFlowEnable).to.equal(false);
      expect(env.emulator.accessToken).to.equal(token);
      // Control calls are not in the request log.
      expect(env.emulator.requests.some((r) => r.path.startsWith('/__emulator'))).to.equal(false);
    });
  });
});
