/*
 * A real browser for the end-to-end tests, with nothing downloaded: Debian's `chromium` package (installed by
 * .ci/run when missing), started headless with the flags this machine kind needs (/work/.library notes: no
 * sandbox as root, no GPU, no QUIC, no background networking, a new empty profile) and driven through its DevTools
 * protocol over Node's own WebSocket: no npm browser package. Every request the page makes is recorded, and all
 * traffic goes to a proxy on a closed port, so a page that tried to load anything from the network would fail
 * visibly rather than quietly succeed.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** The browser to use: $CHROMIUM, else Debian's chromium (or another Chromium) on PATH; undefined when none. */
export function findChromium(): string | undefined {
  const fromEnv = process.env.CHROMIUM;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  const found = CANDIDATES.find((path) => existsSync(path));
  if (found) return found;
  const which = spawnSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8' });
  return which.status === 0 && which.stdout.trim() ? which.stdout.trim() : undefined;
}

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--hide-scrollbars',
  // Nothing may leave the machine: every request goes to a port nobody listens on.
  '--proxy-server=http://127.0.0.1:9',
  '--proxy-bypass-list=<-loopback>',
];

type Pending = { resolve: (value: Record<string, unknown>) => void; reject: (error: Error) => void };
type Event = { method: string; params: Record<string, unknown>; sessionId?: string };

export type Page = {
  /** Every URL the page asked for, the page itself included. */
  requests: string[];
  viewport(width: number, height: number, mobile: boolean): Promise<void>;
  open(url: string): Promise<void>;
  evaluate<T>(expression: string): Promise<T>;
  screenshot(): Promise<Buffer>;
  pdf(): Promise<Buffer>;
};

export type Browser = { page(): Promise<Page>; close(): Promise<void> };

async function devtoolsUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`chromium did not start:\n${seen}`)), 60_000);
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      seen += chunk;
      const match = /DevTools listening on (ws:\/\/\S+)/.exec(seen);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.on('exit', (code) => reject(new Error(`chromium exited (${String(code)}):\n${seen}`)));
  });
}

export async function launchChromium(executable: string): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'report-chromium-'));
  const child = spawn(
    executable,
    [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`, '--remote-debugging-port=0', 'about:blank'],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  const socket = new WebSocket(await devtoolsUrl(child));
  await new Promise((resolve, reject) => {
    socket.addEventListener('open', resolve, { once: true });
    socket.addEventListener('error', () => reject(new Error('could not reach the DevTools of chromium')), {
      once: true,
    });
  });
  let nextId = 0;
  const pending = new Map<number, Pending>();
  const listeners: Array<(event: Event) => void> = [];
  socket.addEventListener('message', (message: MessageEvent) => {
    const data = JSON.parse(String(message.data)) as Event & {
      id?: number;
      result?: Record<string, unknown>;
      error?: { message: string };
    };
    if (data.id === undefined) return listeners.forEach((listener) => listener(data));
    const waiting = pending.get(data.id);
    pending.delete(data.id);
    if (data.error) waiting?.reject(new Error(data.error.message));
    else waiting?.resolve(data.result ?? {});
  });
  const send = (method: string, params: Record<string, unknown> = {}, sessionId?: string) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const id = ++nextId;
      pending.set(id, { resolve, reject });
      socket.send(JSON.stringify({ id, method, params, sessionId }));
    });

  const page = async (): Promise<Page> => {
    const { targetId } = await send('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = (await send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string };
    const call = (method: string, params: Record<string, unknown> = {}) => send(method, params, sessionId);
    const requests: string[] = [];
    listeners.push((event) => {
      if (event.sessionId === sessionId && event.method === 'Network.requestWillBeSent')
        requests.push((event.params.request as { url: string }).url);
    });
    await Promise.all([call('Page.enable'), call('Network.enable')]);
    return {
      requests,
      viewport: async (width, height, mobile) => {
        await call('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile });
      },
      open: async (url) => {
        const loaded = new Promise<void>((resolve) =>
          listeners.push((event) => {
            if (event.sessionId === sessionId && event.method === 'Page.loadEventFired') resolve();
          }),
        );
        await call('Page.navigate', { url });
        await loaded;
      },
      evaluate: async <T>(expression: string) => {
        const { result } = (await call('Runtime.evaluate', { expression, returnByValue: true })) as {
          result: { value: T };
        };
        return result.value;
      },
      screenshot: async () =>
        Buffer.from(((await call('Page.captureScreenshot', { format: 'png' })) as { data: string }).data, 'base64'),
      pdf: async () =>
        Buffer.from(
          ((await call('Page.printToPDF', { preferCSSPageSize: true, printBackground: true })) as { data: string })
            .data,
          'base64',
        ),
    };
  };

  return {
    page,
    close: async () => {
      await send('Browser.close').catch(() => undefined);
      socket.close();
      await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(undefined)));
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
