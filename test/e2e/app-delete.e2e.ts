/*
 * End to end, `sf ren app delete` through the real `sf` with this plugin linked, against the emulator: the app and
 * everything that belongs to it, whatever Salesforce named it, in one destructive deploy. One emulator and one sf
 * login for the file; each test resets the org.
 */
import { expect } from 'chai';
import { startSfSession, type SfSession } from './harness.js';

type DeleteJson = {
  status: number;
  name?: string;
  result?: { app: string; status: string; deleted: Array<{ type: string; fullName: string }>; deployId?: string };
};

describe('sf ren app delete (end to end, real sf + emulator)', function () {
  this.timeout(180_000);
  let session: SfSession;

  const remove = async (...args: string[]) => {
    const run = await session.sf(['ren', 'app', 'delete', '--target-org', session.alias, '--json', ...args]);
    return { code: run.code, body: run.json as DeleteJson, stderr: run.stderr };
  };
  /** The External Client App components the org holds, of every type. */
  const stored = (): string[] =>
    [...session.emulator.org.metadata]
      .filter(([type]) => /^(ExternalClientApplication|ExtlClntApp)/.test(type))
      .flatMap(([, byName]) => [...byName.keys()])
      .sort();

  before(async () => {
    session = await startSfSession({ linkPlugin: true });
  });
  after(async () => {
    await session?.close();
  });
  beforeEach(() => session.emulator.reset({ setupApps: [{ apiName: 'ren', label: 'Ren' }] }));

  it('deletes an app made in Setup with its settings and Salesforce\'s generated policies, in one deploy', async () => {
    expect(stored()).to.deep.equal(['ren', 'ren_defaultPolicy', 'ren_glbloauth', 'ren_oauth', 'ren_oauth_defaultPolicy']);
    const { code, body, stderr } = await remove('--app', 'ren', '--no-prompt');
    expect(code, stderr + JSON.stringify(body)).to.equal(0);
    expect(body.result?.status).to.equal('deleted');
    expect(body.result?.deleted.map((m) => m.fullName).sort()).to.deep.equal(['ren', 'ren_defaultPolicy', 'ren_glbloauth', 'ren_oauth', 'ren_oauth_defaultPolicy']);
    // The app goes last, after everything that belongs to it.
    expect(body.result?.deleted.at(-1)).to.deep.equal({ type: 'ExternalClientApplication', fullName: 'ren' });
    expect(session.emulator.org.deploys.size).to.equal(1);
    expect(stored()).to.deep.equal([]);
    expect(session.emulator.org.consumerForApp('ren')).to.equal(undefined);

    const again = await remove('--app', 'ren', '--no-prompt');
    expect(again.code).to.equal(0);
    expect(again.body.result).to.deep.include({ app: 'ren', status: 'absent', deleted: [] });
    expect(session.emulator.org.deploys.size).to.equal(1);
  });

  it('without --no-prompt and without a terminal, refuses and deletes nothing', async () => {
    const { code, body } = await remove('--app', 'ren');
    expect(code).to.not.equal(0);
    expect(body.name).to.equal('RenDeleteNeedsConsentError');
    expect(stored()).to.have.length(5);
    expect(session.emulator.org.deploys.size).to.equal(0);
  });
});
