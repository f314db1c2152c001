/**
 * The REST Metadata deploy, `metadata/deployRequest`: the same deploy engine as SOAP `deploy` (metadata/deploy.ts),
 * its result written by the one DeployResult builder in the REST wire shape.
 */
import type { EmulatorContext } from '../context.js';
import { type Reply, type Req, json, notFound, parseJsonBody, parseMultipart, restError } from '../http.js';
import { cancelDeploy, checkDeploy, startDeploy } from '../metadata/deploy.js';
import { REST_DEPLOY_RESULT, deployResult } from '../metadata/deployResult.js';
import type { DeployOptions, DeployRecord } from '../metadata/operations.js';
import type { UserRow } from '../org/directory.js';

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

function deployRequestJson(record: DeployRecord, version: string, includeDetails: boolean): Record<string, unknown> {
  return {
    id: record.id,
    validatedDeployRequestId: null,
    deployOptions: { ...DEFAULT_REST_OPTIONS, ...record.options },
    deployResult: deployResult(record.result, includeDetails, REST_DEPLOY_RESULT),
    url: `/services/data/v${version}/metadata/deployRequest/${record.id}`,
  };
}

/** `POST …/metadata/deployRequest` (multipart: a JSON part `json` or `entity_content`, a zip part `file`). */
export async function restDeploy(ctx: EmulatorContext, req: Req, version: string, user: UserRow): Promise<Reply> {
  const parts = parseMultipart(req);
  if (!parts) return restError(400, 'INVALID_MULTIPART_REQUEST', 'The request must be multipart/form-data');
  const jsonPart = parts.find((p) => p.name === 'json' || p.name === 'entity_content');
  const filePart = parts.find((p) => p.name === 'file');
  if (!filePart)
    return restError(400, 'INVALID_MULTIPART_REQUEST', 'Missing the file part (a zip of the metadata to deploy)');
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
    return restError(
      403,
      'INSUFFICIENT_ACCESS',
      'use of the Metadata API requires a user with the ModifyAllData or ModifyMetadata permissions',
    );
  }
  const record = await startDeploy(ctx.state, ctx.faults, {
    zip: filePart.data,
    options,
    apiVersion: version,
    userId: user.Id,
    api: 'rest',
  });
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
    return restError(
      400,
      'INVALID_INPUT',
      'Only {"deployResult":{"status":"Canceling"}} can be sent to a deploy request',
    );
  }
  const wasDone = ctx.state.deploys.get(id)?.result.done;
  const record = cancelDeploy(ctx.state, id, user.Id);
  if (!record) return notFound();
  if (wasDone) return restError(400, 'INVALID_STATUS', 'The deployment has already finished and cannot be canceled');
  const response = deployRequestJson(record, version, false);
  (response.deployResult as Record<string, unknown>).status = 'Canceling';
  return json(202, response);
}
