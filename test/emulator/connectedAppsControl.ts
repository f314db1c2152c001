/*
 * Control endpoints for vendor-owned connected apps (org/connectedApps.ts), standing in for what people do outside
 * any API: a user's OAuth login to the vendor, the admin's Install click on Connected Apps OAuth Usage, the admin's
 * Edit Policies page, Uninstall. No authentication, like every `/__emulator/` endpoint.
 *
 * - `GET  /__emulator/connected-apps`: each vendor app with its stage, policies (hidden ones included) and denied attempts
 * - `POST /__emulator/connected-apps/install` `{ name, username? }` (default: the session user)
 * - `POST /__emulator/connected-apps/uninstall` `{ name }`
 * - `POST /__emulator/connected-apps/policies` `{ name, permittedUsers?, refreshTokenPolicy?, ipRelaxation?, ipRanges? }`
 * - `POST /__emulator/connected-apps/block` `{ name, blocked? }` (default true; false = Unblock): an installed app
 * - `POST /__emulator/connected-apps/authorize` `{ name, username }`: 200 `{ granted: true, … }`, or 400 with the OAuth
 *   error the authorize redirect would carry (`{ error, error_description }`)
 */
import type { EmulatorContext } from './context.js';
import { type Reply, type Req, json, notFound, parseJsonBody } from './http.js';
import { type ConnectedAppPolicies, ConnectedAppRefusal } from './org/connectedApps.js';

type Body = { name?: unknown; username?: unknown; blocked?: unknown } & Partial<
  Record<keyof ConnectedAppPolicies, unknown>
>;

export function connectedAppsControl(ctx: EmulatorContext, req: Req): Reply {
  const apps = ctx.state.connectedApps;
  const action = req.path.replace(/^\/__emulator\/connected-apps\/?/, '');
  if (action === '' && req.method === 'GET') return json(200, apps.dump());
  if (req.method !== 'POST') return notFound();
  const body = (parseJsonBody(req) ?? {}) as Body;
  if (typeof body.name !== 'string' || body.name === '') return json(400, { error: 'The body needs the app "name"' });
  const name = body.name;
  try {
    switch (action) {
      case 'install': {
        const username = typeof body.username === 'string' ? body.username : undefined;
        const user = username ? ctx.state.directory.users.find((u) => u.Username === username) : ctx.state.sessionUser;
        if (!user) return json(400, { error: `No user ${String(username)}` });
        const { installed, row } = apps.install(name, user.Id);
        return json(200, { installed, id: row.Id, name: row.Name });
      }
      case 'uninstall':
        return json(200, { uninstalled: apps.uninstall(name) });
      case 'policies': {
        const changes: Record<string, unknown> = { ...body };
        delete changes.name;
        delete changes.username;
        delete changes.blocked;
        return json(200, { policies: apps.setPolicies(name, changes as Partial<ConnectedAppPolicies>) });
      }
      case 'block':
        return json(200, { blocked: apps.block(name, body.blocked !== false) });
      case 'authorize': {
        const outcome = apps.authorize(name, typeof body.username === 'string' ? body.username : '');
        return json(outcome.granted ? 200 : 400, outcome);
      }
      default:
        return notFound();
    }
  } catch (error) {
    if (error instanceof ConnectedAppRefusal) return json(error.status, { error: error.code, message: error.message });
    throw error;
  }
}
