/*
 * End to end: forgiving input and output that shows what happened, through the real `sf` binary against the
 * emulator. Scopes by their OAuth names, a refused preauthorize, the human output of each --dry-run (create,
 * preauthorize, onboard: the change itself, the hand-off stage skipped) and `app create --output-dir` without an org.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { startSfSession, type SfSession } from './harness.js';

describe('forgiving input, visible results (end to end, real sf + emulator)', function () {
  this.timeout(180_000);
  let session: SfSession;
  let dir: string;

  type Json = {
    name?: string;
    message?: string;
    result?: { changes: Array<{ field: string; after?: unknown }> };
  };
  const sf = async (...args: string[]) => {
    const run = await session.sf(['ren', ...args]);
    return { ...run, body: (run.json ?? {}) as Json };
  };
  const requests = () => session.emulator.requests.length;

  before(async () => {
    session = await startSfSession({ linkPlugin: true });
    dir = await mkdtemp(join(tmpdir(), 'ren-input-'));
  });
  beforeEach(() => {
    session.emulator.faults.clear();
    session.emulator.reset();
  });
  after(async () => {
    await session?.close();
  });

  it("takes scopes by the guide's OAuth names and suggests the scope meant for a near miss", async () => {
    const ok = await sf('app', 'create', '--scopes', 'id,api,refresh_token,offline_access', '--dry-run', '--json');
    expect(ok.code, ok.stdout).to.equal(0);
    const scopes = (ok.body.result?.changes ?? []).find((c) => c.field === 'commaSeparatedOauthScopes');
    expect(scopes?.after).to.equal('Basic, Api, RefreshToken, OfflineAccess');
    const near = await sf('app', 'create', '--scopes', 'api,refresh-tokn', '--json');
    expect(near.code).to.equal(1);
    expect(near.body.name).to.equal('RenInvalidDefinitionError');
    expect(near.body.message).to.include('--scopes: unknown scope "refresh-tokn" (did you mean "RefreshToken"?)');
  });

  it('app create --dry-run shows what would change in human output, without bookkeeping rows', async () => {
    const run = await sf('app', 'create', '--profile', 'Sales', '--dry-run');
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.match(/commaSeparatedProfile\s+│?\s*—\s+│?\s*Sales/);
    expect(run.stdout).to.match(/Not listed: \d+ settings that are as Ren's guide has them/);
    expect(run.stdout).not.to.include('externalClientApplication');
    expect(run.stdout).not.to.include('isProtected');
    expect(session.emulator.org.getComponent('ExternalClientApplication', 'ren')).to.equal(undefined);
  });

  describe('with the app in the org', () => {
    beforeEach(async () => {
      const created = await sf('app', 'create', '--json');
      expect(created.code, created.stdout).to.equal(0);
    });

    it('preauthorize --dry-run marks what would change; a run with nothing to change is refused', async () => {
      const run = await sf('app', 'preauthorize', '--permission-set', 'Ren_Users', '--dry-run');
      expect(run.code, run.stderr).to.equal(0);
      expect(run.stdout).to.match(/Permission sets\s+│?\s*—\s+│?\s*Ren_Users\s+│?\s*would change/);
      const deploys = session.emulator.org.deploys.size;
      const nothing = await sf('app', 'preauthorize', '--json');
      expect(nothing.code).to.equal(1);
      expect(nothing.body.name).to.equal('RenNothingToChangeError');
      const both = await sf('app', 'preauthorize', '--remove', 'Sales_Ops', '--permission-set', 'Sales_Ops', '--json');
      expect(both.body.name).to.equal('RenAddAndRemoveError');
      const empty = await sf('app', 'preauthorize', '--profile', '', '--json');
      expect(empty.body.name).to.equal('RenEmptyNameError');
      expect(session.emulator.org.deploys.size).to.equal(deploys);
    });
  });

  it("onboard --dry-run shows the org's change, and the hand-off stage as skipped", async () => {
    const out = join(dir, 'handoff');
    const run = await sf('onboard', '--profile', 'Sales', '--output-dir', out, '--dry-run');
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.include(`${session.alias}: app ren would be created (dry run, nothing was deployed):`);
    expect(run.stdout).to.match(/commaSeparatedProfile\s+│?\s*—\s+│?\s*Sales/);
    const progress = `${run.stdout}\n${run.stderr}`;
    // Without a terminal progress is stage lines (shared/stageLines.ts).
    expect(progress, progress).to.include('◯ Handing the credentials off (skipped)');
    expect(progress).not.to.match(/✔ Handing the credentials off/);
    expect(existsSync(out)).to.equal(false);
  });

  describe('app create --output-dir without an org', () => {
    before(async () => {
      const unset = await session.sf(['config', 'unset', 'target-org', '--global', '--json']);
      expect(unset.code, unset.stdout).to.equal(0);
    });
    after(async () => {
      await session.sf(['config', 'set', 'target-org', session.alias, '--global', '--json']);
    });

    it('writes the files into a new folder, says the names were not checked, and contacts no org', async () => {
      const out = join(dir, 'source');
      const from = requests();
      const run = await sf('app', 'create', '--output-dir', out, '--profile', 'Sales');
      expect(run.code, run.stderr).to.equal(0);
      expect(run.stdout).to.include(`Wrote External Client App ren as source-format metadata to ${out}`);
      expect(run.stderr).to.include('names were written as typed and not checked: no org was given');
      expect((await readdir(out)).sort()).to.deep.equal([
        'externalClientApps',
        'extlClntAppGlobalOauthSets',
        'extlClntAppOauthPolicies',
        'extlClntAppOauthSettings',
        'extlClntAppPolicies',
      ]);
      expect(requests()).to.equal(from);
    });

    it('refuses a folder whose parent is missing, and a deploy with no org at all', async () => {
      const missing = await sf('app', 'create', '--output-dir', join(dir, 'no', 'such'), '--json');
      expect(missing.code).to.equal(1);
      expect(missing.body.name).to.equal('RenOutputDirMissingError');
      const noOrg = await sf('app', 'create', '--json');
      expect(noOrg.code).to.equal(1);
      expect(noOrg.body.name).to.equal('RenNoOrgError');
    });
  });
});
