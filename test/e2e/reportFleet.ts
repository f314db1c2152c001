/*
 * The fleet the report's end-to-end tests read: one sf logged into three emulated orgs in different states, and a
 * fourth name sf does not know.
 * - `emulator` (the session's default org): Ren's app as the guide sets it up, with two tokens of its admin: ready;
 * - `drift`: Ren's app with a callback URL someone changed in Setup: failing;
 * - `fresh`: Ren's app just created by `sf ren app create`, in an org whose login takes ten minutes to learn of a new
 *   app (reading propagationDelayMs): the probe is pending;
 * - `nosuchorg`: not logged in: failing alone, with its fix.
 */
import { expect } from 'chai';
import type { Emulator, RequestLogEntry } from '../emulator/index.js';
import { startSfSession, type SfSession } from './harness.js';
import { renOrgSeed } from './renOrg.js';

export type ReportFleet = {
  session: SfSession;
  /** -o flags for every org of the fleet, the bad name included. */
  all: string[];
  emulators: Emulator[];
  /** What --redact must hide: every org's username, id (15 and 18 characters) and host. */
  identifiers: string[];
};

export const DRIFTED_CALLBACK = 'https://evil.example.com/cb';

export async function startReportFleet(): Promise<ReportFleet> {
  const session = await startSfSession({
    linkPlugin: true,
    seed: renOrgSeed(
      {},
      {
        oauthTokens: [
          { AppName: 'Ren', UseCount: 4, LastUsedDate: '2026-03-01T10:00:00.000Z' },
          { AppName: 'Ren', UseCount: 2, LastUsedDate: '2026-02-01T10:00:00.000Z' },
        ],
      },
    ),
  });
  const drift = await session.addOrg('drift', renOrgSeed({ global: { callbackUrl: DRIFTED_CALLBACK } }));
  const fresh = await session.addOrg('fresh', { readings: { propagationDelayMs: 600_000 } });
  const created = await session.sf(['ren', 'app', 'create', '-o', 'fresh', '--profile', 'Sales', '--json']);
  expect(created.code, created.stdout + created.stderr).to.equal(0);
  const emulators = [session.emulator, drift, fresh];
  const identifiers = emulators.flatMap((e) => [
    e.org.sessionUser.Username,
    e.org.organization.Id,
    e.org.organization.Id.slice(0, 15),
    new URL(e.url).host,
  ]);
  return {
    session,
    all: ['-o', session.alias, '-o', 'drift', '-o', 'fresh', '-o', 'nosuchorg'],
    emulators,
    identifiers,
  };
}

/** SOAP calls that only read. */
const READ_SOAP = new Set(['listMetadata', 'readMetadata', 'describeMetadata']);

/** Every request since `from` that could have changed the org: a write of any API (reads and the probe are GETs). */
export function writesSince(emulator: Emulator, from: number): RequestLogEntry[] {
  return emulator.requests
    .slice(from)
    .filter((r) => (r.soapMethod ? !READ_SOAP.has(r.soapMethod) : r.method !== 'GET'));
}
