/*
 * End to end: rotation without downtime, through the real sf against the emulator, with a stand-in for Ren that
 * keeps refreshing its OAuth token with whatever key and secret it holds during the whole run and switches to the new
 * pair when the hand-off reaches it. Staged credentials (API 65+) must never refuse it; a deploy rotation (no staged
 * credentials) cuts it off at once, so it asks first. Also: --revoke-previous, --if-older-than, leftover staged
 * records, the self-rotation guard, all strict readings at once, and what status says about a previous pair.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type { RenConnectResult } from '../../src/commands/ren/connect.js';
import { KeyPrefix, STRICT_READINGS } from '../emulator/index.js';
import { DEFAULT_PERMISSION_SETS, DEFAULT_PROFILES, DEFAULT_USERS } from '../emulator/org/seed.js';
import { useConnectSession } from './connectSession.js';
import { REN_KEY, REN_SECRET, jsonOf, renOrgSeed, secretAccessSetting } from './renOrg.js';
import { type Pair, duringRun, refreshStatus, refused, renRefreshToken, slowCredentialsRead } from './renStandIn.js';

const TOKEN = 'ren-rotation-token-7c1f9a';
const OLD: Pair = { key: REN_KEY, secret: REN_SECRET };
const DAY = 86_400_000;

describe('sf ren connect: rotation without downtime (end to end)', function () {
  this.timeout(300_000);
  const fx = useConnectSession();
  const emulator = () => fx.session.emulator;
  const consumer = () => emulator().org.consumerForApp('ren')!;
  const currentPair = (): Pair => ({ key: consumer().key, secret: consumer().secret });
  const mark = (): number => emulator().requests.length;
  /** The staged requests (POST, PATCH, DELETE) the org received since `from`. */
  const stagedChanges = (from: number): string[] =>
    emulator()
      .requests.slice(from)
      .filter((r) => r.path.includes('/staged') && r.method !== 'GET')
      .map((r) => r.method);
  const secretReads = (from: number) =>
    emulator()
      .requests.slice(from)
      .filter((r) => r.query?.includes('part=keyandsecret'));
  const handedOff = (): Pair[] =>
    fx.receiver.received.map((r) => {
      const body = r.body as Record<string, string>;
      return { key: body.consumerKey, secret: body.consumerSecret };
    });
  /** `sf ren connect … --no-prompt --ren-url … --allow-secret-access --json`, Ren's token in the environment. */
  const rotate = (flags: string[]) =>
    fx.connect([...flags, '--no-prompt', '--ren-url', fx.receiver.url, '--allow-secret-access', '--json'], {
      REN_API_TOKEN: TOKEN,
    });
  const revokePrevious = () => fx.connect(['--revoke-previous', '--no-prompt', '--allow-secret-access', '--json']);

  const whileRenRefreshes = <T>(work: () => Promise<T>) => duringRun(emulator(), fx.receiver, OLD, work);
  const slowSecretRead = (): void => slowCredentialsRead(emulator());

  it('--rotate --rotate-key (staged): Ren is never refused; --revoke-previous then cuts the old pair off', async () => {
    slowSecretRead();
    const { run, attempts } = await whileRenRefreshes(() => rotate(['--rotate', '--rotate-key']));
    expect(run.code, run.stderr).to.equal(0);
    const previous = consumer().staged[0];
    expect(run.body.result?.rotated).to.deep.equal({
      method: 'staged',
      key: true,
      previousRevoked: false,
      previousValidUntil: previous.expirationDate,
    });
    expect(handedOff()).to.deep.equal([currentPair()]);
    expect(currentPair().key).to.not.equal(REN_KEY);
    // Not one refusal, at any moment of the run; and the moments that matter were seen: the old pair while the new
    // one was already the consumer's (the overlap), and the new pair once Ren had it.
    expect(refused(attempts)).to.deep.equal([]);
    expect(attempts.filter((a) => a.key === REN_KEY && !a.current).length, 'old pair during the overlap').to.be.above(
      0,
    );
    expect(attempts.filter((a) => a.key === currentPair().key).length, 'new pair after the hand-off').to.be.above(0);
    expect(previous).to.include({ state: 'Rotated', key: REN_KEY });
    expect(run.stdout).to.not.include(REN_SECRET).and.not.include(currentPair().secret);

    const refreshToken = renRefreshToken(emulator());
    const revoked = await revokePrevious();
    expect(revoked.code, revoked.stderr).to.equal(0);
    expect(revoked.body.result).to.deep.include({
      status: 'revoked',
      revoked: { id: previous.id, createdDate: previous.createdDate },
    });
    expect(await refreshStatus(emulator(), refreshToken, OLD)).to.equal(400);
    expect(await refreshStatus(emulator(), refreshToken, currentPair())).to.equal(200);
    expect(consumer().staged).to.deep.equal([]);
    expect(secretAccessSetting(fx.session)).to.equal(false);
  });

  it('--revoke-previous while the org setting is off and not allowed: RenSecretAccessOff, nothing revoked', async () => {
    await rotate(['--rotate']);
    const from = mark();
    const run = await fx.connect(['--revoke-previous', '--no-prompt', '--json']);
    expect(run.code).to.not.equal(0);
    expect(run.body.name).to.equal('RenSecretAccessOffError');
    expect(run.body.actions?.join('\n')).to.include('--allow-secret-access');
    expect(stagedChanges(from)).to.deep.equal([]);
    expect(consumer().staged.map((s) => s.state)).to.deep.equal(['Rotated']);
  });

  it('--rotate alone at API 65+: staged credentials always issue a new key with the secret; the old pair still works', async () => {
    const { run, attempts } = await whileRenRefreshes(() => rotate(['--rotate']));
    expect(run.code, run.stderr).to.equal(0);
    // Asked for a new secret only, Ren gets a new key too: staged credentials have no secret-only rotation.
    expect(run.body.result?.rotated).to.include({ method: 'staged', key: true, previousRevoked: false });
    expect(handedOff()[0].key).to.equal(currentPair().key);
    expect(currentPair().key).to.not.equal(REN_KEY);
    expect(refused(attempts)).to.deep.equal([]);
    expect(await refreshStatus(emulator(), renRefreshToken(emulator()), OLD)).to.equal(200);
  });

  it('no staged credentials (--api-version 64.0): asks first, and a deploy cuts the old secret off at once', async () => {
    const from = mark();
    const asked = await fx.connect(
      ['--rotate', '--api-version', '64.0', '--ren-url', fx.receiver.url, '--allow-secret-access', '--json'],
      { REN_API_TOKEN: TOKEN },
    );
    expect(asked.code).to.not.equal(0);
    expect(asked.body.name).to.equal('RenNeedsConsentError');
    expect(
      emulator()
        .requests.slice(from)
        .filter((r) => r.soapMethod === 'deploy'),
    ).to.deep.equal([]);
    expect(currentPair()).to.deep.equal(OLD);

    const { run, attempts } = await whileRenRefreshes(() => rotate(['--rotate', '--api-version', '64.0']));
    expect(run.code, run.stderr).to.equal(0);
    expect(run.body.result?.rotated).to.include({ method: 'deploy', previousRevoked: true });
    expect(stagedChanges(from)).to.deep.equal([]);
    // The key stays, the secret is new, and the old secret stopped with the deploy: Ren was refused until the
    // hand-off reached it (the downtime staged credentials avoid).
    expect(currentPair().key).to.equal(REN_KEY);
    expect(handedOff()).to.deep.equal([currentPair()]);
    expect(refused(attempts).length).to.be.above(0);
    expect(await refreshStatus(emulator(), renRefreshToken(emulator()), OLD)).to.equal(400);
    expect(await refreshStatus(emulator(), renRefreshToken(emulator()), currentPair())).to.equal(200);
  });

  it('--json says rotated.key false for a secret-only deploy rotation', async () => {
    const run = await rotate(['--rotate', '--api-version', '64.0']);
    expect(run.body.result?.rotated).to.deep.equal({ method: 'deploy', key: false, previousRevoked: true });
  });

  it('a failed hand-off after a staged rotation (Ren answers 401): the previous pair keeps working, as the error says', async () => {
    fx.receiver.answer([401]);
    const { run, attempts } = await whileRenRefreshes(() => rotate(['--rotate', '--rotate-key']));
    expect(run.code).to.not.equal(0);
    expect(run.body.name).to.equal('RenRotatedNotHandedOffError');
    expect(run.body.message).to.include('new consumer key and secret').and.include('401');
    const previous = consumer().staged[0];
    expect(run.body.actions?.[0]).to.include('previous key and secret still work').and.include(previous.expirationDate);
    expect(run.body.actions?.[1]).to.include('without rotating again');
    // Ren never got the new pair, and its old one was never refused.
    expect(refused(attempts)).to.deep.equal([]);
    expect(attempts.every((a) => a.key === REN_KEY)).to.equal(true);
    expect(previous).to.include({ state: 'Rotated', key: REN_KEY });
    expect(secretAccessSetting(fx.session)).to.equal(false);
  });

  it('rotating again after a failed hand-off is refused before anything changes: Ren keeps the pair it uses', async () => {
    fx.receiver.answer([401]);
    expect((await rotate(['--rotate', '--rotate-key'])).code).to.not.equal(0);
    const previous = consumer().staged[0];
    const from = mark();
    const { run, attempts } = await whileRenRefreshes(() => rotate(['--rotate', '--rotate-key']));
    expect(run.code).to.not.equal(0);
    expect(run.body.name).to.equal('RenPreviousPairInUseError');
    expect(run.body.message).to.include(previous.id);
    expect(run.body.actions?.join('\n')).to.include(`sf ren connect --target-org ${fx.session.alias}`);
    expect(stagedChanges(from)).to.deep.equal([]);
    expect(refused(attempts)).to.deep.equal([]);
    // Handing the current pair off first (no rotation) makes the next rotation safe again.
    const handed = await rotate([]);
    expect(handed.code, handed.stderr).to.equal(0);
    const again = await rotate(['--rotate', '--rotate-key']);
    expect(again.code, again.stderr).to.equal(0);
    expect(handedOff().at(-1)).to.deep.equal(currentPair());
  });

  it("the self-rotation guard: an sf login through Ren's own app may not rotate it; nothing changes", async () => {
    // A second admin logs sf in through Ren's app itself: an SFDX auth URL whose client id is Ren's consumer key (as a
    // JWT or web login with --client-id records it). sf refreshes it at the org's token endpoint like any login.
    const ops = {
      Username: 'ops@emulator.example.com',
      FirstName: 'Otto',
      LastName: 'Ops',
      profile: 'System Administrator',
    };
    emulator().reset(renOrgSeed({}, { users: [...DEFAULT_USERS, ops] }));
    const opsId = emulator().org.directory.users.find((u) => u.Username === ops.Username)?.Id ?? '';
    const refreshToken = emulator().org.sessions.issueRefreshToken(opsId, consumer().id);
    const file = join(fx.session.home, 'ops-auth-url.txt');
    writeFileSync(file, `force://${REN_KEY}:${REN_SECRET}:${refreshToken}@${new URL(emulator().url).host}`, {
      mode: 0o600,
    });
    const login = await fx.session.sf([
      'org',
      'login',
      'sfdx-url',
      '--sfdx-url-file',
      file,
      '--alias',
      'ops',
      '--json',
    ]);
    expect(login.code, `${login.stdout}${login.stderr}`).to.equal(0);
    const from = mark();
    const run = await fx.session.sf(
      ['ren', 'connect', '--target-org', 'ops', '--rotate', '--no-prompt', '--ren-url', fx.receiver.url].concat([
        '--allow-secret-access',
        '--json',
      ]),
      { env: { REN_API_TOKEN: TOKEN } },
    );
    const body = jsonOf<RenConnectResult>(run);
    expect(run.code).to.not.equal(0);
    expect(body.name).to.equal('RenSelfRotationError');
    expect(body.actions?.join('\n')).to.include('Log in with another app');
    expect(stagedChanges(from)).to.deep.equal([]);
    expect(
      emulator()
        .requests.slice(from)
        .filter((r) => r.soapMethod === 'deploy'),
    ).to.deep.equal([]);
    expect(currentPair()).to.deep.equal(OLD);
    expect(fx.receiver.received).to.deep.equal([]);
    expect(secretAccessSetting(fx.session)).to.equal(false);
  });

  it('--if-older-than, just rotated: unchanged, exit 0, nothing read or handed off (age from the org, then the record)', async () => {
    expect((await rotate(['--rotate', '--rotate-key'])).code).to.equal(0);
    const previous = consumer().staged[0];
    const pair = currentPair();
    const young = async (age: string, source: 'org' | 'record', since?: string): Promise<void> => {
      const from = mark();
      const run = await rotate(['--rotate', '--if-older-than', age]);
      expect(run.code, run.stderr).to.equal(0);
      expect(run.body.result).to.deep.include({ status: 'unchanged', handedOffTo: [] });
      expect(run.body.result?.currentPairSince?.source).to.equal(source);
      if (since) expect(run.body.result?.currentPairSince?.since).to.equal(since);
      expect(stagedChanges(from)).to.deep.equal([]);
      expect(secretReads(from)).to.deep.equal([]);
      expect(fx.receiver.received).to.have.length(1);
      expect(currentPair()).to.deep.equal(pair);
    };
    await young('90d', 'org', previous.createdDate);
    // With the previous pair revoked the org no longer tells; the plugin's record of its rotation does.
    expect((await revokePrevious()).code).to.equal(0);
    await young('12h', 'record');
    expect(secretAccessSetting(fx.session)).to.equal(false);
  });

  it('--if-older-than, rotated long ago: rotated (age from the org, then the record)', async () => {
    expect((await rotate(['--rotate', '--rotate-key'])).code).to.equal(0);
    // The plugin measures an age against this machine's clock, as a real org's clock agrees with it; advancing the
    // emulator's clock cannot make a pair older as the plugin sees it, so the test dates the records back instead.
    consumer().staged[0].createdDate = new Date(Date.now() - 100 * DAY).toISOString();
    const fromOrg = await rotate(['--rotate', '--if-older-than', '90d']);
    expect(fromOrg.code, fromOrg.stderr).to.equal(0);
    expect(fromOrg.body.result?.status).to.equal('handed-off');
    expect(fromOrg.body.result?.rotated?.method).to.equal('staged');
    expect(handedOff()[1]).to.deep.equal(currentPair());

    expect((await revokePrevious()).code).to.equal(0);
    const orgId = emulator().org.organization.Id;
    const recordFile = join(fx.session.home, '.sf', 'plugin-ren', 'rotations', `${orgId}-ren.json`);
    const record = JSON.parse(readFileSync(recordFile, 'utf8')) as { rotatedAt: string };
    writeFileSync(recordFile, JSON.stringify({ ...record, rotatedAt: new Date(Date.now() - 100 * DAY).toISOString() }));
    const fromRecord = await rotate(['--rotate', '--if-older-than', '90d']);
    expect(fromRecord.code, fromRecord.stderr).to.equal(0);
    expect(fromRecord.body.result?.status).to.equal('handed-off');
    expect(handedOff()).to.have.length(3);
  });

  it("another tool's staged record (Active) stops the rotation before anything changes", async () => {
    // Another tool stages a pair through the org's REST API (the emulator lets it in without the setting).
    emulator().org.setReadings({ stagedNeedsSecretSetting: false });
    const appId = emulator().org.getComponent('ExternalClientApplication', 'ren')?.id ?? '';
    const staged = await fetch(
      `${emulator().url}/services/data/v66.0/apps/oauth/credentials/${appId}/${consumer().id}/staged`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${emulator().accessToken}`, 'content-type': 'application/json' },
        body: '{}',
      },
    );
    expect(staged.status).to.equal(201);
    emulator().org.setReadings({ stagedNeedsSecretSetting: true });
    const foreign = { ...consumer().staged[0] };
    const from = mark();
    const { run, attempts } = await whileRenRefreshes(() => rotate(['--rotate', '--rotate-key']));
    expect(run.code).to.not.equal(0);
    expect(run.body.name).to.equal('RenStagedLeftoverError');
    expect(run.body.message).to.include(foreign.id).and.include('Nothing was changed');
    expect(stagedChanges(from)).to.deep.equal([]);
    expect(consumer().staged).to.deep.equal([foreign]);
    expect(currentPair()).to.deep.equal(OLD);
    expect(fx.receiver.received).to.deep.equal([]);
    expect(refused(attempts)).to.deep.equal([]);
    expect(secretAccessSetting(fx.session)).to.equal(false);
  });

  it('our own staging, stopped before its rotate, is finished by the next run without downtime', async () => {
    emulator().faults.add({ match: { method: 'PATCH', path: '/staged/' }, fault: 'http-500' });
    const stopped = await rotate(['--rotate', '--rotate-key']);
    expect(stopped.code).to.not.equal(0);
    expect(consumer().staged.map((s) => s.state)).to.deep.equal(['Active']);
    expect(currentPair()).to.deep.equal(OLD);
    expect(fx.receiver.received).to.deep.equal([]);
    emulator().faults.clear();
    const staged = { ...consumer().staged[0] };
    const from = mark();
    const { run, attempts } = await whileRenRefreshes(() => rotate(['--rotate', '--rotate-key']));
    expect(run.code, run.stderr).to.equal(0);
    expect(stagedChanges(from)).to.deep.equal(['PATCH']);
    expect(run.body.result?.warnings.join('\n')).to.include(staged.id).and.include('finishes it');
    expect(currentPair()).to.deep.equal({ key: staged.key, secret: staged.secret });
    expect(refused(attempts)).to.deep.equal([]);
  });

  it('all strict readings at once (404 when none, an empty POST hangs, the rotation permission): still no downtime', async () => {
    const noRotation = DEFAULT_PROFILES.map((p) =>
      p.Name === 'System Administrator'
        ? { ...p, permissions: { ...p.permissions, PermissionsClientSecretRotation: false } }
        : p,
    );
    const keyRotation = {
      Name: 'Key_Rotation',
      Label: 'Key Rotation',
      permissions: { PermissionsClientSecretRotation: true },
    };
    emulator().reset(
      renOrgSeed(
        {},
        {
          readings: { ...STRICT_READINGS },
          profiles: noRotation,
          permissionSets: [...DEFAULT_PERMISSION_SETS, keyRotation],
        },
      ),
    );
    let from = mark();
    const refusedRun = await rotate(['--rotate', '--rotate-key']);
    expect(refusedRun.body.name).to.equal('RenRotationPermissionError');
    expect(stagedChanges(from)).to.deep.equal([]);
    expect(currentPair()).to.deep.equal(OLD);

    // An admin gives the user the permission: a permission set that grants it, assigned.
    const { org } = emulator();
    org.directory.permissionSetAssignments.push({
      Id: org.ids.next(KeyPrefix.PermissionSetAssignment),
      AssigneeId: org.sessionUser.Id,
      PermissionSetId: org.permissionSets.find((ps) => ps.Name === 'Key_Rotation')?.Id ?? '',
      IsActive: true,
    });
    from = mark();
    slowSecretRead();
    const { run, attempts } = await whileRenRefreshes(() => rotate(['--rotate', '--rotate-key']));
    expect(run.code, run.stderr).to.equal(0);
    expect(refused(attempts)).to.deep.equal([]);
    expect(attempts.filter((a) => a.key === REN_KEY && !a.current).length).to.be.above(0);
    const stagedCalls = emulator()
      .requests.slice(from)
      .filter((r) => r.path.endsWith('/staged'));
    // The org answered 404 while nothing was staged; the POST answered (an empty body would have hung).
    expect(stagedCalls.find((r) => r.method === 'GET')?.status).to.equal(404);
    expect(stagedCalls.find((r) => r.method === 'POST')?.status).to.equal(201);

    const refreshToken = renRefreshToken(emulator());
    expect((await revokePrevious()).body.result?.status).to.equal('revoked');
    expect(await refreshStatus(emulator(), refreshToken, OLD)).to.equal(400);
    expect(await refreshStatus(emulator(), refreshToken, currentPair())).to.equal(200);
  });

  it('sf ren app status shows a previous pair still valid, since when and until when', async () => {
    emulator().reset(
      renOrgSeed({}, { settings: { ExternalClientAppSettings: { enableClientSecretInRestApiAccess: true } } }),
    );
    expect((await rotate(['--rotate', '--rotate-key'])).code).to.equal(0);
    const previous = consumer().staged[0];
    const status = async () => {
      const run = await fx.session.sf(['ren', 'app', 'status', '--target-org', fx.session.alias, '--json']);
      type Check = { name: string; status: string; actual?: string; fix?: string };
      return jsonOf<{ checks: Check[] }>(run).result?.checks.find((c) => /previous/i.test(c.name));
    };
    const check = await status();
    expect(check?.status).to.equal('warn');
    expect(check?.actual).to.include(previous.createdDate).and.include(previous.expirationDate);
    expect(check?.fix).to.include('--revoke-previous');
    expect((await revokePrevious()).code).to.equal(0);
    expect((await status())?.status ?? 'pass').to.equal('pass');
  });
});
