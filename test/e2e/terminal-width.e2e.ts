/*
 * End to end: every table fits its terminal and cuts nothing. Each command runs through the real sf at a
 * pseudo-terminal of 80 and of 200 columns (`script`, whose terminal gets its size from `stty`: Node reads the
 * width from the terminal, and @oclif/table from Node; COLUMNS is read by neither) and in a pipe (no terminal:
 * tables fit 120 columns, shared/table.ts). In each output:
 * - no line of a table is wider than the terminal (or 120 in a pipe);
 * - nothing is truncated: no "…" anywhere;
 * - every value that must be copied (a fix, the consumer key and secret, a hand-off path) is on one line, whole,
 *   in its row or in the list under the table; every word of every check name is there.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { expect } from 'chai';
import type { OrgSeed } from '../emulator/index.js';
import { runSf, sfBin, startSfSession, type SfSession } from './harness.js';
import { REN_KEY, REN_SECRET, jsonOf, renOrgSeed } from './renOrg.js';

type Check = { name: string; status: string; fix?: string };
type Where = { label: string; columns?: number };

const WHERE: Where[] = [
  { label: '80 columns', columns: 80 },
  { label: '200 columns', columns: 200 },
  { label: 'a pipe' },
];
const LOG_WIDTH = 120;
const quote = (arg: string): string => `'${arg.replace(/'/g, "'\\''")}'`;

/**
 * What a person's terminal, or a plain log, gets: without the variables that make sf and @oclif/table draw for a CI
 * service (is-in-ci: CI, CONTINUOUS_INTEGRATION, CI_*), which this suite may itself be running under.
 */
const outsideCi = (env: NodeJS.ProcessEnv): NodeJS.ProcessEnv =>
  Object.fromEntries(
    Object.entries(env).filter(([key]) => key !== 'CI' && key !== 'CONTINUOUS_INTEGRATION' && !key.startsWith('CI_')),
  );

/** Runs sf at a pseudo-terminal of `columns` columns; what it drew, without escape codes and carriage returns. */
function atTerminal(session: SfSession, args: string[], columns: number): Promise<string> {
  const command = `stty cols ${columns} rows 60; exec ${[sfBin, ...args].map(quote).join(' ')}`;
  return new Promise((resolve, reject) => {
    // stdin stays open until sf ends: script ends its session when its input does.
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      env: outsideCi(session.env),
      cwd: session.home,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.on('error', reject);
    child.on('close', () => resolve(stripVTControlCharacters(out).replace(/\r/g, '')));
  });
}

describe('tables that fit (end to end, real sf at 80 and 200 columns and in a pipe)', function () {
  this.timeout(600_000);
  let session: SfSession;
  let work: string;

  before(async () => {
    session = await startSfSession({ seed: renOrgSeed(), linkPlugin: true });
    work = mkdtempSync(join(session.home, 'out-'));
  });
  after(async () => {
    await session?.close();
  });

  async function run(args: string[], where: Where): Promise<string> {
    if (where.columns) return atTerminal(session, args, where.columns);
    const piped = await runSf(args, outsideCi(session.env), { cwd: session.home });
    return piped.stdout + piped.stderr;
  }

  /** The table lines (those with a border) fit the width, and nothing anywhere is cut. */
  function expectFits(output: string, where: Where): void {
    const width = where.columns ?? LOG_WIDTH;
    const rows = output.split('\n').filter((line) => /[│┌└├]/.test(line));
    expect(rows.length, output).to.be.greaterThan(0);
    for (const line of rows) expect([...line].length, `${line}\n${output}`).to.be.at.most(width);
    expect(output, output).not.to.include('…');
  }

  /** A value to copy is on one line of the output, whole. */
  function expectWhole(output: string, value: string): void {
    expect(
      output.split('\n').some((line) => line.includes(value)),
      `"${value}" is not whole on one line:\n${output}`,
    ).to.equal(true);
  }

  function expectChecks(output: string, checks: Check[]): void {
    const text = output.replace(/[│\n]/g, ' ');
    for (const check of checks) {
      for (const word of check.name.split(/\s+/)) expect(text, check.name).to.include(word);
      if (check.fix) expectWhole(output, check.fix);
    }
  }

  const appStatus = ['ren', 'app', 'status', '--target-org', 'emulator'];
  const drifted = renOrgSeed({ oauthPolicies: { ipRelaxationPolicyType: 'Bypass' } });
  const neverUsed: OrgSeed = { vendorApps: [{ name: 'Inven', stage: 'never-used' }] };
  const inven = ['ren', 'connected-app', 'status', '--target-org', 'emulator'];

  for (const where of WHERE) {
    it(`app status at ${where.label}: every check name and fix whole`, async () => {
      session.emulator.reset(drifted);
      const checks = jsonOf<{ checks: Check[] }>(await session.sf([...appStatus, '--json'])).result!.checks;
      expect(checks.some((c) => c.fix)).to.equal(true);
      const output = await run(appStatus, where);
      expectFits(output, where);
      expectChecks(output, checks);
    });

    it(`connected-app status at ${where.label}: the long first-login fix whole`, async () => {
      session.emulator.reset(neverUsed);
      const checks = jsonOf<{ checks: Check[] }>(await session.sf([...inven, '--json'])).result!.checks;
      expect(checks.filter((c) => (c.fix?.length ?? 0) > 100)).to.not.have.length(0);
      const output = await run(inven, where);
      expectFits(output, where);
      expectChecks(output, checks);
    });

    it(`connect --show-secret at ${where.label}: the key and the secret whole`, async () => {
      session.emulator.reset(renOrgSeed());
      const output = await run(
        ['ren', 'connect', '--target-org', 'emulator', '--show-secret', '--allow-secret-access', '--no-prompt'],
        where,
      );
      expectFits(output, where);
      expectWhole(output, REN_KEY);
      expectWhole(output, REN_SECRET);
    });

    it(`onboard at ${where.label}: the hand-off path whole`, async () => {
      session.emulator.reset(renOrgSeed());
      const dir = mkdtempSync(join(work, `onboard-${where.columns ?? 'pipe'}-`));
      const output = await run(
        ['ren', 'onboard', '-o', 'emulator', '--output-dir', dir, '--allow-secret-access', '--force'],
        where,
      );
      expectFits(output, where);
      expectWhole(output, join(dir, 'emulator.json'));
    });

    it(`report at ${where.label}: a row per org and every failing check's fix whole`, async () => {
      session.emulator.reset(drifted);
      const report = ['ren', 'report', '--target-org', 'emulator'];
      type Org = { org: string; status: string; checks: Check[] };
      const orgs = jsonOf<{ orgs: Org[] }>(await session.sf([...report, '--json'])).result!.orgs;
      expect(orgs.map((o) => o.status)).to.deep.equal(['failing']);
      const output = await run(report, where);
      expectFits(output, where);
      // The org's name and its status each on one line of its row (at 80 columns they were broken mid-word).
      expect(
        output.split('\n').some((line) => line.includes(`│ ${orgs[0].org} `) && line.includes('FAILING')),
      ).to.equal(true, output);
      const failing = orgs[0].checks.filter((c) => c.status === 'fail');
      expect(failing).to.not.have.length(0);
      for (const check of failing) expectWhole(output, check.fix!);
    });

    it(`app create and preauthorize change tables at ${where.label}: before and after whole`, async () => {
      session.emulator.reset(drifted);
      const create = await run(['ren', 'app', 'create', '--target-org', 'emulator', '--dry-run'], where);
      expectFits(create, where);
      expect(create.replace(/[│\n ]/g, ''))
        .to.include('Bypass')
        .and.include('Enforce');
      session.emulator.reset(renOrgSeed());
      const preauthorize = await run(
        ['ren', 'app', 'preauthorize', '--target-org', 'emulator', '--profile', 'System Administrator', '--dry-run'],
        where,
      );
      expectFits(preauthorize, where);
      // At 80 columns the After cell may wrap (nothing is cut): read it with the borders taken out.
      const profiles = preauthorize.slice(
        preauthorize.indexOf('│ Profiles'),
        preauthorize.indexOf('│ Permission sets'),
      );
      expect(profiles.replace(/[│\r\n ]/g, ''), preauthorize)
        .to.match(/^ProfilesSalesSales,System(Administrator)?wouldchange(Administrator)?$/)
        .and.include('Administrator');
      expect(preauthorize).not.to.include('…');
    });
  }
});
