/*
 * deployComponents against the emulator through the real client stack (@salesforce/core Connection, jsforce,
 * source-deploy-retrieve), in process.
 */
import { expect } from 'chai';
import { Duration } from '@salesforce/kit';
import type { Connection, SfError } from '@salesforce/core';
import type { Emulator } from '../../emulator/index.js';
import { mergeDefinition } from '../../../src/eca/definition.js';
import { planApp } from '../../../src/eca/plan.js';
import { sourceFile } from '../../../src/eca/components.js';
import { deleteMembers, deployFiles } from '../../../src/shared/deploy.js';
import { readExistingApp } from '../../../src/eca/orgApp.js';
import { connect, startTestEmulator, useTempHome } from '../../emulator/test/helpers.js';

describe('deploying metadata files (SDR → emulator)', function () {
  this.timeout(60_000);
  useTempHome();
  let emulator: Emulator;
  let conn: Connection;

  before(async () => {
    emulator = await startTestEmulator();
    conn = await connect(emulator, '64.0');
  });
  beforeEach(() => {
    emulator.faults.clear();
    emulator.reset();
  });
  after(async () => emulator?.close());

  const renComponents = () => planApp(mergeDefinition(), { children: {} }).components;
  const deployComponents = (
    c: Connection,
    components: ReturnType<typeof renComponents>,
    options: Parameters<typeof deployFiles>[2],
  ) => deployFiles(c, components.map(sourceFile), options);
  const fast = Duration.milliseconds(50);

  it('deploys all five components in one deploy and reads them back as the plan expects', async () => {
    const outcome = await deployComponents(conn, renComponents(), { apiVersion: '64.0', pollFrequency: fast });
    expect(outcome.success, JSON.stringify(outcome.problems)).to.equal(true);
    expect(outcome.id).to.match(/^0Af/);
    expect(outcome.deployed.map((d) => d.type).sort()).to.deep.equal([
      'ExternalClientApplication',
      'ExtlClntAppConfigurablePolicies',
      'ExtlClntAppGlobalOauthSettings',
      'ExtlClntAppOauthConfigurablePolicies',
      'ExtlClntAppOauthSettings',
    ]);
    const existing = await readExistingApp(conn, 'ren', '64.0');
    expect(planApp(mergeDefinition(), existing).status).to.equal('unchanged');
  });

  it('returns each component problem of a refused deploy and stores nothing', async () => {
    const components = renComponents();
    components[2].record.isPkceRequired = 'sometimes';
    const outcome = await deployComponents(conn, components, { apiVersion: '64.0', pollFrequency: fast });
    expect(outcome.success).to.equal(false);
    expect(outcome.problems.map((p) => p.type)).to.include('ExtlClntAppGlobalOauthSettings');
    expect(emulator.org.getComponent('ExternalClientApplication', 'ren')).to.equal(undefined);
  });

  it('validates only with checkOnly', async () => {
    const outcome = await deployComponents(conn, renComponents(), {
      apiVersion: '64.0',
      checkOnly: true,
      pollFrequency: fast,
    });
    expect(outcome).to.deep.include({ success: true, checkOnly: true });
    expect(emulator.org.getComponent('ExternalClientApplication', 'ren')).to.equal(undefined);
  });

  it('reports a delete the org refuses and deletes nothing', async () => {
    await deployComponents(conn, renComponents(), { apiVersion: '64.0', pollFrequency: fast });
    const outcome = await deleteMembers(
      conn,
      [
        { type: 'ExternalClientApplication', fullName: 'nope' },
        { type: 'ExternalClientApplication', fullName: 'ren' },
      ],
      { apiVersion: '64.0', pollFrequency: fast },
    );
    expect(outcome.success).to.equal(false);
    expect(outcome.problems.map((p) => p.fullName)).to.deep.equal(['nope']);
    expect(emulator.org.getComponent('ExternalClientApplication', 'ren')).to.not.equal(undefined);
  });

  it('stops waiting after the timeout and names the deploy', async () => {
    emulator.faults.add({ match: { soapMethod: 'checkDeployStatus' }, fault: 'delay', delayMs: 3000 });
    try {
      await deployComponents(conn, renComponents(), {
        apiVersion: '64.0',
        pollFrequency: fast,
        timeout: Duration.seconds(1),
      });
      expect.fail('should have timed out');
    } catch (error) {
      expect((error as SfError).name).to.equal('RenDeployTimeoutError');
      expect((error as SfError).message).to.match(/deploy 0Af\w+ after/);
      expect((error as SfError).actions?.join('\n')).to.match(/sf project deploy report --job-id 0Af/);
    }
  });

  it('deletes members in one destructive deploy (an empty package.xml, destructiveChangesPost.xml), children first', async () => {
    await deployComponents(conn, renComponents(), { apiVersion: '64.0', pollFrequency: fast });
    const members = renComponents()
      .reverse()
      .map((c) => ({ type: c.type, fullName: c.fullName }));
    const outcome = await deleteMembers(conn, members, { apiVersion: '64.0', pollFrequency: fast });
    expect(outcome.success, JSON.stringify(outcome.problems)).to.equal(true);
    for (const member of members)
      expect(emulator.org.getComponent(member.type, member.fullName), member.fullName).to.equal(undefined);
    const deploy = emulator.org.deploys.get(outcome.id);
    expect(deploy?.components.map((c) => [c.fullName, c.destructive])).to.have.deep.members(
      members.map((m) => [m.fullName, true]),
    );
  });
});
