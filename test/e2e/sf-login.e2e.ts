import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { renPackage } from '../unit/emulator/fixtures.js';
import { type SfSession, startSfSession } from './harness.js';

describe('e2e: the real sf against the emulator', function () {
  this.timeout(180_000);
  let session: SfSession;

  before(async () => {
    session = await startSfSession();
  });
  after(async () => {
    if (process.env.EMULATOR_DEBUG) console.log(session.emulator.requests.map((r) => `${r.status ?? '-'} ${r.method} ${r.path} ${r.soapMethod ?? r.query ?? ''}`).join('\n'));
    await session?.close();
  });

  it('sf org login access-token stored the org', async () => {
    const list = await session.sf(['org', 'list', '--json']);
    expect(list.code).to.equal(0);
    const orgs = [...(list.json.result.nonScratchOrgs ?? []), ...(list.json.result.other ?? [])] as Array<{ alias?: string; username: string }>;
    expect(orgs.find((o) => o.alias === session.alias)?.username).to.equal(session.username);
  });

  it('sf org display shows a connected org', async () => {
    const display = await session.sf(['org', 'display', '--json']);
    expect(display.code, display.stderr).to.equal(0);
    const result = display.json.result as Record<string, string>;
    expect(result.connectedStatus).to.equal('Connected');
    // sf stores the --instance-url as given, normalized with a trailing slash.
    expect(result.instanceUrl.replace(/\/$/, '')).to.equal(session.emulator.url);
    expect(result.id).to.equal(session.emulator.org.organization.Id);
    expect(result.username).to.equal(session.username);
    expect(result.alias).to.equal(session.alias);
  });

  it('sf org list metadata works (empty, then the deployed app)', async () => {
    const empty = await session.sf(['org', 'list', 'metadata', '-m', 'ExternalClientApplication', '--json']);
    expect(empty.code, empty.stdout + empty.stderr).to.equal(0);
    expect(empty.json.result).to.deep.equal([]);
  });

  it('sf project deploy start --metadata-dir deploys the five Ren components', async () => {
    const dir = join(session.home, 'ren-mdapi');
    for (const [path, content] of Object.entries(renPackage())) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    const deploy = await session.sf(['project', 'deploy', 'start', '--metadata-dir', dir, '--single-package', '--json']);
    expect(deploy.code, deploy.stdout + deploy.stderr).to.equal(0);
    expect(deploy.json.result.status).to.equal('Succeeded');
    const files = deploy.json.result.files as Array<{ fullName: string; type: string; state: string }>;
    expect(files.filter((f) => f.state === 'Created').map((f) => f.type).sort()).to.deep.equal(
      [
        'ExtlClntAppConfigurablePolicies',
        'ExtlClntAppGlobalOauthSettings',
        'ExtlClntAppOauthConfigurablePolicies',
        'ExtlClntAppOauthSettings',
        'ExternalClientApplication',
      ].sort()
    );
    expect(session.emulator.org.getComponent('ExternalClientApplication', 'ren')).to.not.equal(undefined);

    const listed = await session.sf(['org', 'list', 'metadata', '-m', 'ExternalClientApplication', '--json']);
    expect((listed.json.result as Array<{ fullName: string }>).map((p) => p.fullName)).to.deep.equal(['ren']);
  });

  it('a failing deploy reports the component problem and exits non-zero', async () => {
    const dir = join(session.home, 'bad-mdapi');
    for (const [path, content] of Object.entries(renPackage({ appName: 'bad', eca: { distributionState: 'Global' } }))) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    const deploy = await session.sf(['project', 'deploy', 'start', '--metadata-dir', dir, '--single-package', '--json']);
    expect(deploy.code).to.not.equal(0);
    expect(deploy.stdout).to.contain("'Global' is not a valid value for the enum 'ExtlClntAppDistState'");
    expect(session.emulator.org.getComponent('ExternalClientApplication', 'bad')).to.equal(undefined);
  });

  it('sf data query runs SOQL against the emulator', async () => {
    const query = await session.sf(['data', 'query', '-q', "SELECT DeveloperName, MasterLabel FROM ExternalClientApplication WHERE DeveloperName = 'ren'", '--json']);
    expect(query.code, query.stdout + query.stderr).to.equal(0);
    expect(query.json.result.records[0]).to.include({ DeveloperName: 'ren', MasterLabel: 'Ren' });
  });

  it('every call sf made was answered by a route', () => {
    expect(session.emulator.requests.filter((r) => r.unrouted)).to.deep.equal([]);
  });

  it('after the session expires, sf fails cleanly', async () => {
    session.emulator.faults.expireSession();
    const query = await session.sf(['data', 'query', '-q', 'SELECT Id FROM User', '--json']);
    expect(query.code).to.not.equal(0);
    expect(query.json?.status).to.not.equal(0);
    expect(`${query.json?.name ?? ''} ${query.json?.message ?? ''}`).to.match(/INVALID_SESSION_ID|expired|invalid|refresh/i);
    const display = await session.sf(['org', 'display', '--json']);
    expect(display.json?.result?.connectedStatus ?? '').to.not.equal('Connected');
    session.emulator.reset();
  });
});
