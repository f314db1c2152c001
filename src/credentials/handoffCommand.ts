/*
 * --handoff-command: hands the credentials to a program the user names (a secret store's CLI, a script of their
 * own), the way their team keeps secrets. The program runs without a shell: its command line is split here (words
 * and quotes only: no globbing, no variables, no pipes), so nothing in it is ever interpreted by a shell. The
 * credentials go to its stdin only, never into its arguments or environment (both can be read by other users of
 * the machine, in the process list). Ren's token is taken out of its environment. Its exit code decides, it gets a
 * bounded time, and what it prints is shown with the secret and the token masked.
 */
import { spawn } from 'node:child_process';
import { access, constants, stat } from 'node:fs/promises';
import { delimiter, resolve } from 'node:path';
import { shellWord } from '../shared/commandLine.js';
import { credentialsError, credentialsMessage } from './messages.js';
import { type DeliveredPayload, formatHandoff, type HandoffFormat, MASK } from './payload.js';
import { TOKEN_ENV } from './token.js';

/** The checked --handoff-command: its words (placeholders still in them) and what its stdin gets. */
export type HandoffCommand = { argv: string[]; format: HandoffFormat };

/** One run of the program: the command, the org's name for {org}, and where its (masked) output goes. */
export type CommandTarget = HandoffCommand & {
  org: string;
  /** Called after a successful run that printed something: a header line, then the output, indented. */
  onOutput?: (lines: string[]) => void;
  timeoutMs?: number;
};

/** How long the program may run before it is stopped (and the hand-off fails). */
export const HANDOFF_COMMAND_TIMEOUT_MS = 5 * 60_000;
/** Between SIGTERM and SIGKILL, and how long to wait for the output of a program that has exited. */
const GRACE_MS = 2000;
/** The most of the program's output kept for the user: its last lines, each cut at a length. */
export const OUTPUT_LIMITS = { lines: 200, lineLength: 2000 } as const;
const { lines: MAX_LINES, lineLength: MAX_LINE } = OUTPUT_LIMITS;
const FAILURE_TAIL = 10;

/**
 * Splits a command line into words, as a POSIX shell would split plain words and quotes, and no more: blanks
 * separate words; '…' keeps everything literally; "…" keeps everything but a backslash before " \ $ or `, which
 * stands for that character; quoted and unquoted parts next to each other make one word. A backslash outside quotes
 * is an ordinary character (Windows paths stay as typed). Nothing is expanded.
 */
export function splitCommand(text: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: { char: string; at: number } | undefined;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quote?.char === "'") {
      if (char === "'") quote = undefined;
      else word += char;
    } else if (quote) {
      if (char === '"') quote = undefined;
      else if (char === '\\' && i + 1 < text.length && '"\\$`'.includes(text[i + 1])) word += text[++i];
      else word += char;
    } else if (/\s/.test(char)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (char === "'" || char === '"') {
      quote = { char, at: i + 1 };
      word ??= '';
    } else word = (word ?? '') + char;
  }
  if (quote) {
    throw credentialsError('error.RenHandoffCommandInvalid', [
      credentialsMessage('handoffCommand.unbalanced', [quote.char, String(quote.at)]),
    ]);
  }
  if (word !== undefined) words.push(word);
  if (words.length === 0 || words[0] === '') {
    throw credentialsError('error.RenHandoffCommandInvalid', [credentialsMessage('handoffCommand.empty')]);
  }
  return words;
}

const isExecutable = async (path: string): Promise<boolean> =>
  (await stat(path).catch(() => undefined))?.isFile() === true &&
  access(path, constants.X_OK).then(
    () => true,
    () => false,
  );

/**
 * Where the program is, found the way it will be started: a name with a path from the current folder, else the
 * first match on PATH (on Windows also with .exe or .com: a .cmd or .bat script needs a shell, which is not used).
 */
export async function findProgram(program: string, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const windows = process.platform === 'win32';
  const hasPath = program.includes('/') || (windows && program.includes('\\'));
  const folders = hasPath ? [''] : (env.PATH ?? '').split(delimiter).filter(Boolean);
  const candidates = folders.flatMap((folder) =>
    (windows ? ['', '.exe', '.com'] : ['']).map((ext) => resolve(folder, program + ext)),
  );
  for (const candidate of candidates) {
    // eslint-disable-next-line no-await-in-loop
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** Splits --handoff-command and finds its program, before anything is contacted. */
export async function checkHandoffCommand(text: string, format: HandoffFormat = 'ren'): Promise<HandoffCommand> {
  const argv = splitCommand(text);
  if (!(await findProgram(argv[0]))) throw credentialsError('error.RenHandoffProgramNotFound', [argv[0]]);
  return { argv, format };
}

/** Fills {org} and {orgId} in the arguments (never in the program's name); other braces stay as they are. */
export function fillPlaceholders(argv: string[], values: { org: string; orgId: string }): string[] {
  const fill = (word: string): string =>
    word.replace(/\{(org|orgId)\}/g, (_all, name: 'org' | 'orgId') => values[name]);
  return [argv[0], ...argv.slice(1).map(fill)];
}

/** The program and its arguments as typed in a shell, e.g. `gh secret set REN_CREDENTIALS`. */
export const commandLine = (argv: string[]): string => argv.map(shellWord).join(' ');

/** How a run is named among the hand-off destinations (output and --json): `command: gh secret set …`. */
export const commandLabel = (line: string): string => `command: ${line}`;

/** Every occurrence of each secret, replaced by the mask (the longest first, should one hold another). */
export function maskSecrets(text: string, secrets: string[]): string {
  const longestFirst = secrets.filter(Boolean).sort((a, b) => b.length - a.length);
  return longestFirst.reduce((masked, secret) => masked.split(secret).join(MASK), text);
}

/** The environment the program gets: the user's, without Ren's token (any letter case, for Windows). */
export function childEnvironment(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => name.toUpperCase() !== TOKEN_ENV));
}

/**
 * The program's output as masked lines, stdout and stderr each split on its own (a secret never spans two lines,
 * so masking whole lines masks it wherever it appears). A very long line is masked, then cut; one still being
 * written is taken once it holds more than a line's length and the longest secret (so a secret that starts before
 * the cut is whole, and masked), and the rest of it is dropped. Only the last MAX_LINES lines are kept.
 */
class OutputLines {
  private readonly lines: string[] = [];
  private dropped = 0;
  private readonly pending = { stdout: { text: '', skipping: false }, stderr: { text: '', skipping: false } };
  private readonly longest: number;

  public constructor(private readonly secrets: string[]) {
    this.longest = Math.max(0, ...secrets.map((s) => s.length));
  }

  public add(stream: 'stdout' | 'stderr', chunk: string): void {
    const state = this.pending[stream];
    const parts = `${state.text}${chunk}`.split('\n');
    state.text = parts.pop() ?? '';
    // The end of a line already cut: drop it.
    if (parts.length > 0 && state.skipping) {
      parts.shift();
      state.skipping = false;
    }
    parts.forEach((line) => this.push(line));
    if (state.skipping) state.text = '';
    else if (state.text.length > MAX_LINE + this.longest) {
      this.push(state.text);
      state.text = '';
      state.skipping = true;
    }
  }

  public finish(): string[] {
    for (const state of Object.values(this.pending)) if (!state.skipping && state.text) this.push(state.text);
    const earlier = this.dropped > 0 ? [credentialsMessage('handoffCommand.dropped', [String(this.dropped)])] : [];
    return [...earlier, ...this.lines];
  }

  /** Masked before it is cut: a secret the cut would split shows as the mask, never as its first characters. */
  private push(line: string): void {
    const masked = maskSecrets(line.replace(/\r$/, ''), this.secrets);
    this.lines.push(masked.length > MAX_LINE ? `${masked.slice(0, MAX_LINE)} …` : masked);
    if (this.lines.length > MAX_LINES) this.dropped += this.lines.splice(0, 1).length;
  }
}

type Ended =
  | { kind: 'exited'; code: number | null; signal: NodeJS.Signals | null }
  | { kind: 'timeout' }
  | { kind: 'not-started'; reason: string };

/** Runs the program with `input` on its stdin; resolves when it has ended, however it ended. */
function runChild(argv: string[], input: string, output: OutputLines, timeoutMs: number): Promise<Ended> {
  return new Promise((resolvePromise) => {
    const child = spawn(argv[0], argv.slice(1), { env: childEnvironment(), shell: false, windowsHide: true });
    const timers: NodeJS.Timeout[] = [];
    let settled = false;
    let timedOut = false;
    const finish = (ended: Ended): void => {
      if (settled) return;
      settled = true;
      timers.forEach(clearTimeout);
      // A program's own children may hold its output open: they are not waited for.
      child.stdout.destroy();
      child.stderr.destroy();
      resolvePromise(timedOut ? { kind: 'timeout' } : ended);
    };
    timers.push(
      setTimeout(() => {
        timedOut = true;
        child.kill('SIGTERM');
        timers.push(
          setTimeout(() => {
            child.kill('SIGKILL');
            finish({ kind: 'timeout' });
          }, GRACE_MS),
        );
      }, timeoutMs),
    );
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (child.pid === undefined) finish({ kind: 'not-started', reason: error.code ?? error.message });
    });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => output.add('stdout', chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => output.add('stderr', chunk));
    child.on('exit', (code, signal) =>
      timers.push(setTimeout(() => finish({ kind: 'exited', code, signal }), GRACE_MS)),
    );
    child.on('close', (code: number | null, signal: NodeJS.Signals | null) => finish({ kind: 'exited', code, signal }));
    // A program that exits without reading all of it closes the pipe (EPIPE): its exit code still decides.
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}

/**
 * Runs the hand-off program for one org: {org} and {orgId} filled, the payload in its format on stdin. Returns the
 * run's label; throws when it cannot start, fails (naming its exit code and its last output lines, masked) or runs
 * too long. `secrets` (Ren's token) are masked with the consumer secret.
 */
export async function runHandoffCommand(
  payload: DeliveredPayload,
  target: CommandTarget,
  secrets: Array<string | undefined> = [],
): Promise<string> {
  const argv = fillPlaceholders(target.argv, { org: target.org, orgId: payload.orgId });
  // Formatted first: a payload the format cannot carry starts nothing.
  const input = formatHandoff(payload, target.format);
  const hidden = [payload.consumerSecret, ...secrets].filter((s): s is string => Boolean(s));
  const line = maskSecrets(commandLine(argv), hidden);
  const output = new OutputLines(hidden);
  const timeoutMs = target.timeoutMs ?? HANDOFF_COMMAND_TIMEOUT_MS;
  const ended = await runChild(argv, input, output, timeoutMs);
  const lines = output.finish();
  const tail =
    lines.length > 0
      ? `\n${credentialsMessage('handoffCommand.tail')}\n  ${lines.slice(-FAILURE_TAIL).join('\n  ')}`
      : '';
  if (ended.kind === 'not-started')
    throw credentialsError('error.RenHandoffCommandNotStarted', [argv[0], ended.reason]);
  if (ended.kind === 'timeout')
    throw credentialsError('error.RenHandoffCommandTimeout', [line, String(timeoutMs / 1000), tail]);
  if (ended.code !== 0) {
    const how =
      ended.code === null
        ? credentialsMessage('handoffCommand.signal', [ended.signal ?? '?'])
        : credentialsMessage('handoffCommand.exitCode', [String(ended.code)]);
    throw credentialsError('error.RenHandoffCommandFailed', [line, how, tail]);
  }
  if (lines.length > 0) {
    target.onOutput?.([credentialsMessage('handoffCommand.output', [line, target.org]), ...lines.map((l) => `  ${l}`)]);
  }
  return commandLabel(line);
}
