/**
 * Test helpers: start an emulator and connect the real client (@salesforce/core Connection = jsforce) to it.
 * A test file calls `useEmulator()` once per suite; the pieces it is made of (useTempHome, startTestEmulator,
 * connect) serve suites that need their own set-up.
 *
 * Trusting the emulator's self-signed certificate in-process: NODE_EXTRA_CA_CERTS is only read at process start, and
 * jsforce talks HTTP through its own undici Agent (not https.globalAgent), so neither works here. What does work is
 * `tls.setDefaultCACertificates()` (Node >= 22.19): it replaces the default CA list every TLS client uses when it
 * passes no `ca`, undici included. We add the emulator's CA to the bundled roots; nothing is ever made insecure
 * (no NODE_TLS_REJECT_UNAUTHORIZED).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { AuthInfo, Connection } from '@salesforce/core';
import { type Emulator, type OrgSeed, startEmulator } from '../index.js';

const trusted = new Set<string>();

export function trustCertificate(pemPath: string): void {
  const pem = readFileSync(pemPath, 'utf8');
  if (trusted.has(pem)) return;
  trusted.add(pem);
  tls.setDefaultCACertificates([...tls.getCACertificates('default'), ...trusted]);
}

export async function startTestEmulator(seed?: OrgSeed): Promise<Emulator> {
  const emulator = await startEmulator({ seed, quiet: true });
  trustCertificate(emulator.caCertPath);
  return emulator;
}

/** A jsforce Connection (through @salesforce/core) logged in with the emulator's access token. */
export async function connect(
  emulator: Emulator,
  apiVersion = '64.0',
  accessToken = emulator.accessToken,
): Promise<Connection> {
  const authInfo = await AuthInfo.create({
    accessTokenOptions: { accessToken, instanceUrl: emulator.url, loginUrl: emulator.url },
  });
  const conn = await Connection.create({ authInfo });
  conn.setApiVersion(apiVersion);
  // Fast polling for async Metadata API calls in tests.
  conn.metadata.pollInterval = 50;
  return conn;
}

/** A metadata record as the Metadata API CRUD calls send and read it. */
export type MetadataRecord = Record<string, unknown>;
export type SaveResult = Awaited<ReturnType<Connection['metadata']['rename']>>;
export type UpsertResult = Exclude<Awaited<ReturnType<Connection['metadata']['upsert']>>, unknown[]>;

/**
 * The Metadata API CRUD calls of a Connection as the tests make them: a type by any name (jsforce's MetadataType union
 * lacks the External Client App types and their settings) and one record in, one result out.
 */
export type MetadataCrud = {
  read(type: string, fullName: string): Promise<MetadataRecord>;
  read(type: string, fullNames: string[]): Promise<MetadataRecord[]>;
  create(type: string, record: MetadataRecord): Promise<SaveResult>;
  update(type: string, record: MetadataRecord): Promise<SaveResult>;
  upsert(type: string, record: MetadataRecord): Promise<UpsertResult>;
};

/** `conn.metadata` itself, typed as MetadataCrud. */
export function metadataCrud(conn: Connection): MetadataCrud {
  return conn.metadata as unknown as MetadataCrud;
}

/**
 * Runs the enclosing suite with HOME in a temp directory: @salesforce/core writes auth files (~/.sfdx) when a
 * connection resolves its org, and tests must never touch the developer's real home. Core reads os.homedir() on
 * every access, so switching HOME around the suite is enough.
 */
export function useTempHome(): void {
  const saved: Record<string, string | undefined> = {};
  let home = '';
  before(() => {
    home = mkdtempSync(join(tmpdir(), 'emulator-test-home-'));
    for (const [k, v] of Object.entries({
      HOME: home,
      SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
      SF_DISABLE_LOG_FILE: 'true',
    })) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
  });
  after(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    rmSync(home, { recursive: true, force: true });
  });
}

export type EmulatorFixture = {
  /** The suite's emulator. */
  readonly emulator: Emulator;
  /** A Connection logged into it as the session user (not with `connect: false`). */
  readonly conn: Connection;
};

/**
 * One emulator for the enclosing suite: HOME in a temp directory (useTempHome), the emulator started from `seed`
 * with its certificate trusted, and a Connection at `apiVersion` (default 64.0) unless `connect: false`, all in a
 * before hook; the emulator closes in an after hook. The values exist once the hook has run, so the fixture gives
 * them through getters: read `env.emulator` and `env.conn` inside hooks and tests.
 */
export function useEmulator(seed?: OrgSeed, options: { apiVersion?: string; connect?: boolean } = {}): EmulatorFixture {
  useTempHome();
  let emulator: Emulator | undefined;
  let conn: Connection | undefined;
  before(async () => {
    emulator = await startTestEmulator(seed);
    if (options.connect !== false) conn = await connect(emulator, options.apiVersion);
  });
  after(async () => emulator?.close());
  return {
    get emulator(): Emulator {
      if (!emulator) throw new Error('useEmulator: the emulator starts in a before hook; read it in hooks and tests');
      return emulator;
    },
    get conn(): Connection {
      if (!conn) throw new Error('useEmulator: no connection (connect: false, or read before the before hook ran)');
      return conn;
    },
  };
}
