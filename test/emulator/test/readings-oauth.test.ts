/**
 * OAuth and the credentials API under each reading (real-org-evidence.md items 4, 7, 10): listing consumers without
 * the REST secret setting, a new app and a callback change on their way to the authorize endpoint (org clock), and
 * vendor connected apps under API Access Control, blocked or not.
 */
import { expect } from 'chai';
import type { Readings } from '../index.js';
import { deploy } from './deployHelpers.js';
import { renPackage, renRedeploy } from './fixtures.js';
import { connect, useEmulator } from './helpers.js';
import { CALLBACK, PKCE, authorizeAt, authorizeError, controlCall, renSeed } from './oauthHelpers.js';

type Rec = Record<string, unknown>;

describe('emulator: the credentials list under consumerListNeedsSecretSetting (item 4)', () => {
  const env = useEmulator(undefined, { connect: false });

  async function answers(readings: Partial<Readings>): Promise<string[]> {
    env.emulator.reset({ readings });
    const conn = await connect(env.emulator, '65.0');
    await deploy(conn, renPackage());
    const appId = env.emulator.org.getComponent('ExternalClientApplication', 'ren')!.id;
    const codes: string[] = [];
    for (const path of ['/apps/oauth/usage', `/apps/oauth/credentials/${appId}`]) {
      codes.push(
        // eslint-disable-next-line no-await-in-loop -- one after the other, in order
        await conn.request(`/services/data/v65.0${path}`).then(
          () => 'ok',
          (e: Error & { errorCode?: string }) => e.errorCode ?? e.message,
        ),
      );
    }
    return codes;
  }

  it('true (default): with the setting off, the usage and the consumer list refuse like a secret read', async () => {
    expect(await answers({})).to.deep.equal(['FUNCTIONALITY_NOT_ENABLED', 'FUNCTIONALITY_NOT_ENABLED']);
  });

  it('false: with the setting off, both answer', async () => {
    expect(await answers({ consumerListNeedsSecretSetting: false })).to.deep.equal(['ok', 'ok']);
  });
});

describe('emulator: propagation to the authorize endpoint (propagationDelayMs, item 7)', () => {
  const env = useEmulator();
  const NEW_CALLBACK = 'https://app.rensystems.com/api/salesforce/callback2';

  async function newApp(delayMs: number): Promise<string> {
    env.emulator.reset({ readings: { propagationDelayMs: delayMs } });
    await deploy(env.conn, renPackage());
    return env.emulator.org.consumerForApp('ren')!.key;
  }

  it('0 (default): a new app is known to the authorize endpoint at once', async () => {
    const key = await newApp(0);
    const { location } = await authorizeAt(env.emulator, { ...PKCE, client_id: key });
    expect(location.pathname).to.equal('/');
  });

  it('a delay: a new app is an invalid client id until that much time has passed on the org clock', async () => {
    const key = await newApp(600_000);
    expect(await authorizeError(env.emulator, { ...PKCE, client_id: key })).to.equal('invalid_client_id');
    env.emulator.org.clock.advance(599_000);
    expect(await authorizeError(env.emulator, { ...PKCE, client_id: key })).to.equal('invalid_client_id');
    await controlCall(env.emulator, 'clock', { advanceMs: 1000 });
    expect(await authorizeError(env.emulator, { ...PKCE, client_id: key })).to.equal(null);
  });

  it('a delay: after a callback change the old callback still works and the new one mismatches, until it propagates', async () => {
    const key = await newApp(300_000);
    env.emulator.org.clock.advance(300_000);
    await deploy(env.conn, renRedeploy({ global: { callbackUrl: NEW_CALLBACK } }));
    const params = { ...PKCE, client_id: key };
    expect(await authorizeError(env.emulator, { ...params, redirect_uri: NEW_CALLBACK })).to.equal(
      'redirect_uri_mismatch',
    );
    expect(await authorizeError(env.emulator, { ...params, redirect_uri: CALLBACK })).to.equal(null);
    env.emulator.org.clock.advance(300_000);
    expect(await authorizeError(env.emulator, { ...params, redirect_uri: NEW_CALLBACK })).to.equal(null);
    expect(await authorizeError(env.emulator, { ...params, redirect_uri: CALLBACK })).to.equal('redirect_uri_mismatch');
  });

  it("a delay: the seed's apps have propagated already", async () => {
    env.emulator.reset(renSeed({}, { readings: { propagationDelayMs: 600_000 } }));
    expect(await authorizeError(env.emulator, PKCE)).to.equal(null);
  });
});

describe('emulator: vendor connected apps under apiAccessControl, and Block (item 10)', () => {
  const env = useEmulator();
  const ADMIN = 'admin@emulator.example.com';
  const SALES = 'sales@emulator.example.com';
  const login = async (name: string, username: string): Promise<Rec> =>
    (await controlCall(env.emulator, 'connected-apps/authorize', { name, username })).body;
  const tokens = async (name: string): Promise<number> =>
    (await env.conn.query(`SELECT Id FROM OauthToken WHERE AppName = '${name}'`)).totalSize;

  it('false (default): an admin with "Approve Uninstalled Connected Apps" may use an uninstalled app', async () => {
    env.emulator.reset({ vendorApps: [{ name: 'Inven', stage: 'used' }] });
    expect(await login('Inven', ADMIN)).to.include({ granted: true });
  });

  it('true: an uninstalled app is refused to every user; once installed it works', async () => {
    env.emulator.reset({ readings: { apiAccessControl: true }, vendorApps: [{ name: 'Inven', stage: 'used' }] });
    expect(await login('Inven', ADMIN)).to.include({
      granted: false,
      error: 'invalid_client',
      error_description: 'app must be installed into org',
    });
    expect((await controlCall(env.emulator, 'connected-apps/install', { name: 'Inven' })).status).to.equal(200);
    expect(await login('Inven', SALES)).to.include({ granted: true });
  });

  for (const apiAccessControl of [false, true]) {
    it(`a blocked app (apiAccessControl ${String(apiAccessControl)}): OAUTH_APP_BLOCKED, its sessions ended, no API shows it`, async () => {
      const installed = { name: 'Inven', stage: 'installed' as const, usedBy: [ADMIN, SALES] };
      env.emulator.reset({ readings: { apiAccessControl }, vendorApps: [installed] });
      const id = env.emulator.org.connectedApps.row('Inven')!.Id;
      // Every field of the row, as `sobjects/ConnectedApplication/{id}` gives them (the describe has no blocked flag).
      const rowOf = (): Promise<Rec> =>
        env.conn.request<Rec>(`/services/data/v64.0/sobjects/ConnectedApplication/${id}`);
      const describe = await env.conn.request<{ fields: Array<{ name: string }> }>(
        '/services/data/v64.0/sobjects/ConnectedApplication/describe',
      );
      expect(describe.fields.map((f) => f.name).filter((n) => /block/i.test(n))).to.deep.equal([]);
      const unblockedRow = await rowOf();
      expect(await tokens('Inven')).to.equal(2);
      expect((await controlCall(env.emulator, 'connected-apps/block', { name: 'Inven' })).body).to.deep.equal({
        blocked: true,
      });
      expect(await login('Inven', ADMIN)).to.include({
        granted: false,
        error: 'OAUTH_APP_BLOCKED',
        error_description: 'this app is blocked by admin',
      });
      expect(await tokens('Inven')).to.equal(0);
      expect(await rowOf()).to.deep.equal(unblockedRow);
      await controlCall(env.emulator, 'connected-apps/block', { name: 'Inven', blocked: false });
      expect(await login('Inven', SALES)).to.include({ granted: true });
    });
  }

  it('a seed may block an installed app; only an installed app can be blocked', async () => {
    env.emulator.reset({ vendorApps: [{ name: 'Inven', stage: 'installed', blocked: true }] });
    expect(await login('Inven', ADMIN)).to.include({ error: 'OAUTH_APP_BLOCKED' });
    expect(await tokens('Inven')).to.equal(0);
    expect(() => env.emulator.reset({ vendorApps: [{ name: 'Inven', stage: 'used', blocked: true }] })).to.throw(
      /only an installed app can be blocked/,
    );
    env.emulator.reset({ vendorApps: [{ name: 'Inven', stage: 'used' }] });
    expect((await controlCall(env.emulator, 'connected-apps/block', { name: 'Inven' })).status).to.equal(404);
  });
});
