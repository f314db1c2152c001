/*
 * Command lines the plugin prints as fixes and next steps. A printed command must work as typed: every value that
 * needs it is quoted for a POSIX shell, and flags come in the order given.
 */

/** A value as a shell word: unchanged when it is safe, else in single quotes. */
export function shellWord(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, "'\\''")}'`;
}

export type FlagPair = [string, string | boolean | undefined];

/** `--flag value …`; flags with an undefined or false value are left out, true ones are bare. */
export function shellFlags(flags: FlagPair[]): string {
  return flags
    .flatMap(([flag, value]) => {
      if (value === undefined || value === false) return [];
      return value === true ? [flag] : [flag, shellWord(value)];
    })
    .join(' ');
}

/** `sf <command> --flag value …`, as shellFlags writes the flags. */
export function sfCommand(command: string, flags: FlagPair[]): string {
  return ['sf', command, shellFlags(flags)].filter(Boolean).join(' ');
}

/** The app every command names when --app is not given (Ren's). */
export const DEFAULT_APP = 'ren';

/** `--app NAME` for a printed command: left out for the default app, so the command reads as the user would type it. */
export function appFlag(app: string): FlagPair {
  return ['--app', app === DEFAULT_APP ? undefined : app];
}
