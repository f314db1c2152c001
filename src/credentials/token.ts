/*
 * Ren's API token for the hand-off: from the environment (REN_API_TOKEN) or stdin, never from a flag (flags end up
 * in shell history and process lists). A terminal gets a hidden prompt instead of stdin. Whatever its source, a
 * token is checked the same way: one line, no spaces, at most 8 KiB.
 */
import { credentialsError } from './messages.js';

export const TOKEN_ENV = 'REN_API_TOKEN';

/** The most a token may hold; also the most read from stdin. */
export const MAX_TOKEN_BYTES = 8 * 1024;

/** How long to wait for stdin to end when it is not a terminal. */
export const STDIN_TIMEOUT_MS = 10_000;

/** Reads a piped stdin to its end, refusing more than `limit` bytes or a stdin that stays open past `timeoutMs`. */
async function readPiped(stream: NodeJS.ReadableStream, limit: number, timeoutMs: number): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (error?: Error): void => {
      clearTimeout(timer);
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', finish);
      if (typeof (stream as NodeJS.ReadStream).pause === 'function') (stream as NodeJS.ReadStream).pause();
      if (error) reject(error);
      else resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const onData = (chunk: Buffer | string): void => {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += buffer.length;
      if (size > limit) finish(credentialsError('error.RenTokenInvalid', [`stdin: ${tokenRule()}`]));
      else chunks.push(buffer);
    };
    const onEnd = (): void => finish();
    const timer = setTimeout(
      () => finish(credentialsError('error.RenTokenStdinTimeout', [String(timeoutMs / 1000)], [TOKEN_ENV])),
      timeoutMs,
    );
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.once('error', finish);
  });
}

const tokenRule = (): string => `one line without spaces, at most ${MAX_TOKEN_BYTES / 1024} KiB`;

/** The one check of a token, wherever it came from: trimmed, then one line, no spaces, within the size cap. */
export function checkToken(raw: string, source: string): string {
  const token = raw.trim();
  if (!token) throw credentialsError('error.RenTokenMissing', [TOKEN_ENV], [TOKEN_ENV]);
  if (/\s/.test(token) || Buffer.byteLength(token) > MAX_TOKEN_BYTES) {
    throw credentialsError('error.RenTokenInvalid', [`${source}: ${tokenRule()}`]);
  }
  return token;
}

/** The token, or RenTokenMissingError / RenTokenInvalidError. `prompt` asks on a terminal (hidden input). */
export async function renToken(
  prompt: () => Promise<string>,
  stdin: NodeJS.ReadStream = process.stdin,
  timeoutMs = STDIN_TIMEOUT_MS,
): Promise<string> {
  const fromEnv = process.env[TOKEN_ENV];
  if (fromEnv !== undefined && fromEnv.trim() !== '') return checkToken(fromEnv, TOKEN_ENV);
  if (stdin.isTTY) return checkToken(await prompt(), 'the prompt');
  // A little more than the cap is read, for the line break that usually ends a piped token; checkToken has the cap.
  return checkToken(await readPiped(stdin, MAX_TOKEN_BYTES + 2, timeoutMs), 'stdin');
}
