/*
 * End to end: `sf ren app delete` through the real sf against the emulator. One destructive deploy removes the app
 * with every child it has, whatever their names (a Setup-made app's generated names too), never without consent:
 * --no-prompt, or a yes typed at a terminal (a pseudo-terminal made with `script`). An absent app is exit 0.
 */
import { spawn } from 'node:child_process';
import { expect } from 'chai';
import type { OrgSeed } from '../emulator/index.js';
import type { RenAppDeleteResult } from '../../src/commands/ren/app/delete.js';
import { sfBin, startSfSession, type SfSession } from './harness.js';
import { jsonOf, renOrgSeed } from './renOrg.js';

const REN_COMPONENTS = [
  ['ExternalClientApplication', 'ren'],
  ['ExtlClntAppOauthSettings', 'ren_oauth'],
  ['ExtlClntAppGlobalOauthSettings', 'ren_glbloauth'],
  ['ExtlClntAppConfigurablePolicies', 'ren_plcy'],
  ['ExtlClntAppOauthConfigurablePolicies', 'ren_oauthPlcy'],
] as const;

/** A Ren app made by hand in Setup: the children carry the names Salesforce generated, and another app sits beside it. */
function setupMadeSeed(): OrgSeed {
  const ren = { externalClientApplication: 'Ren_Sync' };
  const other = { externalClientApplication: 'Other' };
  return {
    metadata: {
      ExternalClientApplication: {
        Ren_Sync: { label: 'Ren', contactEmail: 'support@rensystems.com', distributionState: 'Local' },
        Other: { label: 'Other', contactEmail: 'it@example.com', distributionState: 'Local' },
      },
      ExtlClntAppOauthSettings: {
        Ren_Sync_oauth: { ...ren, commaSeparatedOauthScopes: 'Api' },
        Other_oauth: { ...other, commaSeparatedOauthScopes: 'Api' },
      },
      ExtlClntAppGlobalOauthSettings: {
        RenSyncGlblOAuth: { ...ren, callbackUrl: 'https://app.rensystems.com/api/salesforce/auth_callback' },
        OtherGlblOAuth: { ...other, callbackUrl: 'https://example.com/cb' },
      },
      ExtlClntAppConfigurablePolicies: { ExtApp1_plcy: { ...ren, isEnabled: true, isOauthPluginEnabled: true } },
      ExtlClntAppOauthConfigurablePolicies: {
        Ren_Sync_oauth_defaultPolicy: { ...ren, permittedUsersPolicyType: 'AllSelfAuthorized' },
        Other_oauth_defaultPolicy: { ...other, permittedUsersPolicyType: 'AllSelfAuthorized' },
      },
    },
  };
}

describe('sf ren app delete (end to end, real sf + emulator)', function () {
  this.timeout(240_000);
  let session: SfSession;

  const has = (type: string, fullName: string): boolean =>
    session.emulator.org.getComponent(type, fullName) !== undefined;
  const remove = async (...args: string[]) => {
    const run = await session.sf(['ren', 'app', 'delete', '--target-org', session.alias, ...args]);
    return { ...run, body: jsonOf<RenAppDeleteResult>(run) };
  };

  before(async () => {
    session = await startSfSession({ seed: renOrgSeed(), linkPlugin: true });
  });

  after(async () => {
    await session?.close();
  });

  it('--no-prompt: one destructive deploy removes the app and its four children, and its consumer', async () => {
    session.emulator.reset(renOrgSeed());
    const run = await remove('--no-prompt', '--json');
    expect(run.code, run.stderr).to.equal(0);
    expect(run.body.result?.status).to.equal('deleted');
    expect(run.body.result?.deleted.map((m) => [m.type, m.fullName])).to.have.deep.members(
      REN_COMPONENTS.map((c) => [...c]),
    );
    expect(REN_COMPONENTS.filter(([type, name]) => has(type, name))).to.deep.equal([]);
    expect(session.emulator.org.consumerForApp('ren')).to.equal(undefined);
    const deploys = [...session.emulator.org.deploys.values()];
    expect(deploys).to.have.length(1);
    expect(deploys[0].components.every((c) => c.destructive)).to.equal(true);
    expect(deploys[0].id).to.equal(run.body.result?.deployId);
  });

  it('without a terminal and without --no-prompt: refuses, deletes nothing', async () => {
    session.emulator.reset(renOrgSeed());
    for (const args of [[], ['--json']]) {
      // eslint-disable-next-line no-await-in-loop
      const run = await remove(...args);
      expect(run.code).to.not.equal(0);
      expect(`${run.stdout}${run.stderr}`).to.include('RenNeedsConsentError').and.include('--no-prompt');
    }
    expect(REN_COMPONENTS.every(([type, name]) => has(type, name))).to.equal(true);
    expect(session.emulator.org.deploys.size).to.equal(0);
  });

  it('an app the org does not have: status absent, exit 0, no deploy', async () => {
    session.emulator.reset({});
    const run = await remove('--no-prompt', '--json');
    expect(run.code, run.stderr).to.equal(0);
    expect(run.body.result).to.deep.include({ app: 'ren', status: 'absent', deleted: [] });
    expect(session.emulator.org.deploys.size).to.equal(0);
  });

  it('a Setup-made app: its children are found by their parent, whatever their names; the app beside it stays', async () => {
    session.emulator.reset(setupMadeSeed());
    const run = await remove('--app', 'Ren_Sync', '--no-prompt', '--json');
    expect(run.code, run.stderr).to.equal(0);
    expect(run.body.result?.deleted.map((m) => m.fullName)).to.have.members([
      'Ren_Sync',
      'Ren_Sync_oauth',
      'RenSyncGlblOAuth',
      'ExtApp1_plcy',
      'Ren_Sync_oauth_defaultPolicy',
    ]);
    for (const [type, name] of [
      ['ExternalClientApplication', 'Ren_Sync'],
      ['ExtlClntAppGlobalOauthSettings', 'RenSyncGlblOAuth'],
      ['ExtlClntAppConfigurablePolicies', 'ExtApp1_plcy'],
      ['ExtlClntAppOauthConfigurablePolicies', 'Ren_Sync_oauth_defaultPolicy'],
    ])
      expect(has(type, name), name).to.equal(false);
    for (const [type, name] of [
      ['ExternalClientApplication', 'Other'],
      ['ExtlClntAppOauthSettings', 'Other_oauth'],
      ['ExtlClntAppGlobalOauthSettings', 'OtherGlblOAuth'],
      ['ExtlClntAppOauthConfigurablePolicies', 'Other_oauth_defaultPolicy'],
    ])
      expect(has(type, name), name).to.equal(true);
  });

  it('at a terminal: asks first; "n" deletes nothing, "y" deletes', async () => {
    session.emulator.reset(renOrgSeed());
    // `script` gives sf a pseudo-terminal; the answer is typed into it once the question shows.
    const inTerminal = (answer: string): Promise<string> =>
      new Promise((resolve, reject) => {
        const command = `${sfBin} ren app delete --target-org ${session.alias}`;
        const child = spawn('script', ['-qec', command, '/dev/null'], { env: session.env, cwd: session.home });
        let output = '';
        let answered = false;
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          output += chunk;
          if (!answered && output.includes('Ren will no longer be able to log in')) {
            answered = true;
            child.stdin.write(`${answer}\r`);
          }
        });
        const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
        child.on('error', reject);
        child.on('close', () => {
          clearTimeout(timer);
          resolve(output);
        });
      });
    const declined = await inTerminal('n');
    expect(declined).to.include('Delete External Client App ren');
    expect(declined).to.include('You answered no: nothing was done.');
    expect(has('ExternalClientApplication', 'ren')).to.equal(true);
    const confirmed = await inTerminal('y');
    expect(confirmed).to.include('Deleted External Client App ren');
    expect(REN_COMPONENTS.filter(([type, name]) => has(type, name))).to.deep.equal([]);
  });
});
