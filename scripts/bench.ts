/*
 * `npm run bench`: prints figures, asserts nothing. Wall time of each command against the emulator, as a
 * ratio to `sf org display` and to `sf project deploy start` of the same metadata; HTTP round trips per
 * command (from the emulator's request log); plugin load time (`sf ren --help`).
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSfSession, type SfSession } from '../test/e2e/harness.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);

type Figure = { name: string; medianMs: number; roundTrips: number };

async function measure(
  session: SfSession,
  name: string,
  args: string[],
  before?: () => void,
  cwd?: string
): Promise<Figure> {
  const times: number[] = [];
  let roundTrips = 0;
  for (let i = 0; i < RUNS; i++) {
    before?.();
    const requests = session.emulator.requests.length;
    const start = process.hrtime.bigint();
    // eslint-disable-next-line no-await-in-loop
    const run = await session.sf(args, { cwd });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    roundTrips = session.emulator.requests.length - requests;
    if (run.code !== 0) throw new Error(`${name} failed: ${run.stderr || run.stdout}`);
  }
  times.sort((a, b) => a - b);
  return { name, medianMs: times[Math.floor(times.length / 2)], roundTrips };
}

const session = await startSfSession({ linkPlugin: true });
try {
  const alias = session.alias;
  const project = await mkdtemp(join(tmpdir(), 'ren-bench-'));
  await writeFile(
    join(project, 'sfdx-project.json'),
    JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '64.0' })
  );
  const sourceDir = join(project, 'force-app');
  await session.sf(['ren', 'app', 'create', '-o', alias, '--output-dir', sourceDir]);
  const removeApp = (): void => {
    for (const type of [
      'ExternalClientApplication',
      'ExtlClntAppOauthSettings',
      'ExtlClntAppGlobalOauthSettings',
      'ExtlClntAppConfigurablePolicies',
      'ExtlClntAppOauthConfigurablePolicies',
    ]) {
      session.emulator.org.metadata.get(type)?.clear();
    }
  };

  const figures = [
    await measure(session, 'sf ren --help (plugin load)', ['ren', 'app', 'create', '--help']),
    await measure(session, 'sf org display', ['org', 'display', '-o', alias, '--json']),
    await measure(session, 'sf project deploy start (same 5 components)', ['project', 'deploy', 'start', '-o', alias, '--source-dir', sourceDir, '--json'], removeApp, project),
    await measure(session, 'sf ren app create (created)', ['ren', 'app', 'create', '-o', alias, '--json'], removeApp),
    await measure(session, 'sf ren app create (unchanged)', ['ren', 'app', 'create', '-o', alias, '--json']),
    await measure(session, 'sf ren app create --dry-run (updated)', ['ren', 'app', 'create', '-o', alias, '--label', 'Ren X', '--dry-run', '--json']),
  ];
  const display = figures[1].medianMs;
  const deploy = figures[2].medianMs;
  console.log(`runs per command: ${RUNS} (median shown)`);
  console.log(['command'.padEnd(48), 'ms'.padStart(8), 'x display'.padStart(10), 'x deploy'.padStart(9), 'round trips'.padStart(12)].join(' '));
  for (const f of figures) {
    console.log(
      [
        f.name.padEnd(48),
        f.medianMs.toFixed(0).padStart(8),
        (f.medianMs / display).toFixed(2).padStart(10),
        (f.medianMs / deploy).toFixed(2).padStart(9),
        String(f.roundTrips).padStart(12),
      ].join(' ')
    );
  }
} finally {
  await session.close();
}
