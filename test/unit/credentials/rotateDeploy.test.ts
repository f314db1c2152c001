/*
 * A rotation by deploy (no staged credentials: API below 65, or a consumer that names no staged URL), against the
 * emulator through the real client stack: what the deploy carries, and what the org does with it.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { Global } from '@salesforce/core';
import type { Emulator } from '../../emulator/index.js';
import { connect, startTestEmulator, useTempHome } from '../../emulator/test/helpers.js';
import { REN_KEY, REN_SECRET, renOrgSeed } from '../../e2e/renOrg.js';
import { findConsumer } from '../../../src/credentials/consumer.js';
import { rotateCredentials } from '../../../src/credentials/rotate.js';
import { readRotationRecord } from '../../../src/credentials/rotationRecord.js';
import { findAppId } from '../../../src/eca/orgApp.js';

/** The global OAuth settings file of the org's last deploy, as the plugin sent it. */
function globalOauthFile(emulator: Emulator): string {
  const deploy = [...emulator.org.deploys.values()].pop();
  const [, text] = Object.entries(deploy?.files ?? {}).find(([path]) => path.includes('ren_glbloauth')) ?? [];
  if (!text) throw new Error('no global OAuth settings file was deployed');
  return text;
}

/** Ren's app; the secret setting on, so the consumer list answers (a rotation by deploy itself needs no setting). */
const seed = () =>
  renOrgSeed({}, { settings: { ExternalClientAppSettings: { enableClientSecretInRestApiAccess: true } } });

describe('rotation by deploy (no staged credentials)', function () {
  this.timeout(60_000);
  useTempHome();
  let emulator: Emulator;

  before(async () => {
    emulator = await startTestEmulator(seed());
  });
  beforeEach(async () => {
    emulator.reset(seed());
    await rm(join(Global.SF_DIR, 'plugin-ren'), { recursive: true, force: true });
  });
  after(async () => emulator?.close());

  async function rotate(apiVersion: string, key: boolean, dropStagedUrl = false) {
    const conn = await connect(emulator, apiVersion);
    const appId = (await findAppId(conn, 'ren')) ?? '';
    const { consumer } = await findConsumer(conn, appId, 'ren');
    if (!consumer) throw new Error('no consumer');
    const used = dropStagedUrl ? { ...consumer, stagedCredentialsUrl: undefined } : consumer;
    const ref = { orgId: emulator.org.organization.Id, app: 'ren', target: 'acme' };
    return rotateCredentials(conn, used, ref, { key });
  }

  it('a new secret only: carries the current key, so the org keeps it; the secret is never sent', async () => {
    const rotation = await rotate('64.0', false);
    expect(rotation).to.deep.include({ method: 'deploy', key: false, notes: [] });
    expect(rotation.deployId).to.match(/^0Af/);
    const file = globalOauthFile(emulator);
    expect(file)
      .to.include(`<consumerKey>${REN_KEY}</consumerKey>`)
      .and.include('<shouldRotateConsumerSecret>true</shouldRotateConsumerSecret>')
      .and.include('<shouldRotateConsumerKey>false</shouldRotateConsumerKey>')
      .and.not.include(REN_SECRET);
    expect([...emulator.org.deploys.values()].pop()?.options.ignoreWarnings).to.equal(true);
    const consumer = emulator.org.consumerForApp('ren');
    expect(consumer?.key).to.equal(REN_KEY);
    expect(consumer?.secret).to.not.equal(REN_SECRET);
    expect(await readRotationRecord(emulator.org.organization.Id, 'ren')).to.include({ method: 'deploy' });
  });

  it('a new secret only keeps the key even in an org that issues a new key when the deploy omits it', async () => {
    emulator.org.setReadings({ globalOauthWithoutKey: 'new-key' });
    await rotate('64.0', false);
    expect(emulator.org.consumerForApp('ren')?.key).to.equal(REN_KEY);
  });

  it('a new key too: the current key is not carried, and the org issues a new pair', async () => {
    const rotation = await rotate('64.0', true);
    expect(rotation).to.include({ method: 'deploy', key: true });
    const file = globalOauthFile(emulator);
    expect(file).to.include('<shouldRotateConsumerKey>true</shouldRotateConsumerKey>');
    expect(file).to.not.include('<consumerKey>');
    const consumer = emulator.org.consumerForApp('ren');
    expect(consumer?.key).to.not.equal(REN_KEY);
    expect(consumer?.secret).to.not.equal(REN_SECRET);
  });

  it('at API 65+ a consumer that names no staged URL is rotated by deploy too', async () => {
    const rotation = await rotate('66.0', false, true);
    expect(rotation.method).to.equal('deploy');
    expect(emulator.requests.filter((r) => r.path.includes('/staged'))).to.deep.equal([]);
  });
});
