import { expect } from 'chai';
import type { Connection } from '@salesforce/core';
import { isInstanceHost, normalizeLoginUrl, orgLoginUrl } from '../../../src/credentials/loginUrl.js';
import { urlProblem } from '../../../src/shared/urls.js';

const connection = (instanceUrl: string, userinfo?: unknown, isSandbox = false) =>
  ({
    instanceUrl,
    request: async () => {
      if (userinfo instanceof Error) throw userinfo;
      return userinfo;
    },
    query: async () => ({ records: [{ IsSandbox: isSandbox }] }),
  }) as unknown as Connection;

describe('login URL', () => {
  it('normalizes to https://host without a trailing slash or path', () => {
    expect(normalizeLoginUrl('https://Acme.my.salesforce.com/')).to.equal('https://acme.my.salesforce.com');
    expect(normalizeLoginUrl('https://127.0.0.1:8443//')).to.equal('https://127.0.0.1:8443');
  });

  it('accepts only https://host for --login-url', () => {
    const loginUrlProblem = (value: string) => urlProblem(value, { originOnly: true });
    expect(loginUrlProblem('https://acme.my.salesforce.com')).to.equal(undefined);
    expect(loginUrlProblem('https://acme.my.salesforce.com/')).to.equal(undefined);
    expect(loginUrlProblem('http://acme.my.salesforce.com')).to.match(/https/);
    expect(loginUrlProblem('http://127.0.0.1:8443')).to.match(/https/);
    expect(loginUrlProblem('https://acme.my.salesforce.com/services/oauth2')).to.match(/without a path/);
    expect(loginUrlProblem('https://acme.my.salesforce.com?x=1')).to.match(/without a path/);
    expect(loginUrlProblem('acme')).to.match(/not a URL/);
  });

  it("keeps the org's own My Domain, sandboxes and scratch orgs included", async () => {
    expect(await orgLoginUrl(connection('https://acme.my.salesforce.com/'))).to.equal('https://acme.my.salesforce.com');
    expect(await orgLoginUrl(connection('https://acme--uat.sandbox.my.salesforce.com'))).to.equal(
      'https://acme--uat.sandbox.my.salesforce.com',
    );
    expect(await orgLoginUrl(connection('https://site-ability-1234-dev-ed.scratch.my.salesforce.com'))).to.equal(
      'https://site-ability-1234-dev-ed.scratch.my.salesforce.com',
    );
  });

  it('falls back from an instance host to the My Domain the identity service names, else the generic login host', async () => {
    expect(isInstanceHost('na123.salesforce.com')).to.equal(true);
    expect(isInstanceHost('acme.my.salesforce.com')).to.equal(false);
    expect(
      await orgLoginUrl(
        connection('https://na123.salesforce.com', { urls: { custom_domain: 'https://acme.my.salesforce.com' } }),
      ),
    ).to.equal('https://acme.my.salesforce.com');
    expect(await orgLoginUrl(connection('https://na123.salesforce.com', {}))).to.equal('https://login.salesforce.com');
    // A My Domain that is not https://host is not taken.
    expect(
      await orgLoginUrl(
        connection('https://na123.salesforce.com', { urls: { custom_domain: 'http://acme.example.com' } }),
      ),
    ).to.equal('https://login.salesforce.com');
    expect(await orgLoginUrl(connection('https://cs42.salesforce.com', new Error('no'), true))).to.equal(
      'https://test.salesforce.com',
    );
  });
});
