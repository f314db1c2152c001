import { expect } from 'chai';
import { connect, useEmulator } from './helpers.js';

describe('emulator: login and identity', () => {
  // No connection from the fixture: the test makes the login itself.
  const env = useEmulator(undefined, { connect: false });

  it('AuthInfo.create with an access token resolves the user and org', async () => {
    const conn = await connect(env.emulator);
    expect(conn.getUsername()).to.equal('admin@emulator.example.com');
    expect(conn.getAuthInfoFields().orgId).to.equal(env.emulator.org.organization.Id);
    const identity = await conn.identity();
    expect(identity.user_id).to.equal(env.emulator.org.sessionUser.Id);
    expect(env.emulator.requests.map((r) => r.path)).to.include('/services/oauth2/userinfo');
  });
});
