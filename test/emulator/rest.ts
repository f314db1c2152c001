/**
 * REST API under `/services/data`: the versions list, the resource map of a version, limits, SOQL query/queryAll,
 * sObject describe/read (and SetupEntityAccess create/delete), and the REST Metadata deploy (`metadata/deployRequest`).
 */
import { type EmulatorContext, identityUrl } from './context.js';
import { type Reply, type Req, json, notFound, parseJsonBody, parseMultipart, restError } from './http.js';
import { credentials, usage } from './credentials.js';
import { KeyPrefix, isSalesforceId, sameId, to18 } from './ids.js';
import { cancelDeploy, checkDeploy, startDeploy } from './metadata/deploy.js';
import { buildCatalog, findRecord, renderRecord } from './sobjects/catalog.js';
import { SoqlError } from './soql/errors.js';
import { executeSoql, soqlColumns } from './soql/query.js';
import type { DeployOptions, DeployRecord, DeployResultData } from './metadata/operations.js';
import { type UserRow, setupEntityTypeOf } from './org/directory.js';
import { nowIso } from './time.js';

export const MIN_API_VERSION = 31;

/** `31.0` … maxApiVersion. */
export function apiVersions(maxApiVersion: string): string[] {
  const max = Math.floor(Number(maxApiVersion));
  const out: string[] = [];
  for (let v = MIN_API_VERSION; v <= max; v++) out.push(`${v}.0`);
  return out;
}

export function isServedVersion(ctx: EmulatorContext, version: string): boolean {
  return apiVersions(ctx.state.maxApiVersion).includes(version);
}

/** Release name of an API version: three a year, v60 = Spring '24, v61 = Summer '24, v62 = Winter '25… */
function releaseLabel(version: number): string {
  const index = version - 60;
  const season = ['Spring', 'Summer', 'Winter'][((index % 3) + 3) % 3];
  const year = 24 + Math.floor((index + (season === 'Winter' ? 1 : 0)) / 3);
  return `${season} '${String(year).padStart(2, '0')}`;
}

/** `GET /services/data`. */
export function versionsList(ctx: EmulatorContext): Reply {
  return json(
    200,
    apiVersions(ctx.state.maxApiVersion).map((version) => ({
      label: releaseLabel(Number(version)),
      url: `/services/data/v${version}`,
      version,
    }))
  );
}

/** `GET /services/data/vXX.X`. */
export function resourceMap(ctx: EmulatorContext, version: string, user: UserRow): Reply {
  const base = `/services/data/v${version}`;
  const names = ['tooling', 'metadata', 'eclair', 'folders', 'jsonxform', 'chatter', 'tabs', 'appMenu', 'quickActions', 'queryAll', 'commerce', 'wave', 'iot', 'analytics', 'search', 'composite', 'parameterizedSearch', 'fingerprint', 'theme', 'nouns', 'event', 'recent', 'connect', 'licensing', 'limits', 'process', 'async-queries', 'query', 'jobs', 'match', 'localizedvalue', 'mobile', 'emailConnect', 'sobjects', 'actions', 'support', 'apps'];
  const map: Record<string, string> = Object.fromEntries(names.map((n) => [n, `${base}/${n}`]));
  map.identity = identityUrl(ctx, user);
  return json(200, map);
}

/** `GET …/limits`: the limits sf and the plugin look at, with generous remaining values. */
export function limits(ctx: EmulatorContext): Reply {
  const requests = ctx.state.deploys.size + 1;
  const limit = (max: number, used = 0): { Max: number; Remaining: number } => ({ Max: max, Remaining: max - used });
  return json(200, {
    ActiveScratchOrgs: limit(3),
    DailyApiRequests: limit(15_000, requests),
    DailyAsyncApexExecutions: limit(250_000),
    DailyBulkApiBatches: limit(15_000),
    DailyBulkV2QueryJobs: limit(10_000),
    DailyScratchOrgs: limit(6),
    DataStorageMB: limit(5),
    FileStorageMB: limit(20),
    SingleEmail: limit(15),
  });
}

/** `GET …/query?q=` and `…/queryAll?q=`. */
export function query(ctx: EmulatorContext, req: Req, version: string): Reply {
  const q = req.query.get('q');
  if (!q) return restError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
  try {
    const catalog = buildCatalog(ctx.state);
    if (req.query.get('columns') === 'true') return json(200, soqlColumns(q, catalog));
    return json(200, executeSoql(q, catalog, { apiVersion: version }));
  } catch (err) {
    if (err instanceof SoqlError) return restError(400, err.errorCode, err.message);
    throw err;
  }
}

/** `GET …/sobjects`: describeGlobal. */
export function describeGlobal(ctx: EmulatorContext, version: string): Reply {
  const names = ['Organization', 'User', 'Profile', 'PermissionSet', 'PermissionSetAssignment', 'SetupEntityAccess', 'ExternalClientApplication', 'ExtlClntAppOauthPlcyCnfg', 'ExtlClntAppOauthSettings', 'ConnectedApplication', 'OauthToken'];
  const catalog = buildCatalog(ctx.state);
  return json(200, {
    encoding: 'UTF-8',
    maxBatchSize: 200,
    sobjects: names.map((name) => {
      const o = catalog.object(name);
      return {
        name,
        label: name,
        keyPrefix: o?.keyPrefix ?? null,
        queryable: true,
        retrieveable: true,
        createable: name === 'SetupEntityAccess',
        deletable: name === 'SetupEntityAccess',
        updateable: false,
        custom: false,
        urls: { sobject: `/services/data/v${version}/sobjects/${name}`, describe: `/services/data/v${version}/sobjects/${name}/describe`, rowTemplate: `/services/data/v${version}/sobjects/${name}/{ID}` },
      };
    }),
  });
}

/** `GET …/sobjects/{Type}/describe` (fields only). */
export function describeSObject(ctx: EmulatorContext, type: string, version: string): Reply {
  const o = buildCatalog(ctx.state).object(type);
  if (!o) return notFound();
  return json(200, {
    name: o.name,
    label: o.name,
    keyPrefix: o.keyPrefix,
    queryable: true,
    createable: o.name === 'SetupEntityAccess',
    deletable: o.name === 'SetupEntityAccess',
    updateable: false,
    fields: o.fields.map((f) => ({
      name: f.name,
      type: f.type,
      label: f.name,
      nillable: f.name !== 'Id',
      referenceTo: f.referenceTo ? [f.referenceTo] : [],
      relationshipName: f.relationshipName ?? null,
      filterable: true,
      sortable: true,
    })),
    urls: { sobject: `/services/data/v${version}/sobjects/${o.name}` },
  });
}

/** `GET …/sobjects/{Type}/{Id}[?fields=a,b]`. */
export function readSObject(ctx: EmulatorContext, req: Req, type: string, id: string, version: string): Reply {
  const catalog = buildCatalog(ctx.state);
  if (!catalog.object(type)) return notFound();
  if (!isSalesforceId(id)) return notFound();
  const hit = findRecord(catalog, type, id);
  if (!hit) return notFound();
  const fields = req.query.get('fields')?.split(',');
  const unknown = fields?.find((f) => !hit.object.fields.some((x) => x.name.toLowerCase() === f.trim().toLowerCase()));
  if (unknown) {
    return restError(400, 'INVALID_FIELD', `No such column '${unknown.trim()}' on entity '${hit.object.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`);
  }
  return json(200, renderRecord(hit.object, hit.row, version, fields));
}

/** `POST …/sobjects/{Type}`: only SetupEntityAccess is writable among the emulated objects. */
export function createSObject(ctx: EmulatorContext, req: Req, type: string, user: UserRow): Reply {
  const catalog = buildCatalog(ctx.state);
  const object = catalog.object(type);
  if (!object) return notFound();
  if (object.name !== 'SetupEntityAccess') {
    return restError(400, 'INVALID_TYPE_FOR_OPERATION', `entity type ${object.name} does not support insert`);
  }
  const body = parseJsonBody(req) as Record<string, unknown> | undefined;
  if (!body || typeof body !== 'object') return restError(400, 'JSON_PARSER_ERROR', 'The request body is not valid JSON');
  const unknown = Object.keys(body).find((k) => k !== 'attributes' && k !== 'ParentId' && k !== 'SetupEntityId');
  if (unknown) {
    return restError(400, 'INVALID_FIELD_FOR_INSERT_UPDATE', `Unable to create/update fields: ${unknown}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`, { fields: [unknown] });
  }
  const perms = ctx.state.directory.userPermissions(user.Id);
  if (!perms.PermissionsViewSetup || !(perms.PermissionsManageRemoteAccess || perms.PermissionsCustomizeApplication)) {
    return restError(400, 'INSUFFICIENT_ACCESS_OR_READONLY', 'insufficient access rights on object id', { fields: [] });
  }
  const parentId = typeof body.ParentId === 'string' ? body.ParentId : '';
  const entityId = typeof body.SetupEntityId === 'string' ? body.SetupEntityId : '';
  for (const [field, value] of [['ParentId', parentId], ['SetupEntityId', entityId]] as const) {
    if (!value) return restError(400, 'REQUIRED_FIELD_MISSING', `Required fields are missing: [${field}]`, { fields: [field] });
  }
  const parent = ctx.state.directory.permissionSets.find((ps) => sameId(ps.Id, parentId));
  if (!parent) return restError(400, 'INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', { fields: ['ParentId'] });
  const entityType = setupEntityTypeOf(entityId);
  const entityObject = entityType === 'Unknown' ? undefined : catalog.object(entityType);
  const entityExists = entityObject?.rows().some((r) => sameId(String(r.Id), entityId)) === true;
  if (!entityExists) return restError(400, 'INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', { fields: ['SetupEntityId'] });
  const duplicate = ctx.state.directory.setupEntityAccess.find((s) => sameId(s.ParentId, parentId) && sameId(s.SetupEntityId, entityId));
  if (duplicate) {
    return restError(400, 'DUPLICATE_VALUE', `duplicate value found: <unknown> duplicates value on record with id: ${duplicate.Id}`, { fields: [] });
  }
  const id = ctx.state.ids.next(KeyPrefix.SetupEntityAccess);
  ctx.state.directory.grantAccess({ Id: id, ParentId: to18(parentId), SetupEntityId: to18(entityId), SetupEntityType: entityType, CreatedDate: nowIso() });
  return json(201, { id, success: true, errors: [] });
}

/** `DELETE …/sobjects/{Type}/{Id}`. */
export function deleteSObject(ctx: EmulatorContext, type: string, id: string): Reply {
  const object = buildCatalog(ctx.state).object(type);
  if (!object) return notFound();
  if (object.name !== 'SetupEntityAccess') {
    return restError(400, 'INVALID_TYPE_FOR_OPERATION', `entity type ${object.name} does not support delete`);
  }
  if (ctx.state.directory.revokeAccess((s) => sameId(s.Id, id)) === 0) return restError(404, 'ENTITY_IS_DELETED', 'entity is deleted');
  return { status: 204 };
}

// ------------------------------------------------------------------------------------------------ REST deploy

const DEFAULT_REST_OPTIONS: DeployOptions = {
  allowMissingFiles: false,
  autoUpdatePackage: false,
  checkOnly: false,
  ignoreWarnings: false,
  performRetrieve: false,
  purgeOnDelete: false,
  rollbackOnError: true,
  runTests: [],
  singlePackage: false,
  testLevel: 'NoTestRun',
};

function deployResultJson(r: DeployResultData, includeDetails: boolean): Record<string, unknown> {
  return {
    canceledBy: r.canceledBy ?? null,
    canceledByName: r.canceledByName ?? null,
    checkOnly: r.checkOnly,
    completedDate: r.completedDate ?? null,
    createdBy: r.createdBy,
    createdByName: r.createdByName,
    createdDate: r.createdDate,
    details: includeDetails
      ? {
          componentFailures: r.componentFailures,
          componentSuccesses: r.componentSuccesses,
          runTestResult: { numFailures: 0, numTestsRun: 0, totalTime: 0, codeCoverage: [], codeCoverageWarnings: [], failures: [], flowCoverage: [], flowCoverageWarnings: [], successes: [] },
        }
      : null,
    done: r.done,
    errorMessage: r.errorMessage ?? null,
    errorStatusCode: r.errorStatusCode ?? null,
    id: r.id,
    ignoreWarnings: r.ignoreWarnings,
    lastModifiedDate: r.lastModifiedDate,
    numberComponentErrors: r.numberComponentErrors,
    numberComponentsDeployed: r.numberComponentsDeployed,
    numberComponentsTotal: r.numberComponentsTotal,
    numberTestErrors: 0,
    numberTestsCompleted: 0,
    numberTestsTotal: 0,
    rollbackOnError: r.rollbackOnError,
    runTestsEnabled: false,
    startDate: r.startDate,
    stateDetail: r.stateDetail ?? null,
    status: r.status,
    success: r.success,
  };
}

function deployRequestJson(record: DeployRecord, version: string, includeDetails: boolean): Record<string, unknown> {
  return {
    id: record.id,
    validatedDeployRequestId: null,
    deployOptions: { ...DEFAULT_REST_OPTIONS, ...record.options },
    deployResult: deployResultJson(record.result, includeDetails),
    url: `/services/data/v${version}/metadata/deployRequest/${record.id}`,
  };
}

/** `POST …/metadata/deployRequest` (multipart: a JSON part `json` or `entity_content`, a zip part `file`). */
export async function restDeploy(ctx: EmulatorContext, req: Req, version: string, user: UserRow): Promise<Reply> {
  const parts = parseMultipart(req);
  if (!parts) return restError(400, 'INVALID_MULTIPART_REQUEST', 'The request must be multipart/form-data');
  const jsonPart = parts.find((p) => p.name === 'json' || p.name === 'entity_content');
  const filePart = parts.find((p) => p.name === 'file');
  if (!filePart) return restError(400, 'INVALID_MULTIPART_REQUEST', 'Missing the file part (a zip of the metadata to deploy)');
  let options: DeployOptions = {};
  if (jsonPart) {
    try {
      const parsed = JSON.parse(jsonPart.data.toString('utf8')) as { deployOptions?: DeployOptions };
      options = parsed.deployOptions ?? {};
    } catch {
      return restError(400, 'JSON_PARSER_ERROR', 'The JSON part of the request is not valid JSON');
    }
  }
  const perms = ctx.state.directory.userPermissions(user.Id);
  if (!perms.PermissionsModifyAllData && !perms.PermissionsModifyMetadata) {
    return restError(403, 'INSUFFICIENT_ACCESS', 'use of the Metadata API requires a user with the ModifyAllData or ModifyMetadata permissions');
  }
  const record = await startDeploy(ctx.state, ctx.faults, { zip: filePart.data, options, apiVersion: version, userId: user.Id, api: 'rest' });
  return json(201, deployRequestJson(record, version, false));
}

/** `GET …/metadata/deployRequest/{id}[?includeDetails=true]`. */
export function restDeployStatus(ctx: EmulatorContext, req: Req, id: string, version: string): Reply {
  const record = checkDeploy(ctx.state, id);
  if (!record) return notFound();
  return json(200, deployRequestJson(record, version, req.query.get('includeDetails') === 'true'));
}

/** `PATCH …/metadata/deployRequest/{id}` with `{"deployResult":{"status":"Canceling"}}`. */
export function restDeployCancel(ctx: EmulatorContext, req: Req, id: string, version: string, user: UserRow): Reply {
  const body = parseJsonBody(req) as { deployResult?: { status?: string } } | undefined;
  if (body?.deployResult?.status !== 'Canceling') {
    return restError(400, 'INVALID_INPUT', 'Only {"deployResult":{"status":"Canceling"}} can be sent to a deploy request');
  }
  const wasDone = ctx.state.deploys.get(id)?.result.done;
  const record = cancelDeploy(ctx.state, id, user.Id);
  if (!record) return notFound();
  if (wasDone) return restError(400, 'INVALID_STATUS', 'The deployment has already finished and cannot be canceled');
  const response = deployRequestJson(record, version, false);
  (response.deployResult as Record<string, unknown>).status = 'Canceling';
  return json(202, response);
}

// ------------------------------------------------------------------------------------------------ routing

type RestHandler = (ctx: EmulatorContext, req: Req, m: RegExpExecArray, version: string, user: UserRow) => Reply | Promise<Reply>;

const on = (method: string, path: RegExp, handler: RestHandler): [string, RegExp, RestHandler] => [method, path, handler];

/** Resources under `/services/data/vXX.X`, matched on the rest of the path (no trailing slash). */
const REST_ROUTES: ReadonlyArray<[method: string, path: RegExp, handler: RestHandler]> = [
  on('GET', /^$/, (ctx, req, m, version, user) => resourceMap(ctx, version, user)),
  on('GET', /^\/limits$/, (ctx) => limits(ctx)),
  on('GET', /^\/(?:query|queryAll)$/, (ctx, req, m, version) => query(ctx, req, version)),
  on('GET', /^\/sobjects$/, (ctx, req, m, version) => describeGlobal(ctx, version)),
  on('POST', /^\/sobjects\/(\w+)$/, (ctx, req, m, version, user) => createSObject(ctx, req, m[1], user)),
  on('GET', /^\/sobjects\/(\w+)(?:\/describe)?$/, (ctx, req, m, version) => describeSObject(ctx, m[1], version)),
  on('GET', /^\/sobjects\/(\w+)\/(\w+)$/, (ctx, req, m, version) => readSObject(ctx, req, m[1], m[2], version)),
  on('DELETE', /^\/sobjects\/(\w+)\/(\w+)$/, (ctx, req, m) => deleteSObject(ctx, m[1], m[2])),
  on('POST', /^\/metadata\/deployRequest$/, (ctx, req, m, version, user) => restDeploy(ctx, req, version, user)),
  on('GET', /^\/metadata\/deployRequest\/(\w+)$/, (ctx, req, m, version) => restDeployStatus(ctx, req, m[1], version)),
  on('PATCH', /^\/metadata\/deployRequest\/(\w+)$/, (ctx, req, m, version, user) => restDeployCancel(ctx, req, m[1], version, user)),
  on('GET', /^\/apps\/oauth\/usage$/, (ctx, req, m, version, user) => usage(ctx, req, version, user)),
  on('*', /^\/apps\/oauth\/credentials\/(.+)$/, (ctx, req, m, version, user) => credentials(ctx, req, m[1].split('/'), version, user)),
];

/** Answers a REST resource, or undefined when no route matches. */
export function routeRest(ctx: EmulatorContext, req: Req, version: string, path: string, user: UserRow): Reply | Promise<Reply> | undefined {
  for (const [method, pattern, handler] of REST_ROUTES) {
    if (method !== '*' && method !== req.method) continue;
    const m = pattern.exec(path);
    if (m) return handler(ctx, req, m, version, user);
  }
  return undefined;
}
