import { expect } from 'chai';
import type { Emulator } from '../index.js';
import { connect, startTestEmulator, useTempHome } from './helpers.js';

describe('emulator: login and identity', () => {
  useTempHome();
  let emulator: Emulator;
  before(async () => {
    emulator = await startTestEmulator();
  });
  after(async () => emulator.close());

  it('AuthInfo.create with an access token resolves the user and org', async () => {
    const conn = await connect(emulator);
    expect(conn.getUsername()).to.equal('admin@emulator.example.com');
    expect(conn.getAuthInfoFields().orgId).to.equal(emulator.org.organization.Id);
    const identity = await conn.identity();
    expect(identity.user_id).to.equal(emulator.org.sessionUser.Id);
    expect(emulator.requests.map((r) => r.path)).to.include('/services/oauth2/userinfo');
  });
});
