/**
 * The emulator's HTTPS server (127.0.0.1 only) and its life cycle: start, reset, close. Each request is logged,
 * checked against the fault rules, then answered by the control endpoints (control.ts) or routed to its API
 * (router.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { type Server, createServer } from 'node:https';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeCertificate } from './certificate.js';
import type { EmulatorContext } from './context.js';
import { control } from './control.js';
import { FaultInjector } from './faults.js';
import { type Reply, type Req, HANG, restError } from './http.js';
import { parseSoapRequest } from './metadata/soap.js';
import { createOrg } from './org/load.js';
import type { OrgSeed } from './org/seed.js';
import type { OrgState } from './org/state.js';
import { NOT_ROUTED, faultReply, route } from './router.js';

export type EmulatorOptions = {
  /** 0 (default) = a random free port. */
  port?: number;
  seed?: OrgSeed;
  /** Where cert.pem and key.pem are written. Default: a new temp directory. */
  certDir?: string;
  /** No stderr logging of unknown routes. */
  quiet?: boolean;
};

export type RequestLogEntry = {
  method: string;
  path: string;
  soapMethod?: string;
  /** Raw query string, when there is one (`q=SELECT…`). */
  query?: string;
  /** HTTP status answered (absent while pending, or for a hung request). */
  status?: number;
  /** Set when no route matched (the 404 was the emulator's, not the API's). */
  unrouted?: true;
};

export type Emulator = {
  url: string;
  port: number;
  /** A valid session token of the first user (`00D…!…`). */
  readonly accessToken: string;
  /** PEM file to pass as NODE_EXTRA_CA_CERTS. */
  caCertPath: string;
  /** Live org state (replaced by reset()). */
  readonly org: OrgState;
  faults: FaultInjector;
  requests: RequestLogEntry[];
  reset(seed?: OrgSeed): void;
  close(): Promise<void>;
};

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
  // A certificate directory the emulator made itself is removed on close().
  const certDir = opts.certDir ?? mkdtempSync(join(tmpdir(), 'sf-emulator-'));
  const ownsCertDir = opts.certDir === undefined;
  const { key, cert, certPath } = makeCertificate(certDir);
  const initialSeed = opts.seed ?? {};
  let state = createOrg(initialSeed);
  const faults = new FaultInjector();
  faults.setExpireHandler(() => state.sessions.expireAll());
  const requests: RequestLogEntry[] = [];
  const sockets = new Set<Socket>();
  let url = '';

  const ctx: EmulatorContext = {
    get state(): OrgState {
      return state;
    },
    faults,
    get url(): string {
      return url;
    },
  };

  const reset = (seed?: OrgSeed): void => {
    const next = seed ?? initialSeed;
    // Keep the org id and the session token across resets so logged-in clients stay logged in.
    state = createOrg({
      ...next,
      organization: { Id: state.organization.Id, ...next.organization },
      accessToken: next.accessToken ?? state.accessToken,
    });
    faults.clear();
  };

  const server: Server = createServer({ key, cert }, (req, res) => {
    void handle(req, res).catch((err: unknown) => {
      if (!opts.quiet)
        process.stderr.write(
          `[emulator] ${req.method ?? ''} ${req.url ?? ''} failed: ${(err as Error).stack ?? String(err)}\n`,
        );
      if (!res.headersSent)
        send(res, restError(500, 'UNKNOWN_EXCEPTION', `An unexpected error occurred: ${(err as Error).message}`));
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  function send(res: ServerResponse, reply: Reply): void {
    res.writeHead(reply.status, reply.headers ?? {});
    res.end(reply.body ?? '');
  }

  async function handle(raw: IncomingMessage, res: ServerResponse): Promise<void> {
    // Clients build URLs as `${instanceUrl}/services/...`, and sf stores instanceUrl with a trailing slash:
    // Salesforce answers `//services/data` like `/services/data`. (new URL would read `//x` as a host.)
    const parsedUrl = new URL((raw.url ?? '/').replace(/^\/{2,}/, '/'), 'https://127.0.0.1');
    const req: Req = {
      method: (raw.method ?? 'GET').toUpperCase(),
      path: parsedUrl.pathname,
      query: parsedUrl.searchParams,
      headers: raw.headers,
      body: await readBody(raw),
    };
    const soap = req.path.startsWith('/services/Soap/') ? parseSoapRequest(req.body.toString('utf8')) : undefined;
    const isControl = req.path.startsWith('/__emulator/');
    const entry: RequestLogEntry = {
      method: req.method,
      path: req.path,
      ...(soap ? { soapMethod: soap.method } : {}),
      ...(parsedUrl.search ? { query: decodeURIComponent(parsedUrl.search.slice(1).replace(/\+/g, ' ')) } : {}),
    };
    if (!isControl) requests.push(entry);

    const fault = isControl ? undefined : faults.take({ method: req.method, path: req.path, soapMethod: soap?.method });
    let reply: Reply | 'hang' | undefined = fault ? await faultReply(fault, req, Boolean(soap)) : undefined;
    if (reply === 'hang') return;
    reply ??= isControl ? control(ctx, req, reset) : await route(ctx, req, soap);
    if (reply === HANG) return;
    if (reply === NOT_ROUTED) {
      entry.unrouted = true;
      if (!opts.quiet) process.stderr.write(`[emulator] no route for ${req.method} ${req.path}\n`);
    }
    entry.status = reply.status;
    send(res, reply);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  url = `https://127.0.0.1:${port}`;

  return {
    url,
    port,
    get accessToken(): string {
      return state.accessToken;
    },
    caCertPath: certPath,
    get org(): OrgState {
      return state;
    },
    faults,
    requests,
    reset,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => {
          if (ownsCertDir) rmSync(certDir, { recursive: true, force: true });
          resolve();
        });
      }),
  };
}
