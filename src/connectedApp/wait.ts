/*
 * Waiting for the admin's Install click: bounded polling of the org (one ConnectedApplication and one OauthToken
 * query a round), first after 2 seconds, then backing off to every 10 seconds, until the app is installed or the
 * wait (`--wait` minutes) is over. The clock and the sleep are injectable, so tests need no real time.
 */
import { Messages, type SfError } from '@salesforce/core';
import { EXIT } from '../shared/exitCodes.js';
import { counted } from '../shared/plural.js';
import type { AppStage } from './orgApp.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('@rensystems/plugin-ren', 'connectedApp');

/** Not done yet: the exit code of the one table (shared/exitCodes.ts). */
export const NOT_DONE_EXIT_CODE = EXIT.notYet;

export type Poll<T extends { stage: AppStage }> = () => Promise<T>;
export type PollProgress = { checks: number; elapsedMs: number; stage: AppStage };

export type WaitOptions = {
  timeoutMs: number;
  onPoll?: (progress: PollProgress) => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  firstIntervalMs?: number;
  maxIntervalMs?: number;
};

export type WaitResult<T> = { state: T; checks: number; elapsedMs: number };

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls until the app is installed. The first check is made at once; throws RenConnectedAppNotInstalledError (exit
 * code 69) when the wait is over.
 */
export async function waitForInstall<T extends { stage: AppStage }>(
  poll: Poll<T>,
  name: string,
  target: string,
  options: WaitOptions,
): Promise<WaitResult<T>> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const maxInterval = options.maxIntervalMs ?? 10_000;
  let interval = options.firstIntervalMs ?? 2000;
  const start = now();
  for (let checks = 1; ; checks++) {
    // eslint-disable-next-line no-await-in-loop
    const state = await poll();
    const elapsedMs = now() - start;
    options.onPoll?.({ checks, elapsedMs, stage: state.stage });
    if (state.stage === 'installed') return { state, checks, elapsedMs };
    const remaining = options.timeoutMs - elapsedMs;
    if (remaining <= 0) throw notInstalledError(name, target, options.timeoutMs, checks, state.stage);
    // eslint-disable-next-line no-await-in-loop
    await sleep(Math.min(interval, remaining));
    interval = Math.min(Math.round(interval * 1.5), maxInterval);
  }
}

export function notInstalledError(
  name: string,
  target: string,
  timeoutMs: number,
  checks: number,
  stage: AppStage,
): SfError {
  const minutes = counted(Math.round(timeoutMs / 60_000), 'minute');
  const key =
    stage === 'never-used' ? 'error.RenConnectedAppNotInstalled.neverUsed' : 'error.RenConnectedAppNotInstalled.used';
  const error = messages.createError(
    'error.RenConnectedAppNotInstalled',
    [name, target, minutes, counted(checks, 'check'), messages.getMessage(key, [name])],
    [target, name],
  );
  error.exitCode = NOT_DONE_EXIT_CODE;
  error.setData({ stage, checks });
  return error;
}
