/**
 * A stand-in for Ren's receiving endpoint, for tests: an HTTP server on 127.0.0.1 that records every request
 * (method, path, headers, JSON body) and answers from a script of statuses (e.g. [503, 200] = fail once, then
 * accept), then 200; a listener hears each request with the status it gets (as Ren would start using credentials it
 * accepted). Plain http on loopback is what the plugin allows for tests.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Received = { method: string; path: string; headers: IncomingHttpHeaders; body: unknown };

export type RenReceiver = {
  url: string;
  received: Received[];
  /** Statuses for the next requests, in order; after them every request gets 200. */
  answer(statuses: number[]): void;
  /** Hears every request with the status it is answered, before the answer goes out; undefined stops listening. */
  listen(listener: ((received: Received, status: number) => void) | undefined): void;
  close(): Promise<void>;
};

export async function startRenReceiver(path = '/api/salesforce/credentials'): Promise<RenReceiver> {
  const received: Received[] = [];
  let script: number[] = [];
  let listener: ((received: Received, status: number) => void) | undefined;
  const server: Server = createServer((req, res) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => {
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // keep the raw text
      }
      const request = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body };
      received.push(request);
      const status = script.shift() ?? 200;
      listener?.(request, status);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(status < 300 ? { ok: true } : { error: `status ${status}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    received,
    answer: (statuses) => {
      script = [...statuses];
    },
    listen: (heard) => {
      listener = heard;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
