/** Routing of the REST API under `/services/data/vXX.X`: one table of method, path pattern and handler. */
import type { EmulatorContext } from '../context.js';
import type { Reply, Req } from '../http.js';
import type { UserRow } from '../org/directory.js';
import { credentials, usage } from './credentials.js';
import { restDeploy, restDeployCancel, restDeployStatus } from './deployRequest.js';
import { limits, resourceMap } from './info.js';
import { createSObject, deleteSObject, describeGlobal, describeSObject, query, readSObject } from './sobjects.js';

type RestHandler = (
  ctx: EmulatorContext,
  req: Req,
  m: RegExpExecArray,
  version: string,
  user: UserRow,
) => Reply | Promise<Reply>;

const on = (method: string, path: RegExp, handler: RestHandler): [string, RegExp, RestHandler] => [
  method,
  path,
  handler,
];

/** Resources under `/services/data/vXX.X`, matched on the rest of the path (no trailing slash). */
const REST_ROUTES: ReadonlyArray<[method: string, path: RegExp, handler: RestHandler]> = [
  on('GET', /^$/, (ctx, req, m, version, user) => resourceMap(ctx, version, user)),
  on('GET', /^\/limits$/, (ctx) => limits(ctx)),
  on('GET', /^\/(?:query|queryAll)$/, (ctx, req, m, version) => query(ctx, req, version)),
  on('GET', /^\/sobjects$/, (ctx, req, m, version) => describeGlobal(ctx, version)),
  on('POST', /^\/sobjects\/(\w+)$/, (ctx, req, m, version, user) => createSObject(ctx, req, m[1], user)),
  on('GET', /^\/sobjects\/(\w+)(?:\/describe)?$/, (ctx, req, m, version) => describeSObject(ctx, m[1], version)),
  on('GET', /^\/sobjects\/(\w+)\/(\w+)$/, (ctx, req, m, version) => readSObject(ctx, req, m[1], m[2], version)),
  on('DELETE', /^\/sobjects\/(\w+)\/(\w+)$/, (ctx, req, m, version, user) => deleteSObject(ctx, m[1], m[2], user)),
  on('POST', /^\/metadata\/deployRequest$/, (ctx, req, m, version, user) => restDeploy(ctx, req, version, user)),
  on('GET', /^\/metadata\/deployRequest\/(\w+)$/, (ctx, req, m, version) => restDeployStatus(ctx, req, m[1], version)),
  on('PATCH', /^\/metadata\/deployRequest\/(\w+)$/, (ctx, req, m, version, user) =>
    restDeployCancel(ctx, req, m[1], version, user),
  ),
  on('GET', /^\/apps\/oauth\/usage$/, (ctx, req, m, version, user) => usage(ctx, req, version, user)),
  on('*', /^\/apps\/oauth\/credentials\/(.+)$/, (ctx, req, m, version, user) =>
    credentials(ctx, req, m[1].split('/'), version, user),
  ),
];

/** Answers a REST resource, or undefined when no route matches. */
export function routeRest(
  ctx: EmulatorContext,
  req: Req,
  version: string,
  path: string,
  user: UserRow,
): Reply | Promise<Reply> | undefined {
  for (const [method, pattern, handler] of REST_ROUTES) {
    if (method !== '*' && method !== req.method) continue;
    const m = pattern.exec(path);
    if (m) return handler(ctx, req, m, version, user);
  }
  return undefined;
}
