/**
 * The control endpoints under `/__emulator/` (no authentication, never logged or faulted): a JSON dump of the org,
 * fault rules (list, add, clear), the readings (`GET` them, `POST { name: value }` to change some), the org's clock
 * (`GET`, `POST { advanceMs }`), expiring the session, resetting the org to a seed, and the vendor-owned connected
 * apps (connectedAppsControl.ts).
 */
import { connectedAppsControl } from './connectedAppsControl.js';
import type { EmulatorContext } from './context.js';
import { type FaultRule, type FaultInjector, checkFaultRule } from './faults.js';
import { type Reply, type Req, json, notFound, parseJsonBody } from './http.js';
import { withGrants } from './metadata/grants.js';
import { checkReadings } from './readings.js';
import type { OrgSeed } from './org/seed.js';
import type { OrgState } from './org/state.js';

/** Answers a control request; `reset` replaces the org (the emulator's reset()). */
export function control(ctx: EmulatorContext, req: Req, reset: (seed?: OrgSeed) => void): Reply {
  const { method, path } = req;
  if (path === '/__emulator/state' && method === 'GET') return json(200, dumpState(ctx.state, ctx.faults));
  if (path === '/__emulator/faults') return faultsControl(ctx.faults, req);
  if (path === '/__emulator/readings') return readingsControl(ctx.state, req);
  if (path === '/__emulator/clock') return clockControl(ctx.state, req);
  if (path === '/__emulator/connected-apps' || path.startsWith('/__emulator/connected-apps/'))
    return connectedAppsControl(ctx, req);
  if (path === '/__emulator/expire-session' && method === 'POST') {
    ctx.faults.expireSession();
    return json(200, { expired: true });
  }
  if (path === '/__emulator/reset' && method === 'POST') return resetControl(ctx, req, reset);
  return notFound();
}

/** `GET|POST|DELETE /__emulator/faults`: list, add, clear the fault rules. */
function faultsControl(faults: FaultInjector, req: Req): Reply {
  if (req.method === 'GET') return json(200, faults.list());
  if (req.method === 'DELETE') {
    faults.clear();
    return json(200, { cleared: true });
  }
  if (req.method !== 'POST') return notFound();
  const rule = parseJsonBody(req);
  const problem = checkFaultRule(rule);
  if (problem) return json(400, { error: problem });
  faults.add(rule as FaultRule);
  return json(201, { added: rule });
}

/** `POST /__emulator/reset` with an optional JSON seed. */
function resetControl(ctx: EmulatorContext, req: Req, reset: (seed?: OrgSeed) => void): Reply {
  const seed = req.body.length > 0 ? parseJsonBody(req) : undefined;
  if (req.body.length > 0 && (typeof seed !== 'object' || seed === null))
    return json(400, { error: 'The body must be a JSON org seed' });
  try {
    reset(seed as OrgSeed | undefined);
  } catch (err) {
    return json(400, { error: (err as Error).message });
  }
  return json(200, { reset: true, accessToken: ctx.state.accessToken });
}

/** `GET /__emulator/readings`: the org's readings; `POST` a JSON object of some of them to change those. */
function readingsControl(state: OrgState, req: Req): Reply {
  if (req.method === 'GET') return json(200, { readings: state.readings });
  if (req.method !== 'POST') return notFound();
  const checked = checkReadings(parseJsonBody(req));
  if ('problem' in checked) return json(400, { error: checked.problem });
  return json(200, { readings: state.setReadings(checked.readings) });
}

/** `GET /__emulator/clock`: the org's time; `POST { "advanceMs": N }` moves it ahead. */
function clockControl(state: OrgState, req: Req): Reply {
  const answer = (): Reply => json(200, { now: state.clock.nowIso(), offsetMs: state.clock.offset });
  if (req.method === 'GET') return answer();
  if (req.method !== 'POST') return notFound();
  const body = parseJsonBody(req) as { advanceMs?: unknown } | undefined;
  const ms = body?.advanceMs;
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0)
    return json(400, { error: 'The body must be { "advanceMs": <milliseconds >= 0> }' });
  state.clock.advance(ms);
  return answer();
}

/** JSON dump of the org for `GET /__emulator/state`. */
function dumpState(state: OrgState, faults: FaultInjector): Record<string, unknown> {
  const metadata: Record<string, Record<string, unknown>> = {};
  for (const [type, byName] of state.store.byType) {
    metadata[type] = Object.fromEntries(
      [...byName.values()].map((c) => [
        c.fullName,
        {
          id: c.id,
          record: withGrants(state, type, c.record),
          createdDate: c.createdDate,
          lastModifiedDate: c.lastModifiedDate,
        },
      ]),
    );
  }
  return {
    organization: state.organization,
    maxApiVersion: state.maxApiVersion,
    readings: state.readings,
    clock: { now: state.clock.nowIso(), offsetMs: state.clock.offset },
    users: state.directory.users,
    profiles: state.directory.profiles,
    permissionSets: state.directory.permissionSets,
    permissionSetAssignments: state.directory.permissionSetAssignments,
    settings: state.settings,
    metadata,
    consumers: state.consumers.all(),
    setupEntityAccess: state.directory.setupEntityAccess,
    connectedApplications: state.installedConnectedApps,
    oauthTokens: state.oauthTokens,
    vendorApps: state.connectedApps.dump(),
    deploys: [...state.deploys.values()].map((d) => ({
      id: d.id,
      api: d.api,
      apiVersion: d.apiVersion,
      options: d.options,
      components: d.components,
      result: d.result,
    })),
    retrieves: [...state.retrieves.values()].map((r) => ({
      id: r.id,
      apiVersion: r.apiVersion,
      status: r.status,
      fileProperties: r.fileProperties,
      messages: r.messages,
    })),
    faults: faults.list(),
  };
}
