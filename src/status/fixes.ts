/*
 * The fixes `sf ren app status` prints: commands that repeat every flag that chose what was checked (the org, the
 * app, the definition file, the API version), so a fix run as printed changes only what failed.
 */
import { DEFAULT_APP, type FlagPair, sfCommand } from '../shared/commandLine.js';

export type FixContext = {
  /** The org as the user named it (alias or username). */
  target: string;
  /** The app's API name. */
  app: string;
  /** The --definition file the check used, if any. */
  definitionFile?: string;
  /** The --api-version the check used, if any. */
  apiVersion?: string;
};

/** `sf ren app create …` for this app and guide, plus `extra` flags. */
export function createFix(ctx: FixContext, extra: FlagPair[] = []): string {
  return sfCommand('ren app create', [
    ['--target-org', ctx.target],
    // With a definition the app is named even when it is ren: the file may name another API name, or none.
    ['--app', ctx.app === DEFAULT_APP && !ctx.definitionFile ? undefined : ctx.app],
    ['--definition', ctx.definitionFile],
    ['--api-version', ctx.apiVersion],
    ...extra,
  ]);
}

/** `sf ren app preauthorize …` for this app, plus `extra` flags. */
export function preauthorizeFix(ctx: FixContext, extra: FlagPair[]): string {
  return sfCommand('ren app preauthorize', [
    ['--target-org', ctx.target],
    ['--app', ctx.app === DEFAULT_APP ? undefined : ctx.app],
    ['--api-version', ctx.apiVersion],
    ...extra,
  ]);
}

/** `sf ren connect …` for this app, plus `extra` flags. */
export function connectFix(ctx: FixContext, extra: FlagPair[]): string {
  return sfCommand('ren connect', [
    ['--target-org', ctx.target],
    ['--app', ctx.app === DEFAULT_APP ? undefined : ctx.app],
    ['--api-version', ctx.apiVersion],
    ...extra,
  ]);
}

/** `sf ren app status …` for this app and guide, plus `extra` flags. */
export function statusFix(ctx: FixContext, extra: FlagPair[] = []): string {
  return sfCommand('ren app status', [
    ['--target-org', ctx.target],
    ['--app', ctx.app === DEFAULT_APP ? undefined : ctx.app],
    ['--definition', ctx.definitionFile],
    ['--api-version', ctx.apiVersion],
    ...extra,
  ]);
}
