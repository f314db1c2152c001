/*
 * Handing Ren what it needs: { loginUrl, consumerKey, consumerSecret, orgId }, into a file only the user can
 * read, or POSTed to Ren over HTTPS with a bearer token. The secret and the token never go to output or logs;
 * errors name the file, the URL and the HTTP status, never a credential.
 */
import { randomBytes } from 'node:crypto';
import { chmod, link, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { isLoopbackHost } from '../shared/urls.js';
import { credentialsError, credentialsMessage } from './messages.js';

export type HandoffPayload = { loginUrl: string; consumerKey: string; consumerSecret: string; orgId: string };

/**
 * Checks a hand-off file path before anything is read from the org: its folder exists, and the file does not unless
 * forced.
 */
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
 * Writes the payload as JSON with mode 0600, atomically: a private temporary file in the same folder, then
 * moved into place, so the file is never seen half written or readable by others. Without `force` an
 * existing file is never replaced, even one that appeared meanwhile.
 */
export async function writeHandoffFile(path: string, payload: HandoffPayload, force: boolean): Promise<string> {
  const file = await checkOutputFile(path, force);
  const temporary = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
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

/** Why a Ren URL is not usable: https, or http only to this machine (for tests). */
export function renUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `"${value}" is not a URL`;
  }
  if (url.username || url.password) return 'the URL must not carry a user name or password';
  if (url.protocol === 'https:') return url.hostname ? undefined : `"${value}" has no host`;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return undefined;
  return `"${url.protocol}//${url.host}" is not https; plain http is allowed only to this machine (localhost)`;
}

export type PostOptions = { attempts?: number; baseDelayMs?: number; timeoutMs?: number };

/**
 * POSTs the payload to Ren with `Authorization: Bearer <token>`. Retries 5xx answers and network failures with
 * backoff; a 4xx is final and reported with its status. Redirects are refused (they could carry the
 * credentials elsewhere).
 */
export async function postToRen(
  url: string,
  payload: HandoffPayload,
  token: string,
  options: PostOptions = {},
): Promise<number> {
  const attempts = options.attempts ?? 4;
  const baseDelayMs = options.baseDelayMs ?? 500;
  const target = `${new URL(url).origin}${new URL(url).pathname}`;
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
    if (attempt < attempts) await new Promise((r) => setTimeout(r, baseDelayMs * 2 ** (attempt - 1)));
  }
  throw credentialsError('error.RenHandoffUnavailable', [target, String(attempts), last]);
}

function reason(status: number): string {
  if (status === 401 || status === 403) return credentialsMessage('handoff.unauthorized');
  if (status >= 300 && status < 400) return credentialsMessage('handoff.redirect');
  return credentialsMessage('handoff.refused');
}

export type HandoffTargets = { outputFile?: string; force: boolean; renUrl?: string; token?: string };

/** Hands the payload to every target given, file first; returns where it went. */
export async function handOff(targets: HandoffTargets, payload: HandoffPayload): Promise<string[]> {
  const handedOffTo: string[] = [];
  if (targets.outputFile) handedOffTo.push(await writeHandoffFile(targets.outputFile, payload, targets.force));
  if (targets.renUrl && targets.token) {
    await postToRen(targets.renUrl, payload, targets.token);
    handedOffTo.push(targets.renUrl);
  }
  return handedOffTo;
}
