/**
 * The control endpoints under `/__emulator/` (no authentication, never logged or faulted): a JSON dump of the org,
 * fault rules (list, add, clear), expiring the session, resetting the org to a seed, and the vendor-owned connected
 * apps (connectedAppsControl.ts).
 */
import { connectedAppsControl } from './connectedAppsControl.js';
import type { EmulatorContext } from './context.js';
import { type FaultRule, type FaultInjector, checkFaultRule } from './faults.js';
import { type Reply, type Req, json, notFound, parseJsonBody } from './http.js';
import type { OrgSeed } from './org/seed.js';
import type { OrgState } from './org/state.js';

/** Answers a control request; `reset` replaces the org (the emulator's reset()). */
export function control(ctx: EmulatorContext, req: Req, reset: (seed?: OrgSeed) => void): Reply {
  const { faults } = ctx;
  const { method, path } = req;
  if (path === '/__emulator/state' && method === 'GET') return json(200, dumpState(ctx.state, faults));
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
  if (path === '/__emulator/connected-apps' || path.startsWith('/__emulator/connected-apps/'))
    return connectedAppsControl(ctx, req);
  if (path === '/__emulator/expire-session' && method === 'POST') {
    faults.expireSession();
    return json(200, { expired: true });
  }
  if (path === '/__emulator/reset' && method === 'POST') {
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
  return notFound();
}

/** JSON dump of the org for `GET /__emulator/state`. */
function dumpState(state: OrgState, faults: FaultInjector): Record<string, unknown> {
  const metadata: Record<string, Record<string, unknown>> = {};
  for (const [type, byName] of state.store.byType) {
    metadata[type] = Object.fromEntries(
      [...byName.values()].map((c) => [
        c.fullName,
        { id: c.id, record: c.record, createdDate: c.createdDate, lastModifiedDate: c.lastModifiedDate },
      ]),
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
