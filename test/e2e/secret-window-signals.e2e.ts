/*
 * End to end: the org setting "Allow access to External Client App consumer secrets via REST API" is put back in
 * every org, whatever ends `sf ren onboard` (three emulator orgs, --concurrency 3, --allow-secret-access). The run is
 * held at a chosen moment with the emulator's fault rules (a deploy that never answers: before any window opens; a
 * slow key-and-secret read: while every window is open; a slow OAuth probe: after the hand-off), then sent SIGINT,
 * SIGTERM (or SIGHUP), or made to crash (an uncaught exception or an unhandled rejection thrown by a preload script, see
 * crashPreload). Each test reads every org's setting from the emulator afterwards, and the pending-restore records.
 */
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { readHandoff, spawnSf, waitFor } from './renOrg.js';
import {
  currentSecrets,
  leaksUnder,
  pendingRecords,
  secretReadStarted,
  secretSettingOf,
  slowSecretReads,
  startWindowSession,
  type WindowSession,
} from './windowSession.js';

type Moment = 'before-window' | 'in-window' | 'after-handoff';
type Ending = NodeJS.Signals | 'uncaught-exception' | 'unhandled-rejection';
type Interrupted = {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The run's --output-dir. */
  dir: string;
  /** The pending-restore records at the moment the run was interrupted. */
  recordsThen: Array<{ orgId: string; value: boolean }>;
};

const EXIT: Record<string, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
const SETTING = '"Allow access to External Client App consumer secrets via REST API"';
/** Node's report of an uncaught error: the stack frames of a crash the user should never see. */
const STACK_TRACE = /\n\s+at .*:\d+:\d+\)?\n/;

/**
 * A preload (NODE_OPTIONS=--require) for the crash tests: once the file named by REN_E2E_CRASH_FILE exists, it
 * throws from a timer (an uncaught exception) or leaves a rejected promise unhandled, as REN_E2E_CRASH_KIND says.
 * Its timer is unref'd, so it never keeps sf alive.
 */
const crashPreload = `
const { existsSync } = require('node:fs');
const trigger = process.env.REN_E2E_CRASH_FILE;
if (trigger) {
  const timer = setInterval(() => {
    if (!existsSync(trigger)) return;
    clearInterval(timer);
    if (process.env.REN_E2E_CRASH_KIND === 'unhandled-rejection') Promise.reject(new Error('e2e rejection in the window'));
    else setTimeout(() => { throw new Error('e2e crash in the window'); }, 0);
  }, 25);
  timer.unref();
}
`;

describe('secret-access windows when onboard is interrupted (end to end, three orgs)', function () {
  this.timeout(300_000);
  let ws: WindowSession;
  let preload: string;
  /** Every consumer secret the orgs held after a run, for the leak scan. */
  const secrets = new Set<string>();
  let runs = 0;

  before(async () => {
    ws = await startWindowSession(['org2', 'org3']);
    mkdirSync(handoffRoot());
    preload = join(ws.session.home, 'crash-preload.cjs');
    writeFileSync(preload, crashPreload);
  });
  after(async () => {
    await ws?.session.close();
  });

  const handoffRoot = (): string => join(ws.session.home, 'handoff');
  const orgIds = (): string[] => ws.orgs.map((o) => o.emulator.org.organization.Id).sort();
  const settings = (): unknown[] => ws.orgs.map((o) => secretSettingOf(o.emulator));

  /** Holds the run at `moment` (fault rules on every org) and says when it got there. */
  function hold(moment: Moment, from: number[], dir: string): () => boolean {
    const since = (i: number): Array<{ path: string; soapMethod?: string }> =>
      ws.orgs[i].emulator.requests.slice(from[i]);
    if (moment === 'before-window') {
      // The deploy never answers (a held deploy would change the org later, after the next reset).
      for (const { emulator } of ws.orgs) emulator.faults.add({ match: { soapMethod: 'deploy' }, fault: 'hang' });
      return () => ws.orgs.every((_, i) => since(i).some((r) => r.soapMethod === 'deploy'));
    }
    if (moment === 'in-window') {
      slowSecretReads(ws.orgs);
      return () =>
        ws.orgs.every((o, i) => secretSettingOf(o.emulator) === true && secretReadStarted(o.emulator, from[i]));
    }
    // The status step's live OAuth probe is slow: every hand-off file is written by then.
    for (const { emulator } of ws.orgs)
      emulator.faults.add({ match: { path: 'oauth2/authorize' }, fault: 'delay', delayMs: 60_000 });
    return () =>
      ws.orgs.every(
        (o, i) =>
          existsSync(join(dir, `${o.alias}.json`)) && since(i).some((r) => r.path === '/services/oauth2/authorize'),
      );
  }

  /** Runs onboard over the three orgs from a fresh start, holds it at `moment`, and ends it with `ending`. */
  async function interrupt(moment: Moment, ending: Ending): Promise<Interrupted> {
    for (const { emulator } of ws.orgs) emulator.reset();
    const dir = join(handoffRoot(), `run-${++runs}`);
    const from = ws.orgs.map((o) => o.emulator.requests.length);
    const reached = hold(moment, from, dir);
    const crash = ending === 'uncaught-exception' || ending === 'unhandled-rejection';
    const trigger = join(ws.session.home, `crash-${runs}`);
    const sf = spawnSf(
      ws.session,
      [
        'ren',
        'onboard',
        ...ws.orgs.flatMap((o) => ['-o', o.alias]),
        '--concurrency',
        '3',
        '--allow-secret-access',
        '--output-dir',
        dir,
        '--profile',
        'System Administrator',
      ],
      crash ? { NODE_OPTIONS: `--require ${preload}`, REN_E2E_CRASH_FILE: trigger, REN_E2E_CRASH_KIND: ending } : {},
    );
    let ended = false;
    void sf.done.then(() => (ended = true));
    await waitFor(() => ended || reached(), `the run to reach ${moment}`).catch(() => sf.child.kill('SIGKILL'));
    if (ended || !reached()) throw new Error(`the run did not reach ${moment}:\n${sf.output().stderr}`);
    const recordsThen = pendingRecords(ws.session).map(({ orgId, value }) => ({ orgId, value }));
    if (crash) writeFileSync(trigger, '');
    else sf.child.kill(ending);
    const exit = await sf.done;
    currentSecrets(ws.orgs).forEach((secret) => secrets.add(secret));
    return { ...exit, ...sf.output(), dir, recordsThen };
  }

  /** Each org's line saying its setting is back to off, read back, with nothing handed off. */
  const restoredLine = (alias: string): RegExp =>
    new RegExp(
      `^${alias}: the org setting ${SETTING} is back to off \\(read back from the org\\)\\. Nothing was handed off\\.$`,
      'm',
    );

  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    it(`${signal} while every window is open: each setting back to off (read back), a line per org, exit ${EXIT[signal]}, no record left, nothing handed off`, async () => {
      const run = await interrupt('in-window', signal);
      // The records were written before the windows opened: one per org, holding the value to put back.
      expect(run.recordsThen.map((r) => r.orgId).sort()).to.deep.equal(orgIds());
      expect(run.recordsThen.every((r) => r.value === false)).to.equal(true);

      expect(run.code, run.stderr).to.equal(EXIT[signal]);
      expect(settings()).to.deep.equal([false, false, false]);
      expect(run.stderr).to.include(`${signal}: putting back what this command changed in 3 orgs`);
      for (const { alias } of ws.orgs) expect(run.stderr).to.match(restoredLine(alias));
      expect(run.stderr).not.to.include('MAY STILL BE ON');
      expect(run.stderr).not.to.match(STACK_TRACE);
      expect(pendingRecords(ws.session)).to.deep.equal([]);
      // Nothing handed off: the folder holds no file at all (no temporary copy either).
      expect(readdirSync(run.dir)).to.deep.equal([]);
    });
  }

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    describe(`${signal} before any window opens (every deploy under way)`, () => {
      let run: Interrupted;
      before(async () => {
        run = await interrupt('before-window', signal);
      });

      it('nothing was opened: every setting still off, no record, no hand-off file', () => {
        expect(settings()).to.deep.equal([false, false, false]);
        expect(run.recordsThen).to.deep.equal([]);
        expect(pendingRecords(ws.session)).to.deep.equal([]);
        expect(readdirSync(run.dir)).to.deep.equal([]);
        // No org was told a restore happened or failed: none was needed.
        expect(run.stderr).not.to.include('is back to').and.not.to.include('MAY STILL BE ON');
      });

      it(`exits ${EXIT[signal]} without a stack trace`, () => {
        expect(run.code ?? EXIT[run.signal ?? ''], run.stderr).to.equal(EXIT[signal]);
        expect(run.stderr).not.to.match(STACK_TRACE).and.not.to.include('ExitError');
      });
    });
  }

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    describe(`${signal} after the hand-off (every org's status probe under way)`, () => {
      let run: Interrupted;
      before(async () => {
        run = await interrupt('after-handoff', signal);
      });

      it("every setting is back to off, no record, and each org's file holds exactly its current pair (0600)", () => {
        expect(settings()).to.deep.equal([false, false, false]);
        expect(pendingRecords(ws.session)).to.deep.equal([]);
        expect(readdirSync(run.dir).sort()).to.deep.equal(ws.orgs.map((o) => `${o.alias}.json`).sort());
        for (const { alias, emulator } of ws.orgs) {
          const file = join(run.dir, `${alias}.json`);
          const consumer = emulator.org.consumerForApp('ren');
          expect(readHandoff(file)).to.deep.equal({
            loginUrl: emulator.url,
            consumerKey: consumer?.key,
            consumerSecret: consumer?.secret,
            orgId: emulator.org.organization.Id,
          });
          expect(statSync(file).mode & 0o777).to.equal(0o600);
        }
        expect(run.stderr).not.to.include('MAY STILL BE ON');
      });

      it(`exits ${EXIT[signal]} without a stack trace`, () => {
        expect(run.code ?? EXIT[run.signal ?? ''], run.stderr).to.equal(EXIT[signal]);
        expect(run.stderr).not.to.match(STACK_TRACE).and.not.to.include('ExitError');
      });
    });
  }

  for (const ending of ['uncaught-exception', 'unhandled-rejection'] as const) {
    it(`a crash (${ending}) while every window is open: each setting back to off, a line per org, exit 1, no record left`, async () => {
      const run = await interrupt('in-window', ending);
      expect(run.recordsThen).to.have.length(3);
      expect(run.code, run.stderr).to.equal(1);
      expect(settings()).to.deep.equal([false, false, false]);
      const cause = ending === 'uncaught-exception' ? 'e2e crash in the window' : 'e2e rejection in the window';
      expect(run.stderr).to.include(`Unexpected error (${cause}): putting back what this command changed in 3 orgs`);
      for (const { alias } of ws.orgs) expect(run.stderr).to.match(restoredLine(alias));
      expect(run.stderr).not.to.include('MAY STILL BE ON');
      expect(pendingRecords(ws.session)).to.deep.equal([]);
      expect(readdirSync(run.dir)).to.deep.equal([]);
    });
  }

  describe('the leak scan, after every run above', () => {
    it('leak scan: no consumer secret in any file of the HOME (TMPDIR included) but the 0600 hand-off files', () => {
      expect(runs, 'the runs above').to.be.greaterThan(0);
      expect(secrets.size).to.be.greaterThan(0);
      expect(ws.tmp.startsWith(ws.session.home)).to.equal(true);
      expect(leaksUnder(ws.session.home, [...secrets], [handoffRoot()])).to.deep.equal([]);
    });
  });
});
