/**
 * The emulator's HTTPS server: certificate, routing, authentication, fault injection, request log and the
 * `/__emulator/*` control endpoints. Binds 127.0.0.1 only.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { type Server, createServer } from 'node:https';
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EmulatorContext } from './context.js';
import { type FaultRule, FaultInjector, checkFaultRule } from './faults.js';
import { INVALID_SESSION, type Reply, type Req, bearerToken, json, notFound, parseJsonBody, restError, xml } from './http.js';
import { type SoapReply, type SoapRequest, handleMetadataCall, invalidSessionFault, parseSoapRequest, soapFault } from './metadata/soap.js';
import { identity, revoke, token, userinfo } from './oauth.js';
import { isServedVersion, versionsList } from './rest/info.js';
import { routeRest } from './rest/routes.js';
import type { UserRow } from './org/directory.js';
import { createOrg } from './org/load.js';
import type { OrgSeed } from './org/seed.js';
import type { OrgState } from './org/state.js';

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

type SelfSigned = {
  generate(
    attrs: Array<{ name: string; value: string }>,
    options: { keySize: number; days: number; algorithm: string; extensions: unknown[] }
  ): { private: string; cert: string };
};

function makeCertificate(certDir: string): { key: string; cert: string; certPath: string } {
  const selfsigned = createRequire(import.meta.url)('selfsigned') as SelfSigned;
  // A unique subject per certificate: several emulators (each its own self-signed CA) may be trusted by one process,
  // and certificate chains are built by subject name.
  const pems = selfsigned.generate(
    [
      { name: 'commonName', value: '127.0.0.1' },
      { name: 'organizationName', value: 'Salesforce org emulator' },
      { name: 'organizationalUnitName', value: randomUUID() },
    ],
    {
      keySize: 2048,
      days: 30,
      algorithm: 'sha256',
      extensions: [
        { name: 'basicConstraints', cA: true },
        { name: 'keyUsage', keyCertSign: true, digitalSignature: true, keyEncipherment: true },
        { name: 'extKeyUsage', serverAuth: true },
        { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] },
        { name: 'subjectKeyIdentifier' },
      ],
    }
  );
  mkdirSync(certDir, { recursive: true });
  const certPath = join(certDir, 'cert.pem');
  writeFileSync(certPath, pems.cert);
  writeFileSync(join(certDir, 'key.pem'), pems.private, { mode: 0o600 });
  return { key: pems.private, cert: pems.cert, certPath };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

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
      if (!opts.quiet) process.stderr.write(`[emulator] ${req.method ?? ''} ${req.url ?? ''} failed: ${(err as Error).stack ?? String(err)}\n`);
      if (!res.headersSent) send(res, restError(500, 'UNKNOWN_EXCEPTION', `An unexpected error occurred: ${(err as Error).message}`));
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
    let reply: Reply | 'hang' | undefined = fault ? await applyFault(fault, req, Boolean(soap)) : undefined;
    if (reply === 'hang') return;
    reply ??= await route(req, soap);
    if (reply === NOT_ROUTED) {
      entry.unrouted = true;
      if (!opts.quiet) process.stderr.write(`[emulator] no route for ${req.method} ${req.path}\n`);
    }
    entry.status = reply.status;
    send(res, reply);
  }

  async function applyFault(fault: FaultRule, req: Req, isSoap: boolean): Promise<Reply | 'hang' | undefined> {
    switch (fault.fault) {
      case 'delay':
        await sleep(fault.delayMs ?? 1000);
        return undefined;
      case 'hang':
        return 'hang';
      case 'expired-session':
        if (isSoap) return soapReply(invalidSessionFault());
        return req.path.startsWith('/services/oauth2/') || req.path.startsWith('/id/') ? badOAuthToken() : INVALID_SESSION();
      case 'http-500':
        return isSoap
          ? soapReply(soapFault('sf:UNKNOWN_EXCEPTION', 'UNKNOWN_EXCEPTION: An unexpected error occurred. Please include this ErrorId if you contact support: 1234567890-12345 (-1234567890)'))
          : restError(500, 'UNKNOWN_EXCEPTION', 'An unexpected error occurred. Please include this ErrorId if you contact support: 1234567890-12345 (-1234567890)');
      case 'http-503':
        return isSoap
          ? { ...soapReply(soapFault('sf:SERVER_UNAVAILABLE', 'SERVER_UNAVAILABLE: The server is temporarily unable to handle the request. Try again later.')), status: 503 }
          : restError(503, 'SERVER_UNAVAILABLE', 'The server is temporarily unable to handle the request. Try again later.');
      default:
        return undefined;
    }
  }

  const userFor = (req: Req): UserRow | undefined => state.userForToken(bearerToken(req));

  async function route(req: Req, soap: SoapRequest | undefined): Promise<Reply> {
    const { method, path } = req;
    if (path.startsWith('/__emulator/')) return control(req);
    if (path.startsWith('/services/oauth2/') || path.startsWith('/id/')) return oauthRoute(req) ?? NOT_ROUTED;
    const soapMatch = /^\/services\/Soap\/m\/(\d+\.\d)(?:\/[A-Za-z0-9]+)?\/?$/.exec(path);
    if (soapMatch) return method === 'POST' ? soapRoute(soap, soapMatch[1]) : NOT_ROUTED;
    if (path === '/services/data' || path === '/services/data/') return method === 'GET' ? versionsList(ctx) : NOT_ROUTED;
    const restMatch = /^\/services\/data\/v(\d+\.\d)(\/.*)?$/.exec(path);
    if (!restMatch) return NOT_ROUTED;
    const version = restMatch[1];
    const user = userFor(req);
    if (!user) return INVALID_SESSION();
    if (!isServedVersion(ctx, version)) return notFound();
    return (await routeRest(ctx, req, version, (restMatch[2] ?? '').replace(/\/+$/, ''), user)) ?? NOT_ROUTED;
  }

  /** OAuth and identity endpoints; a bad token there answers 403 Bad_OAuth_Token. */
  function oauthRoute(req: Req): Reply | undefined {
    const { method, path } = req;
    if (path === '/services/oauth2/token' && method === 'POST') return token(ctx, req);
    if (path === '/services/oauth2/revoke' && (method === 'POST' || method === 'GET')) return revoke(ctx, req);
    if (path === '/services/oauth2/userinfo' && (method === 'GET' || method === 'POST')) {
      const user = userFor(req);
      return user ? userinfo(ctx, user) : badOAuthToken();
    }
    const idMatch = /^\/id\/([A-Za-z0-9]{15,18})\/([A-Za-z0-9]{15,18})\/?$/.exec(path);
    if (!idMatch || method !== 'GET') return undefined;
    const user = userFor(req) ?? state.userForToken(req.query.get('oauth_token') ?? undefined);
    return user ? identity(ctx, user, idMatch[1], idMatch[2]) : badOAuthToken();
  }

  /** Metadata API SOAP: session from the SessionHeader, version from the URL. */
  async function soapRoute(soap: SoapRequest | undefined, version: string): Promise<Reply> {
    if (!soap) return soapReply(soapFault('soapenv:Client', 'Could not parse the SOAP envelope'));
    const user = state.userForToken(soap.sessionId);
    if (!user) return soapReply(invalidSessionFault());
    if (!isServedVersion(ctx, version)) {
      return soapReply(soapFault('sf:UNSUPPORTED_API_VERSION', `UNSUPPORTED_API_VERSION: Invalid Api version specified on URL: ${version}`));
    }
    return soapReply(await handleMetadataCall(soap, { state, faults, apiVersion: version, user }));
  }

  function control(req: Req): Reply {
    const { method, path } = req;
    if (path === '/__emulator/state' && method === 'GET') return json(200, dumpState(state, faults));
    if (path === '/__emulator/faults') {
      if (method === 'GET') return json(200, faults.list());
      if (method === 'DELETE') {
        faults.clear();
        return json(200, { cleared: true });
      }
      if (method === 'POST') {
        const rule = parseJsonBody(req);
        const problem = checkFaultRule(rule);
        if (problem) return json(400, { error: problem });
        faults.add(rule as FaultRule);
        return json(201, { added: rule });
      }
    }
    if (path === '/__emulator/expire-session' && method === 'POST') {
      faults.expireSession();
      return json(200, { expired: true });
    }
    if (path === '/__emulator/reset' && method === 'POST') {
      const seed = req.body.length > 0 ? parseJsonBody(req) : undefined;
      if (req.body.length > 0 && (typeof seed !== 'object' || seed === null)) return json(400, { error: 'The body must be a JSON org seed' });
      try {
        reset(seed as OrgSeed | undefined);
      } catch (err) {
        return json(400, { error: (err as Error).message });
      }
      return json(200, { reset: true, accessToken: state.accessToken });
    }
    return notFound();
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

/** The one 404 that means "no such route" (logged), as opposed to a route answering NOT_FOUND. */
const NOT_ROUTED: Reply = notFound();

function soapReply(r: SoapReply): Reply {
  return xml(r.status, r.body);
}

/** OAuth endpoints answer a bad token with 403 Bad_OAuth_Token. */
function badOAuthToken(): Reply {
  return { status: 403, headers: { 'content-type': 'text/plain;charset=UTF-8' }, body: 'Bad_OAuth_Token' };
}

/** JSON dump of the org for `GET /__emulator/state`. */
function dumpState(state: OrgState, faults: FaultInjector): Record<string, unknown> {
  const metadata: Record<string, Record<string, unknown>> = {};
  for (const [type, byName] of state.metadata) {
    metadata[type] = Object.fromEntries(
      [...byName.values()].map((c) => [c.fullName, { id: c.id, record: c.record, createdDate: c.createdDate, lastModifiedDate: c.lastModifiedDate }])
    );
  }
  return {
    organization: state.organization,
    maxApiVersion: state.maxApiVersion,
    users: state.directory.users,
    profiles: state.directory.profiles,
    permissionSets: state.directory.permissionSets,
    permissionSetAssignments: state.directory.permissionSetAssignments,
    settings: state.settings,
    metadata,
    consumers: Object.fromEntries(state.consumers.all().map((c) => [c.appFullName, c])),
    setupEntityAccess: state.directory.setupEntityAccess,
    connectedApplications: state.installedConnectedApps,
    oauthTokens: state.oauthTokens,
    deploys: [...state.deploys.values()].map((d) => ({ id: d.id, api: d.api, apiVersion: d.apiVersion, options: d.options, components: d.components, result: d.result })),
    retrieves: [...state.retrieves.values()].map((r) => ({ id: r.id, apiVersion: r.apiVersion, status: r.status, fileProperties: r.fileProperties, messages: r.messages })),
    faults: faults.list(),
  };
}
