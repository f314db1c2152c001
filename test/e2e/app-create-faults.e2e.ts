/*
 * End to end, an org that says no or misbehaves: a user who may not deploy, an org on an old API version,
 * 5xx answers (once, and for good) and slow answers. One emulator and one sf login for the file; each test
 * resets the emulator's org to the state it needs (the session stays valid across resets).
 */
import { expect } from 'chai';
import { startSfSession, type SfSession } from './harness.js';

type ErrorJson = { status: number; name?: string; message?: string; actions?: string[]; result?: { status: string } };

describe('sf ren app create against a refusing or faulty org (end to end)', function () {
  this.timeout(180_000);
  let session: SfSession;

  const create = async (...args: string[]) => {
    const run = await session.sf(['ren', 'app', 'create', '--target-org', session.alias, '--json', ...args]);
    return { code: run.code, body: run.json as ErrorJson, stderr: run.stderr };
  };
  const deploys = () => session.emulator.org.deploys.size;
  const appStored = () => session.emulator.org.getComponent('ExternalClientApplication', 'ren') !== undefined;

  before(async () => {
    session = await startSfSession({ linkPlugin: true });
  });
  beforeEach(() => {
    session.emulator.faults.clear();
    session.emulator.reset();
  });
  after(async () => {
    await session?.close();
  });

  it('refuses a user who cannot deploy metadata, and says what to ask for', async () => {
    session.emulator.reset({
      users: [{ Username: 'viewer@emulator.example.com', LastName: 'Viewer', profile: 'Standard User' }],
    });
    const { code, body } = await create();
    expect(code).to.not.equal(0);
    expect(body.name).to.equal('RenPermissionError');
    expect(body.message).to.include('Modify Metadata Through Metadata API Functions');
    expect(deploys()).to.equal(0);
    expect(appStored()).to.equal(false);
  });

  it('refuses an org whose API is older than 64.0', async () => {
    session.emulator.reset({ organization: { maxApiVersion: '62.0' } });
    const { code, body } = await create();
    expect(code).to.not.equal(0);
    expect(body.name).to.equal('RenUnsupportedApiVersionError');
    expect(deploys()).to.equal(0);
  });

  it('rides out a single 503 on a read and still creates the app', async () => {
    session.emulator.faults.add({ match: { soapMethod: 'listMetadata' }, fault: 'http-503', times: 1 });
    const { code, body, stderr } = await create();
    expect(code, stderr).to.equal(0);
    expect(body.result?.status).to.equal('created');
    expect(appStored()).to.equal(true);
  });

  it('stops with a clear, re-runnable error when the org keeps failing, and deploys nothing', async () => {
    session.emulator.faults.add({ match: { soapMethod: 'listMetadata' }, fault: 'http-500' });
    const { code, body } = await create();
    expect(code).to.not.equal(0);
    expect(body.name).to.equal('RenOrgUnavailableError');
    expect(body.actions?.join(' ')).to.include('safe to re-run');
    expect(deploys()).to.equal(0);
  });

  it('waits out slow answers', async () => {
    session.emulator.faults.add({
      match: { soapMethod: 'checkDeployStatus' },
      fault: 'delay',
      delayMs: 1500,
      times: 1,
    });
    const { code, body } = await create();
    expect(code).to.equal(0);
    expect(body.result?.status).to.equal('created');
  });
});
