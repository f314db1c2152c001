/*
 * End to end: where the secret goes, through the real sf against the emulator. Rotation (the hand-off gets the new
 * secret, the old one stops working at the org's token endpoint, and is never printed), a rotation whose hand-off
 * fails (rotation.e2e.ts covers rotation without downtime), and the leak scan: a run with sf's log file, SF_LOG_LEVEL=trace and DEBUG=* on, after which the secret and
 * Ren's token are searched for in every output and every file under the temporary HOME.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { useConnectSession } from './connectSession.js';
import { REN_KEY, REN_SECRET, filesUnder, readHandoff, secretAccessSetting } from './renOrg.js';
import { refreshStatus as refreshWith, renRefreshToken as refreshTokenOf } from './renStandIn.js';

const TOKEN = 'ren-leak-scan-token-4d2e8b';

describe('sf ren connect: rotation and the leak scan (end to end)', function () {
  this.timeout(240_000);
  const fx = useConnectSession();
  const connect = fx.connect;
  const freshFile = fx.freshFile;

  /** Ren's refresh grant at the org's token endpoint, as Ren makes it with the key and secret it was handed. */
  const refreshStatus = (refreshToken: string, key: string, secret: string): Promise<number> =>
    refreshWith(fx.session.emulator, refreshToken, { key, secret });
  /** A refresh token Ren holds for the admin, issued to Ren's consumer. */
  const renRefreshToken = (): string => refreshTokenOf(fx.session.emulator);

  it('--rotate without staged credentials (API 64): a new secret by deploy; the hand-off gets it, the old one stops working and is never printed', async () => {
    const refresh = renRefreshToken();
    expect(await refreshStatus(refresh, REN_KEY, REN_SECRET)).to.equal(200);
    const file = freshFile();
    const run = await connect([
      '--rotate',
      '--api-version',
      '64.0',
      '--no-prompt',
      '--output-file',
      file,
      '--allow-secret-access',
    ]);
    expect(run.code, run.stderr).to.equal(0);
    const handed = readHandoff(file);
    expect(handed.consumerKey).to.equal(REN_KEY);
    expect(handed.consumerSecret).to.not.equal(REN_SECRET);
    expect(handed.consumerSecret).to.equal(fx.session.emulator.org.consumerForApp('ren')?.secret);
    expect(await refreshStatus(refresh, REN_KEY, REN_SECRET)).to.equal(400);
    expect(await refreshStatus(refresh, handed.consumerKey, handed.consumerSecret)).to.equal(200);
    const deploy = [...fx.session.emulator.org.deploys.values()].pop();
    expect(deploy?.options.ignoreWarnings).to.equal(true);
    expect(`${run.stdout}${run.stderr}`).to.not.include(REN_SECRET).and.not.include(handed.consumerSecret);
    expect(run.stdout).to.include('The previous consumer secret no longer works');
    expect(secretAccessSetting(fx.session)).to.equal(false);
  });

  it('--rotate --rotate-key --revoke-previous: staged credentials (API 65+); the old pair is revoked after the hand-off', async () => {
    const refresh = renRefreshToken();
    const run = await connect(
      ['--rotate', '--rotate-key', '--revoke-previous', '--no-prompt', '--ren-url', fx.receiver.url].concat([
        '--allow-secret-access',
        '--json',
      ]),
      { REN_API_TOKEN: TOKEN },
    );
    expect(run.code, run.stderr).to.equal(0);
    expect(run.body.result?.rotated).to.deep.equal({ method: 'staged', key: true, previousRevoked: true });
    const body = fx.receiver.received[0]?.body as Record<string, string>;
    expect(body.consumerKey).to.not.equal(REN_KEY);
    expect(body.consumerSecret).to.not.equal(REN_SECRET);
    const consumer = fx.session.emulator.org.consumerForApp('ren');
    expect(consumer).to.include({ key: body.consumerKey, secret: body.consumerSecret });
    expect(consumer?.staged).to.deep.equal([]);
    expect(await refreshStatus(refresh, REN_KEY, REN_SECRET)).to.equal(400);
    expect(await refreshStatus(refresh, body.consumerKey, body.consumerSecret)).to.equal(200);
    const calls = fx.session.emulator.requests.filter((r) => r.path.includes('/staged')).map((r) => r.method);
    expect(calls).to.include.members(['POST', 'PATCH', 'DELETE']);
    expect(run.stdout).to.not.include(REN_SECRET).and.not.include(body.consumerSecret);
    expect(secretAccessSetting(fx.session)).to.equal(false);
  });

  it('a deploy rotation whose hand-off fails says the app has new credentials and how to hand them off', async () => {
    fx.receiver.answer([401]);
    const run = await connect(
      ['--rotate', '--api-version', '64.0', '--no-prompt', '--ren-url', fx.receiver.url].concat([
        '--allow-secret-access',
        '--json',
      ]),
      {
        REN_API_TOKEN: TOKEN,
      },
    );
    expect(run.code).to.not.equal(0);
    expect(run.body.name).to.equal('RenRotatedNotHandedOffError');
    expect(run.body.message).to.include('401');
    expect(run.body.actions?.join('\n'))
      .to.include('previous secret no longer works')
      .and.include('without rotating again');
    expect(run.body.actions?.join('\n')).to.include(
      `sf ren connect --target-org ${fx.session.alias} --api-version 64.0 --ren-url ${fx.receiver.url} --allow-secret-access`,
    );
    expect(fx.session.emulator.org.consumerForApp('ren')?.secret).to.not.equal(REN_SECRET);
    expect(run.stdout).to.not.include(TOKEN);
    expect(secretAccessSetting(fx.session)).to.equal(false);
  });

  it("leak scan: with sf's log file, trace logging and DEBUG=*, the secret and the token are only in the 0600 hand-off files", async () => {
    const files = [freshFile(), freshFile(), freshFile()];
    const trace = { SF_LOG_LEVEL: 'trace', SF_DISABLE_LOG_FILE: undefined, REN_API_TOKEN: TOKEN };
    // With DEBUG set, sf sends its log to stdout instead of the file: one run each way, human and --json.
    const runs = [
      await connect(['--output-file', files[0], '--ren-url', fx.receiver.url, '--allow-secret-access'], {
        ...trace,
        DEBUG: '*',
      }),
      await connect(
        ['--output-file', files[1], '--ren-url', fx.receiver.url, '--allow-secret-access', '--json'],
        trace,
      ),
      await connect(['--output-file', files[2], '--ren-url', fx.receiver.url, '--allow-secret-access', '--json'], {
        ...trace,
        DEBUG: '*',
      }),
    ];
    for (const run of runs) expect(run.code, run.stderr.slice(-2000)).to.equal(0);
    for (const file of files) {
      expect(readHandoff(file).consumerSecret).to.equal(REN_SECRET);
      expect(statSync(file).mode & 0o777).to.equal(0o600);
    }
    expect(fx.receiver.received.map((r) => r.headers.authorization)).to.deep.equal(runs.map(() => `Bearer ${TOKEN}`));
    // The logging really was on: trace lines of the plugin's run in sf's log file and in the DEBUG runs' output.
    const logFiles = filesUnder(join(fx.session.home, '.sf')).filter((f) => f.path.endsWith('.log'));
    const logged = logFiles.map((f) => f.text).join('');
    expect(logged)
      .to.match(/"msg":" *\d+: connect"/)
      .and.include('"name":"sf:oclif:connection"')
      .and.include('"level":10');
    expect(runs[0].stdout).to.include('TRACE');
    expect(runs[2].stderr).to.include('oclif:sf:ren:connect');

    runs.forEach((run, index) => {
      for (const [channel, text] of [
        ['stdout', run.stdout],
        ['stderr', run.stderr],
      ]) {
        expect(text.includes(REN_SECRET), `secret in run ${index} ${channel}`).to.equal(false);
        expect(text.includes(TOKEN), `token in run ${index} ${channel}`).to.equal(false);
      }
    });
    const leaks = filesUnder(fx.session.home)
      .filter((f) => !files.includes(f.path))
      .filter((f) => f.text.includes(REN_SECRET) || f.text.includes(TOKEN))
      .map((f) => f.path);
    expect(leaks).to.deep.equal([]);
  });
});
