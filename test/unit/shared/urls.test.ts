import { expect } from 'chai';
import { displayUrl, isLoopbackAddress, urlProblem } from '../../../src/shared/urls.js';

describe('URL rules', () => {
  it('accepts https anywhere and refuses other schemes and what is not a URL', () => {
    expect(urlProblem('https://app.rensystems.com/api/x?y=1#z')).to.equal(undefined);
    expect(urlProblem('https://127.0.0.1:8443/x')).to.equal(undefined);
    expect(urlProblem('ftp://app.rensystems.com/x')).to.equal('"ftp://app.rensystems.com/x" must use https');
    expect(urlProblem('file:///etc/passwd')).to.match(/must use https/);
    expect(urlProblem('not a url')).to.equal('"not a url" is not a URL');
    expect(urlProblem('')).to.match(/not a URL/);
  });

  it('never accepts a user name or password inside a URL, and never repeats them', () => {
    for (const value of [
      'https://user:pw@app.rensystems.com/x',
      'https://user@app.rensystems.com',
      'http://u:pw@127.0.0.1',
    ]) {
      const problem = urlProblem(value, { http: 'loopback' });
      expect(problem, value).to.match(/must not carry a user name or password/);
      expect(problem).to.not.include('pw').and.not.include('user@');
    }
  });

  it('refuses plain http by default, even to this machine', () => {
    expect(urlProblem('http://127.0.0.1:8080/x')).to.match(/must use https$/);
    expect(urlProblem('http://localhost/x')).to.match(/must use https$/);
    expect(urlProblem('http://app.rensystems.com/x')).to.equal('"http://app.rensystems.com/x" must use https');
    expect(urlProblem('http://app.rensystems.com/x?token=t0k#t0k')).to.equal(
      '"http://app.rensystems.com/x" must use https',
    );
  });

  it("http: 'loopback' accepts plain http only to a literal loopback address, not the name localhost", () => {
    for (const ok of ['http://127.0.0.1:8080/x', 'http://127.1.2.3/x', 'http://[::1]:9000/x']) {
      expect(urlProblem(ok, { http: 'loopback' }), ok).to.equal(undefined);
    }
    for (const refused of [
      'http://localhost:8080/x',
      'http://app.rensystems.com/x',
      'http://127.0.0.1.nip.io/x',
      'http://10.0.0.1/x',
    ]) {
      expect(urlProblem(refused, { http: 'loopback' }), refused).to.match(
        /must use https; plain http is allowed only to a loopback address \(127\.0\.0\.1, \[::1\]\)/,
      );
    }
    expect(urlProblem('https://localhost/x', { http: 'loopback' })).to.equal(undefined);
  });

  it("http: 'localhost' also accepts the name localhost (a callback URL), nothing else", () => {
    for (const ok of ['http://localhost:1717/OauthRedirect', 'http://127.0.0.1/cb', 'http://[::1]/cb']) {
      expect(urlProblem(ok, { http: 'localhost' }), ok).to.equal(undefined);
    }
    expect(urlProblem('http://localhost.rensystems.com/cb', { http: 'localhost' })).to.match(/must use https$/);
    expect(urlProblem('http://app.rensystems.com/cb', { http: 'localhost' })).to.match(/must use https$/);
  });

  it('originOnly: only https://host[:port], a trailing slash at most', () => {
    expect(urlProblem('https://acme.my.salesforce.com', { originOnly: true })).to.equal(undefined);
    expect(urlProblem('https://acme.my.salesforce.com/', { originOnly: true })).to.equal(undefined);
    expect(urlProblem('https://acme.my.salesforce.com:8443', { originOnly: true })).to.equal(undefined);
    for (const refused of [
      'https://acme.my.salesforce.com/services/oauth2',
      'https://acme.my.salesforce.com?x=1',
      'https://acme.my.salesforce.com/#top',
    ]) {
      expect(urlProblem(refused, { originOnly: true }), refused).to.match(
        /must be only https:\/\/host, without a path/,
      );
    }
    expect(urlProblem('http://acme.my.salesforce.com', { originOnly: true })).to.match(/must use https/);
  });

  it('knows a literal loopback address', () => {
    for (const host of ['127.0.0.1', '127.255.0.9', '::1', '[::1]'])
      expect(isLoopbackAddress(host), host).to.equal(true);
    for (const host of ['localhost', '128.0.0.1', '127.0.0.1.example.com', '0.0.0.0', '::2']) {
      expect(isLoopbackAddress(host), host).to.equal(false);
    }
  });

  it('shows a URL as origin and path only: no query, fragment, user name or password', () => {
    expect(displayUrl('https://ren.example.com/api/credentials?sig=abc&token=t0k#frag')).to.equal(
      'https://ren.example.com/api/credentials',
    );
    expect(displayUrl('https://user:pw@ren.example.com:8443/x')).to.equal('https://ren.example.com:8443/x');
    expect(displayUrl('http://127.0.0.1:8080')).to.equal('http://127.0.0.1:8080/');
  });
});
