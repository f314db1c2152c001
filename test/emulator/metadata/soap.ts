/**
 * Metadata API SOAP endpoint (`POST /services/Soap/m/{version}`): parses the envelope, dispatches on the Body's
 * first child and answers `<METHODResponse><result>…</result></METHODResponse>` in a prefixed soapenv envelope,
 * or a SOAP fault (HTTP 500), as jsforce expects (docs/salesforce.md §7.1).
 */
import type { FaultInjector } from '../faults.js';
import type { UserRow } from '../org/directory.js';
import type { OrgState } from '../org/state.js';
import { type XmlNode, type XmlObject, type XmlValue, children, child, childText, parseXml, toXml } from '../xml.js';
import {
  CallFault,
  type SaveResult,
  deleteMetadata,
  describeMetadata,
  listMetadata,
  readMetadata,
  saveMetadata,
} from './crud.js';
import { cancelDeploy, checkDeploy, startDeploy } from './deploy.js';
import { SOAP_DEPLOY_RESULT, deployResult } from './deployResult.js';
import type { DeployOptions, RetrieveRecord } from './operations.js';
import { checkRetrieve, parseRetrieveRequest, startRetrieve } from './retrieve.js';

const ENVELOPE_OPEN =
  '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="http://soap.sforce.com/2006/04/metadata" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>';
const ENVELOPE_CLOSE = '</soapenv:Body></soapenv:Envelope>';

export type SoapRequest = { method: string; sessionId?: string; payload: XmlNode };

export type SoapReply = { status: number; body: string };

/** Reads the envelope: the session id of the SessionHeader and the call (first child of the Body). */
export function parseSoapRequest(text: string): SoapRequest | undefined {
  let envelope: XmlNode;
  try {
    envelope = parseXml(text);
  } catch {
    return undefined;
  }
  if (envelope.name !== 'Envelope') return undefined;
  const payload = child(envelope, 'Body')?.children[0];
  if (!payload) return undefined;
  const sessionId = childText(child(child(envelope, 'Header'), 'SessionHeader'), 'sessionId');
  return { method: payload.name, sessionId, payload };
}

export function soapFault(faultCode: string, message: string): SoapReply {
  return {
    status: 500,
    body:
      '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:sf="http://soap.sforce.com/2006/04/metadata"><soapenv:Body><soapenv:Fault>' +
      toXml('faultcode', faultCode) +
      toXml('faultstring', message) +
      '</soapenv:Fault></soapenv:Body></soapenv:Envelope>',
  };
}

export function invalidSessionFault(): SoapReply {
  return soapFault(
    'sf:INVALID_SESSION_ID',
    'INVALID_SESSION_ID: Invalid Session ID found in SessionHeader: Illegal Session',
  );
}

function reply(method: string, result: XmlValue | undefined): SoapReply {
  const inner = result === undefined ? '' : toXml('result', result);
  return { status: 200, body: `${ENVELOPE_OPEN}<${method}Response>${inner}</${method}Response>${ENVELOPE_CLOSE}` };
}

export type MetadataSoapContext = {
  state: OrgState;
  faults: FaultInjector;
  apiVersion: string;
  user: UserRow;
};

const bool = (node: XmlNode | undefined, name: string): boolean | undefined => {
  const text = childText(node, name);
  return text === undefined ? undefined : text === 'true';
};

type Call = (p: XmlNode, ctx: MetadataSoapContext) => SoapReply | Promise<SoapReply>;

/** The Metadata API calls, by SOAP operation name. */
const CALLS: Readonly<Record<string, Call>> = {
  async deploy(p, { state, faults, apiVersion, user }) {
    const record = await startDeploy(state, faults, {
      zip: Buffer.from(childText(p, 'ZipFile') ?? '', 'base64'),
      options: parseDeployOptions(child(p, 'DeployOptions')),
      apiVersion,
      userId: user.Id,
      api: 'soap',
    });
    return reply('deploy', { done: false, id: record.id, state: 'Queued' });
  },
  checkDeployStatus(p, { state }) {
    const id = childText(p, 'asyncProcessId') ?? '';
    const record = checkDeploy(state, id);
    return record
      ? reply('checkDeployStatus', deployResult(record.result, bool(p, 'includeDetails') === true, SOAP_DEPLOY_RESULT))
      : invalidIdFault(id);
  },
  cancelDeploy(p, { state, user }) {
    const id = childText(p, 'id') ?? childText(p, 'String') ?? '';
    const record = cancelDeploy(state, id, user.Id);
    return record ? reply('cancelDeploy', { done: record.result.done, id: record.id }) : invalidIdFault(id);
  },
  async retrieve(p, { state, apiVersion }) {
    const record = await startRetrieve(
      state,
      parseRetrieveRequest(child(p, 'retrieveRequest') ?? child(p, 'request'), Number(apiVersion)),
    );
    return reply('retrieve', { done: false, id: record.id, state: 'Queued' });
  },
  checkRetrieveStatus(p, { state }) {
    const id = childText(p, 'asyncProcessId') ?? '';
    const record = checkRetrieve(state, id);
    return record
      ? reply('checkRetrieveStatus', retrieveResultXml(record, bool(p, 'includeZip') !== false))
      : invalidIdFault(id);
  },
  // Deprecated AsyncResult status call, still used by jsforce's generic locator.
  checkStatus(p, { state }) {
    const results = children(p, 'asyncProcessId').map((n) => asyncStatus(state, n.text));
    return reply('checkStatus', results.length === 1 ? results[0] : results);
  },
  listMetadata(p, { state, apiVersion }) {
    const queries = children(p, 'queries').map((q) => ({
      type: childText(q, 'type') ?? '',
      folder: childText(q, 'folder'),
    }));
    const asOf = Number(childText(p, 'asOfVersion') ?? apiVersion);
    const props = listMetadata(state, queries, Number.isNaN(asOf) ? Number(apiVersion) : asOf);
    return reply('listMetadata', props.length === 0 ? undefined : (props as unknown as XmlObject[]));
  },
  readMetadata(p, { state, apiVersion }) {
    const names = children(p, 'fullNames').map((n) => n.text);
    const records = readMetadata(state, childText(p, 'type') ?? '', names, Number(apiVersion)).map((r): XmlValue =>
      r === null
        ? { '@attrs': { 'xsi:nil': 'true' } }
        : { '@attrs': { 'xsi:type': r.type }, fullName: r.fullName, ...r.fields },
    );
    return reply('readMetadata', { records });
  },
  createMetadata: (p, ctx) => save('createMetadata', 'create', p, ctx),
  updateMetadata: (p, ctx) => save('updateMetadata', 'update', p, ctx),
  upsertMetadata: (p, ctx) => save('upsertMetadata', 'upsert', p, ctx),
  deleteMetadata(p, { state, apiVersion }) {
    const results = deleteMetadata(
      state,
      childText(p, 'type') ?? '',
      children(p, 'fullNames').map((n) => n.text),
      Number(apiVersion),
    );
    return reply('deleteMetadata', results.map(saveResultXml));
  },
  describeMetadata: (p, { state, apiVersion }) =>
    reply('describeMetadata', describeMetadata(state, Number(apiVersion)) as XmlObject),
};

function save(
  method: string,
  mode: 'create' | 'update' | 'upsert',
  p: XmlNode,
  { state, apiVersion, user }: MetadataSoapContext,
): SoapReply {
  return reply(
    method,
    saveMetadata(state, mode, children(p, 'metadata'), Number(apiVersion), user.Id).map(saveResultXml),
  );
}

/** Runs one Metadata API call. */
export async function handleMetadataCall(request: SoapRequest, ctx: MetadataSoapContext): Promise<SoapReply> {
  // Every Metadata API call needs one of these permissions.
  const perms = ctx.state.directory.userPermissions(ctx.user.Id);
  if (!perms.PermissionsModifyAllData && !perms.PermissionsModifyMetadata) {
    return soapFault(
      'sf:INSUFFICIENT_ACCESS',
      'INSUFFICIENT_ACCESS: use of the Metadata API requires a user with the ModifyAllData or ModifyMetadata permissions',
    );
  }
  const call = Object.prototype.hasOwnProperty.call(CALLS, request.method) ? CALLS[request.method] : undefined;
  if (!call) {
    return soapFault(
      'soapenv:Client',
      `No operation available for request {http://soap.sforce.com/2006/04/metadata}${request.method}, please check the WSDL for the service.`,
    );
  }
  try {
    return await call(request.payload, ctx);
  } catch (err) {
    if (err instanceof CallFault) return soapFault(err.faultCode, err.message);
    throw err;
  }
}

function invalidIdFault(id: string): SoapReply {
  return soapFault('sf:INVALID_ID_FIELD', `INVALID_ID_FIELD: Invalid or unknown async process id: ${id}`);
}

export function parseDeployOptions(node: XmlNode | undefined): DeployOptions {
  const options: DeployOptions = {};
  for (const el of node?.children ?? []) {
    if (el.name === 'runTests') options.runTests = [...(options.runTests ?? []), el.text];
    else if (el.name === 'testLevel') options.testLevel = el.text;
    else (options as Record<string, unknown>)[el.name] = el.text === 'true';
  }
  return options;
}

function asyncStatus(state: OrgState, id: string): XmlObject {
  const deploy = state.deploys.get(id);
  if (deploy) return { done: deploy.result.done, id, state: deploy.result.done ? 'Completed' : 'InProgress' };
  const retrieve = state.retrieves.get(id);
  if (retrieve)
    return {
      done: retrieve.status === 'Succeeded',
      id,
      state: retrieve.status === 'Succeeded' ? 'Completed' : 'InProgress',
    };
  return { done: true, id, state: 'Error', statusCode: 'INVALID_ID_FIELD', message: `Invalid async process id: ${id}` };
}

function saveResultXml(r: SaveResult): XmlObject {
  return {
    ...(r.created !== undefined ? { created: r.created } : {}),
    errors: r.errors.map((e) => ({ fields: e.fields, message: e.message, statusCode: e.statusCode })),
    fullName: r.fullName,
    success: r.success,
  };
}

function retrieveResultXml(r: RetrieveRecord, includeZip: boolean): XmlObject {
  const done = r.status === 'Succeeded' || r.status === 'Failed';
  return {
    done,
    errorMessage: r.errorMessage,
    errorStatusCode: r.errorStatusCode,
    fileProperties: done ? (r.fileProperties as unknown as XmlObject[]) : undefined,
    id: r.id,
    messages: done ? r.messages : undefined,
    status: r.status,
    success: r.status === 'Succeeded',
    zipFile: done && includeZip ? r.zipFile : undefined,
  };
}
