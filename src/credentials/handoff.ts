/*
 * Handing Ren what it needs: { loginUrl, consumerKey, consumerSecret, orgId }, into a file only the user can read,
 * to a program of the user's on its stdin (handoffCommand.ts), and/or POSTed to Ren over HTTPS with a bearer token.
 * This is the one hand-off path: `sf ren connect` and `sf ren onboard` both call deliverCredentials. The secret and
 * the token never go to output or logs; errors name the file, the program, the URL (origin and path) and the HTTP
 * status, never a credential.
 */
import { randomBytes } from 'node:crypto';
import { chmod, link, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { displayUrl } from '../shared/urls.js';
import { type CommandTarget, runHandoffCommand } from './handoffCommand.js';
import { credentialsError, credentialsMessage } from './messages.js';
import { type DeliveredPayload, type HandoffPayload, renPayload } from './payload.js';
import { TOKEN_ENV } from './token.js';

export type { HandoffPayload } from './payload.js';

/** Where the credentials go; at least one target is set (checked by checkHandoffInput). */
export type HandoffTargets = {
  /** The hand-off file (absolute), written with mode 0600. */
  file?: string;
  /** Replace an existing file. */
  force: boolean;
  /** Ren's endpoint; the token must come with it. */
  renUrl?: string;
  token?: string;
  /** A program that gets the payload on its stdin, in its format (--handoff-command, --handoff-format). */
  command?: CommandTarget;
};

/** The temporary files of this module: `.<file name>.<pid>.<random>.tmp` beside the hand-off file. */
const TEMPORARY = /^\.(.+)\.(\d+)\.[0-9a-f]{12}\.tmp$/;

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Removes the temporary copies of `file` that a killed run left behind (each holds a secret): those whose process
 * is gone. A temporary file of a run still going on is left alone.
 */
export async function sweepTemporaryFiles(file: string): Promise<string[]> {
  const folder = dirname(file);
  const names = await readdir(folder).catch(() => [] as string[]);
  const stale = names.filter((name) => {
    const match = TEMPORARY.exec(name);
    return match !== null && match[1] === basename(file) && !isAlive(Number(match[2]));
  });
  await Promise.all(stale.map((name) => rm(join(folder, name), { force: true })));
  return stale.map((name) => join(folder, name));
}

/**
 * Writes the payload as JSON with mode 0600, atomically: a private temporary file in the same folder, then moved
 * into place, so the file is never seen half written or readable by others. Without `force` an existing file is
 * never replaced, even one that appeared meanwhile.
 */
export async function writeHandoffFile(file: string, payload: HandoffPayload, force: boolean): Promise<string> {
  await sweepTemporaryFiles(file);
  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temporary, 'wx', 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(payload, null, 2)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await chmod(temporary, 0o600);
    if (force) await rename(temporary, file);
    else
      await link(temporary, file).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'EEXIST') throw credentialsError('error.RenOutputExists', [file]);
        throw error;
      });
  } finally {
    await rm(temporary, { force: true });
  }
  return file;
}

/** Which parts of the hand-off an existing file holds differently from `payload` (never their values). */
export type HandoffDifference = keyof HandoffPayload;

/**
 * Compares an existing hand-off file with the pair the org has now: undefined when there is no file, [] when it
 * holds exactly that pair (nothing to do), else the fields that differ. A file that is not a hand-off differs in
 * every field.
 */
export async function compareHandoffFile(
  file: string,
  payload: HandoffPayload,
): Promise<HandoffDifference[] | undefined> {
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) return undefined;
  let held: Partial<HandoffPayload> = {};
  try {
    held = JSON.parse(await readFile(file, 'utf8')) as Partial<HandoffPayload>;
  } catch {
    held = {};
  }
  const fields: HandoffDifference[] = ['orgId', 'loginUrl', 'consumerKey', 'consumerSecret'];
  return fields.filter((field) => held[field] !== payload[field]);
}

export type PostOptions = { attempts?: number; baseDelayMs?: number; timeoutMs?: number };

/**
 * POSTs the payload to Ren with `Authorization: Bearer <token>`. Retries 5xx answers and network failures with
 * backoff; a 4xx is final and reported with its status. Redirects are refused (they could carry the credentials
 * elsewhere).
 */
export async function postToRen(
  url: string,
  payload: HandoffPayload,
  token: string,
  options: PostOptions = {},
): Promise<number> {
  const attempts = options.attempts ?? 4;
  const baseDelayMs = options.baseDelayMs ?? 500;
  const target = displayUrl(url);
  let last = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    let status: number | undefined;
    try {
      // eslint-disable-next-line no-await-in-loop
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(payload),
        redirect: 'manual',
        signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
      });
      status = response.status;
      // eslint-disable-next-line no-await-in-loop
      await response.body?.cancel();
      if (status >= 200 && status < 300) return status;
      if (status < 500) throw credentialsError('error.RenHandoffRejected', [target, String(status), reason(status)]);
      last = `HTTP ${status}`;
    } catch (error) {
      if (status !== undefined && status < 500) throw error;
      const cause = (error as Error & { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
      last = status === undefined ? `no answer (${cause})` : last;
    }
    // eslint-disable-next-line no-await-in-loop
    if (attempt < attempts) await new Promise((resolve) => setTimeout(resolve, baseDelayMs * 2 ** (attempt - 1)));
  }
  throw credentialsError('error.RenHandoffUnavailable', [target, String(attempts), last]);
}

function reason(status: number): string {
  if (status === 401 || status === 403) return credentialsMessage('handoff.unauthorized');
  if (status >= 300 && status < 400) return credentialsMessage('handoff.redirect');
  return credentialsMessage('handoff.refused');
}

/**
 * Hands the payload to every target, in this order: the file, the program, Ren. Local targets come first, Ren last:
 * they are the likelier to fail (a missing login to the secret store, a typo), and a failure then stops the hand-off
 * before Ren gets a pair the team's own store lacks; after a rotation, a failure always means Ren does not have the
 * new pair yet, which is what the rotation's error says, and a re-run repeats every target. Returns where it went
 * (the file's path, `command: …`, Ren's URL as origin and path). A Ren URL without a token is an error, never a
 * silent skip.
 */
export async function deliverCredentials(payload: DeliveredPayload, targets: HandoffTargets): Promise<string[]> {
  if (targets.renUrl && !targets.token) throw credentialsError('error.RenTokenMissing', [TOKEN_ENV], [TOKEN_ENV]);
  const ren = renPayload(payload);
  const delivered: string[] = [];
  if (targets.file) delivered.push(await writeHandoffFile(targets.file, ren, targets.force));
  if (targets.command) delivered.push(await runHandoffCommand(payload, targets.command, [targets.token]));
  if (targets.renUrl && targets.token) {
    await postToRen(targets.renUrl, ren, targets.token);
    delivered.push(displayUrl(targets.renUrl));
  }
  return delivered;
}
