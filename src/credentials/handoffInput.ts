/*
 * The hand-off input of `sf ren connect` and `sf ren onboard`, checked the same way before any org is contacted:
 * where the credentials go (a file, a folder of per-org files, a program, Ren's URL), the login URL override, and
 * Ren's token. A refusal here has changed nothing and read nothing.
 */
import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { urlProblem } from '../shared/urls.js';
import { checkHandoffCommand, type HandoffCommand } from './handoffCommand.js';
import { credentialsError } from './messages.js';
import type { HandoffFormat } from './payload.js';
import { renToken } from './token.js';

export type HandoffInput = {
  outputFile?: string;
  /** onboard: one file per org in this folder (created when its parent exists). */
  outputDir?: string;
  renUrl?: string;
  /** --handoff-command as typed (split and checked here), and --handoff-format. */
  command?: string;
  format?: HandoffFormat;
  loginUrl?: string;
  force: boolean;
  /**
   * The flag that hands off some other way, which makes a target optional: connect's --show-secret, onboard's
   * --skip-handoff. Undefined when none was given.
   */
  otherWay?: boolean;
  /** The command's targets, for the error when none is given: "--output-file FILE, --ren-url URL, or …". */
  targets: string;
  /** A dry run: nothing is sent or written, so no token is read and no folder is created. */
  dryRun: boolean;
};

export type CheckedHandoff = {
  file?: string;
  dir?: string;
  renUrl?: string;
  loginUrl?: string;
  token?: string;
  command?: HandoffCommand;
};

/** Checks a hand-off file path: its folder exists, and the file does not (unless `force`). Returns it absolute. */
export async function checkOutputFile(path: string, force: boolean): Promise<string> {
  const file = resolve(path);
  const folder = await stat(dirname(file)).catch(() => undefined);
  if (!folder?.isDirectory()) throw credentialsError('error.RenOutputDirMissing', [dirname(file)], [dirname(file)]);
  const existing = await stat(file).catch(() => undefined);
  if (existing?.isDirectory()) throw credentialsError('error.RenOutputIsDirectory', [file]);
  if (existing && !force) throw credentialsError('error.RenOutputExists', [file]);
  return file;
}

/**
 * The folder for per-org hand-off files: created (private to the user) when its parent exists, else refused. In a
 * dry run it is only checked. `mode` 0o777 (less the umask) is for folders that hold no secret (app create's source).
 */
export async function prepareOutputDir(path: string, create: boolean, mode = 0o700): Promise<string> {
  const dir = resolve(path);
  const existing = await stat(dir).catch(() => undefined);
  if (existing && !existing.isDirectory()) throw credentialsError('error.RenOutputDirIsFile', [dir]);
  if (!existing) {
    const parent = await stat(dirname(dir)).catch(() => undefined);
    if (!parent?.isDirectory()) throw credentialsError('error.RenOutputDirMissing', [dirname(dir)], [dirname(dir)]);
    if (create) await mkdir(dir, { mode });
  }
  return dir;
}

/**
 * Checks everything the user gave for the hand-off, then reads the token when Ren's URL is given. Existing files
 * are not refused here for onboard (whether an org's file is already done depends on the org, see onboard); a
 * single --output-file is, unless --force.
 */
export async function checkHandoffInput(
  input: HandoffInput,
  askToken: () => Promise<string>,
  options: { existingFileAllowed?: boolean } = {},
): Promise<CheckedHandoff> {
  if (!input.outputFile && !input.outputDir && !input.renUrl && input.command === undefined && !input.otherWay) {
    throw credentialsError('error.RenNoHandoff', [input.targets]);
  }
  const problems: Array<[string, string | undefined]> = [
    ['--login-url', input.loginUrl ? urlProblem(input.loginUrl, { originOnly: true }) : undefined],
    ['--ren-url', input.renUrl ? urlProblem(input.renUrl, { http: 'loopback' }) : undefined],
  ];
  for (const [flag, problem] of problems) if (problem) throw credentialsError('error.RenBadUrl', [flag, problem]);
  // Node does not verify certificates at all then: the secret would go to whoever answers.
  if (input.renUrl && process.env.NODE_TLS_REJECT_UNAUTHORIZED === '0') {
    throw credentialsError('error.RenTlsVerificationOff');
  }
  const command = input.command === undefined ? undefined : await checkHandoffCommand(input.command, input.format);
  const file = input.outputFile
    ? await checkOutputFile(input.outputFile, input.force || options.existingFileAllowed === true)
    : undefined;
  const token = input.renUrl && !input.dryRun ? await renToken(askToken) : undefined;
  // Last, once everything else is known to be right: the only check that may create something.
  const dir = input.outputDir ? await prepareOutputDir(input.outputDir, !input.dryRun) : undefined;
  return {
    file,
    dir,
    renUrl: input.renUrl,
    loginUrl: input.loginUrl ? new URL(input.loginUrl).origin : undefined,
    token,
    command,
  };
}
