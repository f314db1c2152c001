import { rm } from 'node:fs/promises';
import { expect } from 'chai';
import { listPendingRestores, pendingFolder } from '../../../src/credentials/pendingRestore.js';
import { SECRET_SETTING_PAGE } from '../../../src/credentials/secretSetting.js';
import { withSecretAccess } from '../../../src/credentials/secretWindow.js';
import { guardCommand, restoringForTest, setGuardHooksForTest } from '../../../src/shared/interruptGuard.js';
import {
  hangWritesOf,
  refuseWritesOf,
  settingOrg,
  useTemporaryHome,
  type SettingOrg,
  type WriteRule,
} from '../credentials/settingOrg.js';

type Listener = (...args: unknown[]) => void;

const HANGUP: [string, number] = process.platform === 'win32' ? ['SIGBREAK', 149] : ['SIGHUP', 129];
const SIGNALS: Array<[string, number]> = [['SIGINT', 130], ['SIGTERM', 143], HANGUP];
const CRASHES: Array<[string, number]> = [
  ['uncaughtException', 1],
  ['unhandledRejection', 1],
];
const EVENTS = [...SIGNALS, ...CRASHES].map(([event]) => event);
const TARGETS = ['acme', 'globex', 'initech'];

/** An open window on a fake org: its read waits until `finish` is called. */
type Window = {
  target: string;
  orgId: string;
  org: SettingOrg;
  finish: () => void;
  /** withSecretAccess's own promise; `settled` turns true when it resolves or rejects. */
  result: Promise<unknown>;
  settled: () => boolean;
};

async function openWindow(index: number, rule?: WriteRule): Promise<Window> {
  const target = TARGETS[index];
  const orgId = `00D00000000000${index + 1}AAA`;
  const org = settingOrg(false, rule);
  let finish = (): void => {};
  let started = (): void => {};
  const reading = new Promise<void>((resolve) => (started = resolve));
  let settled = false;
  const result = withSecretAccess(org.conn, { allow: true, before: false, org: { orgId, target } }, () => {
    started();
    return new Promise<string>((resolve) => (finish = () => resolve('read')));
  }).finally(() => (settled = true));
  result.catch(() => {});
  await reading;
  return { target, orgId, org, finish: () => finish(), result, settled: () => settled };
}

/** Lets the event loop turn a few times (for what must NOT happen). */
const turns = async (count = 5): Promise<void> => {
  for (let i = 0; i < count; i++) await new Promise((resolve) => setImmediate(resolve));
};

const counts = (): number[] => EVENTS.map((event) => process.listeners(event as NodeJS.Signals).length);

describe('the interrupt guard', () => {
  useTemporaryHome();
  let written: string[];
  let exits: number[];
  let resetHooks: () => void;
  /** mocha's own crash listeners: set aside while a test emits a crash, so the crash does not fail the test. */
  let mochaListeners: Map<string, Listener[]>;
  /** Listeners a test added as sf would (removed after it). */
  let added: Array<[string, Listener]>;

  beforeEach(() => {
    written = [];
    exits = [];
    added = [];
    mochaListeners = new Map(
      CRASHES.map(([event]) => [event, process.listeners(event as NodeJS.Signals) as Listener[]]),
    );
    resetHooks = setGuardHooksForTest({
      exit: (code) => exits.push(code),
      write: (text) => written.push(text),
      boundMs: 5000,
    });
  });
  afterEach(async () => {
    // Wait for a restore in progress, so its time bound never fires once the real process.exit is back.
    await restoringForTest();
    resetHooks();
    for (const [event, listener] of added) process.off(event, listener);
    await rm(pendingFolder(), { recursive: true, force: true });
  });

  /** Registers a listener the way sf does (before any window opens), removed after the test. */
  const sfListener = (event: string, listener: Listener): Listener => {
    process.on(event, listener);
    added.push([event, listener]);
    return listener;
  };

  /** Emits a crash event with mocha's listeners set aside (the guard's and any sf-like one still hear it). */
  const emitCrash = (event: string, ...args: unknown[]): void => {
    const mocha = mochaListeners.get(event) ?? [];
    for (const listener of mocha) process.off(event, listener);
    try {
      (process.emit as (event: string, ...args: unknown[]) => boolean)(event, ...args);
    } finally {
      for (const listener of mocha) process.on(event, listener);
    }
  };

  /** Delivers a signal as Node does: an error a listener throws (sf's ExitError) becomes an uncaught exception. */
  const signal = (name: string): unknown => {
    try {
      process.emit(name as NodeJS.Signals, name as NodeJS.Signals);
    } catch (error) {
      emitCrash('uncaughtException', error, 'uncaughtException');
      return error;
    }
    return undefined;
  };

  const interrupt = (event: string): void => {
    if (event === 'uncaughtException') emitCrash(event, new Error('boom'), 'uncaughtException');
    else if (event === 'unhandledRejection') emitCrash(event, new Error('boom'), Promise.resolve());
    else signal(event);
  };

  /** The lines the guard printed about one org. */
  const linesOf = (target: string): string[] =>
    written
      .join('')
      .split('\n')
      .filter((line) => line.startsWith(`${target}: `));

  const expectRestored = async (window: Window): Promise<void> => {
    expect(window.org.writes, window.target).to.deep.equal([true, false]);
    expect(window.org.log.at(-1), window.target).to.equal('read:false');
    expect(await listPendingRestores(window.orgId), window.target).to.deep.equal([]);
    const lines = linesOf(window.target);
    expect(lines, window.target).to.have.length(1);
    expect(lines[0]).to.include('is back to off (read back from the org)');
  };

  const expectLeftBehind = async (window: Window, why: string): Promise<void> => {
    const lines = linesOf(window.target);
    expect(lines, window.target).to.have.length.above(0);
    for (const line of lines) expect(line, window.target).to.not.include('is back to');
    const line = lines.find((l) => l.includes(`MAY STILL BE ON (${why})`));
    expect(line, `${window.target}: ${lines.join(' | ')}`).to.be.a('string');
    expect(line).to.include(SECRET_SETTING_PAGE).and.include(pendingFolder());
    expect(line).to.include(`--target-org ${window.target}`);
    expect((await listPendingRestores(window.orgId)).map((r) => r.value)).to.deep.equal([false]);
  };

  const causeOf = (event: string): string => (event.startsWith('SIG') ? event : 'Unexpected error (boom)');

  for (const [event, code] of [...SIGNALS, ...CRASHES]) {
    it(`${event} with two windows open: puts both back, says so for each org, exits ${code}`, async () => {
      const windows = [await openWindow(0), await openWindow(1)];
      interrupt(event);
      await restoringForTest();
      expect(exits).to.deep.equal([code]);
      expect(written[0]).to.include(`${causeOf(event)}: putting back what this command changed in 2 orgs`);
      for (const window of windows) await expectRestored(window);
    });

    it(`${event} with three windows, one of which cannot be put back: says which, truthfully, exits ${code}`, async () => {
      const windows = [await openWindow(0), await openWindow(1, refuseWritesOf(false)), await openWindow(2)];
      interrupt(event);
      await restoringForTest();
      expect(exits).to.deep.equal([code]);
      expect(written[0]).to.include('3 orgs');
      await expectRestored(windows[0]);
      await expectLeftBehind(windows[1], 'INSUFFICIENT_ACCESS: no');
      await expectRestored(windows[2]);
    });
  }

  it('reports an org it could not put back once, with its own reason (not as "not finished in time")', async () => {
    const windows = [await openWindow(0), await openWindow(1, refuseWritesOf(false))];
    interrupt('SIGINT');
    await restoringForTest();
    await expectRestored(windows[0]);
    expect(linesOf('globex')).to.have.length(1);
    expect(linesOf('globex')[0]).to.include('INSUFFICIENT_ACCESS: no').and.not.include('not finished in time');
  });

  it('after a signal, a window whose read then finishes goes no further (nothing is handed off)', async () => {
    const window = await openWindow(0);
    interrupt('SIGTERM');
    await restoringForTest();
    window.finish();
    await turns();
    expect(window.settled()).to.equal(false);
    expect(window.org.writes).to.deep.equal([true, false]);
  });

  it('listens from the first window to the last, and never removes listeners others registered', async () => {
    const sf = EVENTS.map((event) => sfListener(event, () => {}));
    const before = counts();
    const first = await openWindow(0);
    expect(counts()).to.deep.equal(before.map((n) => n + 1));
    // The guard goes first, so its restore starts before anyone else's listener runs.
    expect(process.listeners('SIGINT')[0]).to.not.equal(sf[0]);
    const second = await openWindow(1);
    expect(counts()).to.deep.equal(before.map((n) => n + 1));

    first.finish();
    await first.result;
    expect(counts()).to.deep.equal(before.map((n) => n + 1));
    second.finish();
    await second.result;
    expect(counts()).to.deep.equal(before);
    EVENTS.forEach((event, i) => expect(process.listeners(event as NodeJS.Signals)).to.include(sf[i]));
    expect(exits).to.deep.equal([]);
    expect(written).to.deep.equal([]);
  });

  it("during a ren command: a signal with nothing open exits with the signal's code and one line; crashes stay sf's", async () => {
    const before = counts();
    guardCommand();
    // Signals only: a crash with nothing open is sf's to report.
    expect(counts()).to.deep.equal(before.map((n, i) => (i < SIGNALS.length ? n + 1 : n)));
    const window = await openWindow(0);
    window.finish();
    await window.result;
    // Closing the last window keeps the command's signal listeners.
    expect(counts()).to.deep.equal(before.map((n, i) => (i < SIGNALS.length ? n + 1 : n)));
    process.listeners('SIGTERM')[0].call(process, 'SIGTERM');
    expect(exits).to.deep.equal([143]);
    expect(written.join('')).to.include('Stopped (SIGTERM)');
    expect(window.org.writes).to.deep.equal([true, false]);
  });

  it('one window closing first does not disturb the others; a later signal restores only those still open', async () => {
    const [first, second, third] = [await openWindow(0), await openWindow(1), await openWindow(2)];
    first.finish();
    expect(await first.result).to.equal('read');
    expect(first.org.writes).to.deep.equal([true, false]);
    expect(second.org.value).to.equal(true);
    expect(await listPendingRestores(second.orgId)).to.have.length(1);

    interrupt('SIGTERM');
    await restoringForTest();
    expect(exits).to.deep.equal([143]);
    expect(written[0]).to.include('2 orgs');
    expect(linesOf('acme')).to.deep.equal([]);
    expect(first.org.writes).to.deep.equal([true, false]);
    await expectRestored(second);
    await expectRestored(third);
  });

  it("sf's own SIGINT listener throwing oclif's ExitError is part of the signal, not a crash", async () => {
    const exitError = Object.assign(new Error('EEXIT: 130'), { oclif: { exit: 130 } });
    const sf = sfListener('SIGINT', () => {
      throw exitError;
    });
    const windows = [await openWindow(0), await openWindow(1)];
    // Ours, or that of an SfCommand an earlier test ran (registered before ours, so it throws first).
    expect(signal('SIGINT')).to.have.property('oclif');
    await restoringForTest();
    expect(exits).to.deep.equal([130]);
    expect(written.join('')).to.not.include('Unexpected error');
    for (const window of windows) await expectRestored(window);
    expect(process.listeners('SIGINT')).to.include(sf);
  });

  it('a second signal while restoring exits at once, leaving each org to its record', async () => {
    setGuardHooksForTest({ boundMs: 100 });
    const windows = [await openWindow(0, hangWritesOf(false)), await openWindow(1, hangWritesOf(false))];
    interrupt('SIGINT');
    await turns();
    expect(exits).to.deep.equal([]);
    interrupt('SIGTERM');
    expect(exits).to.deep.equal([143]);
    for (const window of windows) await expectLeftBehind(window, 'not finished in time');
  });

  for (const [event, code] of [HANGUP, CRASHES[0]]) {
    it(`${event}: gives up after the time bound, says for each org what is left behind, exits ${code}`, async () => {
      setGuardHooksForTest({ boundMs: 50 });
      const windows = [await openWindow(0, hangWritesOf(false)), await openWindow(1, hangWritesOf(false))];
      interrupt(event);
      await restoringForTest();
      expect(exits).to.deep.equal([code]);
      for (const window of windows) await expectLeftBehind(window, 'not finished in time');
    });
  }

  it('at the time bound, an org already put back is reported as put back, not as left behind', async () => {
    setGuardHooksForTest({ boundMs: 200 });
    const [done, hung] = [await openWindow(0), await openWindow(1, hangWritesOf(false))];
    interrupt('SIGINT');
    await restoringForTest();
    expect(exits).to.deep.equal([130]);
    await expectLeftBehind(hung, 'not finished in time');
    await expectRestored(done);
  });
});
