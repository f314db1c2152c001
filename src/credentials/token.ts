/*
 * Ren's API token for the hand-off: from the environment (REN_API_TOKEN) or stdin, never from a flag (flags
 * end up in shell history and process lists). A terminal gets a hidden prompt instead of stdin.
 */
import { credentialsError } from './messages.js';

export const TOKEN_ENV = 'REN_API_TOKEN';

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
  return text;
}

/** The token, or RenTokenMissingError. `prompt` asks on a terminal (hidden input). */
export async function renToken(
  prompt: () => Promise<string>,
  stdin: NodeJS.ReadStream = process.stdin,
): Promise<string> {
  const fromEnv = process.env[TOKEN_ENV]?.trim();
  if (fromEnv) return fromEnv;
  const given = (stdin.isTTY ? await prompt() : await readAll(stdin)).trim();
  if (!given) throw credentialsError('error.RenTokenMissing', [TOKEN_ENV], [TOKEN_ENV]);
  if (/\s/.test(given)) throw credentialsError('error.RenTokenInvalid');
  return given;
}
