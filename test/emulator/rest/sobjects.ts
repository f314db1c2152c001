/** SOQL and sObject resources: query/queryAll, describeGlobal, describe, read by id, and SetupEntityAccess create/delete. */
import type { EmulatorContext } from '../context.js';
import { type Reply, type Req, json, notFound, parseJsonBody, restError } from '../http.js';
import { KeyPrefix, isSalesforceId, sameId, to18 } from '../ids.js';
import { canPreauthorizeConnectedApps } from '../org/connectedApps.js';
import { type UserRow, setupEntityTypeOf } from '../org/directory.js';
import { buildCatalog, findRecord, renderRecord } from '../sobjects/catalog.js';
import { SoqlError } from '../soql/errors.js';
import { executeSoql, soqlColumns } from '../soql/query.js';

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
  const names = [
    'Organization',
    'User',
    'Profile',
    'PermissionSet',
    'PermissionSetAssignment',
    'SetupEntityAccess',
    'ExternalClientApplication',
    'ExtlClntAppOauthPlcyCnfg',
    'ExtlClntAppOauthSettings',
    'ConnectedApplication',
    'OauthToken',
  ];
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
        urls: {
          sobject: `/services/data/v${version}/sobjects/${name}`,
          describe: `/services/data/v${version}/sobjects/${name}/describe`,
          rowTemplate: `/services/data/v${version}/sobjects/${name}/{ID}`,
        },
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
    return restError(
      400,
      'INVALID_FIELD',
      `No such column '${unknown.trim()}' on entity '${hit.object.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
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
  if (!body || typeof body !== 'object')
    return restError(400, 'JSON_PARSER_ERROR', 'The request body is not valid JSON');
  const unknown = Object.keys(body).find((k) => k !== 'attributes' && k !== 'ParentId' && k !== 'SetupEntityId');
  if (unknown) {
    return restError(
      400,
      'INVALID_FIELD_FOR_INSERT_UPDATE',
      `Unable to create/update fields: ${unknown}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
      { fields: [unknown] },
    );
  }
  const perms = ctx.state.directory.userPermissions(user.Id);
  if (!perms.PermissionsViewSetup || !(perms.PermissionsManageRemoteAccess || perms.PermissionsCustomizeApplication))
    return insufficientAccess();
  const parentId = typeof body.ParentId === 'string' ? body.ParentId : '';
  const entityId = typeof body.SetupEntityId === 'string' ? body.SetupEntityId : '';
  for (const [field, value] of [
    ['ParentId', parentId],
    ['SetupEntityId', entityId],
  ] as const) {
    if (!value)
      return restError(400, 'REQUIRED_FIELD_MISSING', `Required fields are missing: [${field}]`, { fields: [field] });
  }
  const parent = ctx.state.directory.permissionSets.find((ps) => sameId(ps.Id, parentId));
  if (!parent)
    return restError(400, 'INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', { fields: ['ParentId'] });
  const entityType = setupEntityTypeOf(entityId);
  if (entityType === 'ConnectedApplication' && !canPreauthorizeConnectedApps(perms)) return insufficientAccess();
  const entityObject = entityType === 'Unknown' ? undefined : catalog.object(entityType);
  const entityExists = entityObject?.rows().some((r) => sameId(String(r.Id), entityId)) === true;
  if (!entityExists)
    return restError(400, 'INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', { fields: ['SetupEntityId'] });
  const duplicate = ctx.state.directory.setupEntityAccess.find(
    (s) => sameId(s.ParentId, parentId) && sameId(s.SetupEntityId, entityId),
  );
  if (duplicate) {
    return restError(
      400,
      'DUPLICATE_VALUE',
      `duplicate value found: <unknown> duplicates value on record with id: ${duplicate.Id}`,
      { fields: [] },
    );
  }
  const id = ctx.state.ids.next(KeyPrefix.SetupEntityAccess);
  ctx.state.directory.grantAccess({
    Id: id,
    ParentId: to18(parentId),
    SetupEntityId: to18(entityId),
    SetupEntityType: entityType,
    CreatedDate: ctx.state.clock.nowIso(),
  });
  return json(201, { id, success: true, errors: [] });
}

/** `DELETE …/sobjects/{Type}/{Id}`. */
export function deleteSObject(ctx: EmulatorContext, type: string, id: string, user: UserRow): Reply {
  const object = buildCatalog(ctx.state).object(type);
  if (!object) return notFound();
  if (object.name !== 'SetupEntityAccess') {
    return restError(400, 'INVALID_TYPE_FOR_OPERATION', `entity type ${object.name} does not support delete`);
  }
  // A connected app's profiles and permission sets are changed with the same permissions as they are granted.
  const row = ctx.state.directory.setupEntityAccess.find((s) => sameId(s.Id, id));
  if (
    row?.SetupEntityType === 'ConnectedApplication' &&
    !canPreauthorizeConnectedApps(ctx.state.directory.userPermissions(user.Id))
  ) {
    return insufficientAccess();
  }
  if (ctx.state.directory.revokeAccess((s) => sameId(s.Id, id)) === 0)
    return restError(404, 'ENTITY_IS_DELETED', 'entity is deleted');
  return { status: 204 };
}

function insufficientAccess(): Reply {
  return restError(400, 'INSUFFICIENT_ACCESS_OR_READONLY', 'insufficient access rights on object id', { fields: [] });
}
