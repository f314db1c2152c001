/*
 * The one guard for changes that must be put back before the process ends (today: an org setting opened for a
 * read, see credentials/secretWindow.ts). Each open change registers a `restore`; the guard is installed when the
 * first registers and removed when the last is released, and it never removes anyone else's listeners.
 *
 * On SIGINT, SIGTERM, SIGHUP (SIGBREAK on Windows), an uncaught exception or an unhandled rejection it restores
 * every open change at once, bounded in time, reports each one truthfully, and ends the process with the signal's
 * exit code (1 for a crash). A second signal while it restores ends the process at once: what is not back yet is
 * left to the record each change keeps (the next command completes it).
 *
 * sf's own signal listener (SfCommand) answers a signal by throwing oclif's ExitError from the listener, which
 * reaches `uncaughtException`; while the guard restores, that error is part of the signal and is not a crash.
 */

export type RestoreReport = {
  /** What was put back, or why not, in one line for the terminal (no secret ever). */
  line: string;
  ok: boolean;
};

export type GuardedChange = {
  /** Puts the change back (re-reading to confirm) and says how it went; must not throw. */
  restore: () => Promise<RestoreReport>;
  /** What to print when the change could not be put back in time (e.g. the Setup page and the pending record). */
  leftBehind: () => string;
};

import { Messages } from '@salesforce/core';
import { stopDisplays } from './progress.js';
import { counted } from './plural.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@rensystems/plugin-ren', 'guard');

const SIGNAL_CODES: Record<string, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129, SIGBREAK: 149 };
const SIGNALS = process.platform === 'win32' ? ['SIGINT', 'SIGTERM', 'SIGBREAK'] : ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** How long the guard waits for the restores before it gives up and exits. */
export const RESTORE_BOUND_MS = 60_000;

type Listener = { event: string; listener: (...args: unknown[]) => void };

type GuardState = {
  changes: Map<number, GuardedChange>;
  nextId: number;
  restoring?: Promise<void>;
  /** A ren command is running: the guard listens for its whole run, not only while a change is open. */
  commandRunning: boolean;
  listeners: Listener[];
  crashListeners: Listener[];
  /** For tests: replaces process.exit and stderr. */
  exit: (code: number) => void;
  write: (text: string) => void;
  boundMs: number;
};

const state: GuardState = {
  changes: new Map(),
  nextId: 1,
  commandRunning: false,
  listeners: [],
  crashListeners: [],
  exit: (code) => process.exit(code),
  write: (text) => process.stderr.write(text),
  boundMs: RESTORE_BOUND_MS,
};

/** Whether an error is oclif's ExitError, which sf's signal listener throws (it carries `oclif.exit`). */
function isExitError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'oclif' in error;
}

/** What each open change reported so far, to print the finished ones truthfully when the guard stops waiting. */
const reported = new Map<GuardedChange, RestoreReport>();

/** Prints each change's own report, and "left behind" only for those that have none yet. */
function printOutcome(open: GuardedChange[]): boolean {
  let allOk = true;
  for (const change of open) {
    const report = reported.get(change);
    state.write(`${report ? report.line : change.leftBehind()}\n`);
    allOk &&= report?.ok === true;
  }
  return allOk;
}

async function restoreAll(code: number, cause: string): Promise<void> {
  const open = [...state.changes.values()];
  state.write(`\n${messages.getMessage('restoring', [cause, counted(open.length, 'org')])}\n`);
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), state.boundMs);
  });
  const reports = open.map((change) => change.restore().then((report) => reported.set(change, report)));
  await Promise.race([Promise.all(reports), bound]);
  clearTimeout(timer);
  const allOk = printOutcome(open);
  state.exit(allOk ? code : Math.max(code, 1));
}

function onInterrupt(code: number, cause: string): void {
  // A progress display still drawing would stay frozen on screen, its cursor hidden, after process.exit.
  stopDisplays();
  if (state.restoring) {
    // A second signal (or sf's ExitError after the first): leave at once; the records complete it later.
    if (SIGNALS.includes(cause)) {
      printOutcome([...state.changes.values()]);
      state.exit(code);
    }
    return;
  }
  if (state.changes.size === 0) {
    // Nothing to put back: end with the signal's code and one line, not sf's ExitError stack trace
    // (salesforcecli/sf-plugins-core#736).
    state.write(`\n${messages.getMessage('stopped', [cause])}\n`);
    state.exit(code);
    return;
  }
  state.restoring = restoreAll(code, cause);
}

function listen(event: string, listener: (...args: unknown[]) => void): Listener {
  // First in line, so the restore starts before anyone else's listener runs.
  process.prependListener(event as NodeJS.Signals, listener);
  return { event, listener };
}

/** The signal listeners: while a change is open, or for a ren command's whole run. */
function installSignals(): void {
  if (state.listeners.length > 0) return;
  state.listeners = SIGNALS.map((signal) => listen(signal, () => onInterrupt(SIGNAL_CODES[signal], signal)));
}

/** The crash listeners: only while a change is open (otherwise a crash is sf's to report). */
function installCrash(): void {
  if (state.crashListeners.length > 0) return;
  state.crashListeners = [
    listen('uncaughtException', (error: unknown) => {
      if (state.restoring && isExitError(error)) return;
      onInterrupt(1, messages.getMessage('crash', [error instanceof Error ? error.message : String(error)]));
    }),
    listen('unhandledRejection', (reason: unknown) =>
      onInterrupt(1, messages.getMessage('crash', [reason instanceof Error ? reason.message : String(reason)])),
    ),
  ];
}

function remove(listeners: Listener[]): Listener[] {
  for (const { event, listener } of listeners) process.off(event, listener);
  return [];
}

function uninstall(): void {
  state.crashListeners = remove(state.crashListeners);
  if (!state.commandRunning) state.listeners = remove(state.listeners);
}

/**
 * Registers a change to put back if the process is interrupted; returns `release`, to call once the change has
 * been put back the normal way. The guard listens only while at least one change is registered.
 */
export function guardChange(change: GuardedChange): () => void {
  if (state.changes.size === 0 && !state.restoring) {
    installSignals();
    installCrash();
  }
  const id = state.nextId++;
  state.changes.set(id, change);
  return () => {
    state.changes.delete(id);
    if (state.changes.size === 0 && !state.restoring) uninstall();
  };
}

/**
 * For the whole run of a ren command (the init hook calls it): a signal when nothing is open ends the command with
 * the signal's exit code and one line; one while changes are open puts them back first, as always.
 */
export function guardCommand(): void {
  state.commandRunning = true;
  installSignals();
}

/** Whether an interrupt is being handled: work in progress must not go on (e.g. no hand-off after a signal). */
export function isInterrupted(): boolean {
  return state.restoring !== undefined;
}

/** For tests: replace process.exit, stderr and the time bound; returns a function that puts them back and resets. */
export function setGuardHooksForTest(hooks: Partial<Pick<GuardState, 'exit' | 'write' | 'boundMs'>>): () => void {
  const saved = { exit: state.exit, write: state.write, boundMs: state.boundMs };
  Object.assign(state, hooks);
  return () => {
    Object.assign(state, saved);
    state.commandRunning = false;
    uninstall();
    state.changes.clear();
    reported.clear();
    state.restoring = undefined;
  };
}

/** For tests: the restore in progress, to await it. */
export function restoringForTest(): Promise<void> | undefined {
  return state.restoring;
}
