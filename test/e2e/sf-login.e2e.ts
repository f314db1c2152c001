import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { renPackage } from '../emulator/test/fixtures.js';
import { type SfResult, type SfSession, startSfSession } from './harness.js';

type Json = Record<string, unknown>;

/** The `result` of an sf --json answer. */
function result<T = Json>(run: SfResult): T {
  return (run.json as { result: T }).result;
}

describe('e2e: the real sf against the emulator', function () {
  this.timeout(180_000);
  let session: SfSession;

  before(async () => {
    session = await startSfSession();
  });
  after(async () => session?.close());

  it('sf org login access-token stored the org', async () => {
    const list = await session.sf(['org', 'list', '--json']);
    expect(list.code).to.equal(0);
    const orgs = Object.values(result<Record<string, Array<{ alias?: string; username: string }>>>(list)).flat();
    expect(orgs.find((o) => o.alias === session.alias)?.username).to.equal(session.username);
  });

  it('sf org display shows a connected org', async () => {
    const display = await session.sf(['org', 'display', '--json']);
    expect(display.code, display.stderr).to.equal(0);
    const org = result<Record<string, string>>(display);
    expect(org.connectedStatus).to.equal('Connected');
    // sf stores the --instance-url as given, normalized with a trailing slash.
    expect(org.instanceUrl.replace(/\/$/, '')).to.equal(session.emulator.url);
    expect(org.id).to.equal(session.emulator.org.organization.Id);
    expect(org.username).to.equal(session.username);
    expect(org.alias).to.equal(session.alias);
  });

  it('sf org list metadata works (empty, then the deployed app)', async () => {
    const empty = await session.sf(['org', 'list', 'metadata', '-m', 'ExternalClientApplication', '--json']);
    expect(empty.code, empty.stdout + empty.stderr).to.equal(0);
    expect(result(empty)).to.deep.equal([]);
  });

  it('sf project deploy start --metadata-dir deploys the five Ren components', async () => {
    const dir = join(session.home, 'ren-mdapi');
    for (const [path, content] of Object.entries(renPackage())) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    const deploy = await session.sf([
      'project',
      'deploy',
      'start',
      '--metadata-dir',
      dir,
      '--single-package',
      '--json',
    ]);
    expect(deploy.code, deploy.stdout + deploy.stderr).to.equal(0);
    const deployed = result<{ status: string; files: Array<{ fullName: string; type: string; state: string }> }>(
      deploy,
    );
    expect(deployed.status).to.equal('Succeeded');
    const files = deployed.files;
    expect(
      files
        .filter((f) => f.state === 'Created')
        .map((f) => f.type)
        .sort(),
    ).to.deep.equal(
      [
        'ExtlClntAppConfigurablePolicies',
        'ExtlClntAppGlobalOauthSettings',
        'ExtlClntAppOauthConfigurablePolicies',
        'ExtlClntAppOauthSettings',
        'ExternalClientApplication',
      ].sort(),
    );
    expect(session.emulator.org.getComponent('ExternalClientApplication', 'ren')).to.not.equal(undefined);

    const listed = await session.sf(['org', 'list', 'metadata', '-m', 'ExternalClientApplication', '--json']);
    expect(result<Array<{ fullName: string }>>(listed).map((p) => p.fullName)).to.deep.equal(['ren']);
  });

  it('sf project retrieve start --target-metadata-dir retrieves the app without its secret', async () => {
    const dir = join(session.home, 'retrieved');
    const retrieve = await session.sf([
      'project',
      'retrieve',
      'start',
      '-m',
      'ExternalClientApplication:ren',
      '-m',
      'ExtlClntAppGlobalOauthSettings:ren_glbloauth',
      '--target-metadata-dir',
      dir,
      '--unzip',
      '--json',
    ]);
    expect(retrieve.code, retrieve.stdout + retrieve.stderr).to.equal(0);
    const files = readdirSync(dir, { recursive: true }).map(String);
    const global = files.find((f) => f.endsWith('ren_glbloauth.ecaGlblOauth'));
    expect(global, files.join(', ')).to.not.equal(undefined);
    const content = readFileSync(join(dir, global as string), 'utf8');
    expect(content).to.contain(`<consumerKey>${session.emulator.org.consumerForApp('ren')?.key ?? ''}</consumerKey>`);
    expect(content).to.not.contain('consumerSecret');
  });

  it('a failing deploy reports the component problem and exits non-zero', async () => {
    const dir = join(session.home, 'bad-mdapi');
    for (const [path, content] of Object.entries(
      renPackage({ appName: 'bad', eca: { distributionState: 'Global' } }),
    )) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    const deploy = await session.sf([
      'project',
      'deploy',
      'start',
      '--metadata-dir',
      dir,
      '--single-package',
      '--json',
    ]);
    expect(deploy.code).to.not.equal(0);
    expect(deploy.stdout).to.contain("'Global' is not a valid value for the enum 'ExtlClntAppDistState'");
    expect(session.emulator.org.getComponent('ExternalClientApplication', 'bad')).to.equal(undefined);
  });

  it('sf data query runs SOQL against the emulator', async () => {
    const query = await session.sf([
      'data',
      'query',
      '-q',
      "SELECT DeveloperName, MasterLabel FROM ExternalClientApplication WHERE DeveloperName = 'ren'",
      '--json',
    ]);
    expect(query.code, query.stdout + query.stderr).to.equal(0);
    expect(result<{ records: Json[] }>(query).records[0]).to.include({ DeveloperName: 'ren', MasterLabel: 'Ren' });
  });

  it('every call sf made was answered by a route', () => {
    expect(session.emulator.requests.filter((r) => r.unrouted)).to.deep.equal([]);
  });

  it('after the session expires, sf fails cleanly', async () => {
    session.emulator.faults.expireSession();
    const query = await session.sf(['data', 'query', '-q', 'SELECT Id FROM User', '--json']);
    expect(query.code).to.not.equal(0);
    const failure = query.json as { status: number; name?: string; message?: string };
    expect(failure.status).to.not.equal(0);
    expect(`${failure.name ?? ''} ${failure.message ?? ''}`).to.match(/INVALID_SESSION_ID|expired|invalid|refresh/i);
    const display = await session.sf(['org', 'display', '--json']);
    expect(result<Record<string, string>>(display).connectedStatus).to.not.equal('Connected');
    session.emulator.reset();
  });
});
