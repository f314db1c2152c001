/*
 * A stand-in org for the rotation tests: one External Client App with one OAuth consumer and its staged credentials
 * (Connect REST, docs/salesforce.md §2 step 4), answered from a small model and every request recorded; the secret
 * setting is settingOrg's; SOQL answers the app's id and the user's permissions. It answers the open questions either
 * way (GET while nothing is staged: empty or 404; POST: the collection or one object), like the emulator's readings.
 */
import type { Connection } from '@salesforce/core';
import { settingOrg, type SettingOrg, type WriteRule } from './settingOrg.js';

export const APP_ID = '0xI000000000001AAA';
export const CONSUMER_ID = '0Cx000000000001AAA';
export const STAGED_URL = `/services/data/v66.0/apps/oauth/credentials/${APP_ID}/${CONSUMER_ID}/staged`;
export const KEY = '3MVG9unitConsumerKey0';
export const SECRET = 'UNITSECRET0';
export const ORG = { orgId: '00D000000000001AAA', username: 'admin@acme.example', target: 'acme' };
export const INSTANCE = 'https://acme.my.salesforce.com';
const DAY = 86_400_000;

export type FakeStaged = {
  id: string;
  state: 'Active' | 'Rotated' | 'Expired';
  key: string;
  secret: string;
  createdDate: string;
  expirationDate: string;
  createdBy: string;
};

export type Sent = { method: string; url: string; body?: string; headers?: Record<string, string> };

export type StagedOrgOptions = {
  apiVersion?: string;
  /** GET …/staged while nothing is staged: the empty collection (default) or 404. */
  getWhenNone?: 'empty' | '404';
  /** What POST …/staged answers: the collection (default) or the one new record. */
  postAnswer?: 'collection' | 'object';
  /** Records the consumer starts with (key and secret made up when left out). */
  staged?: Array<Partial<FakeStaged> & Pick<FakeStaged, 'id' | 'state'>>;
  /** The secret setting (default on, so no window opens), and how the org takes writes of it. */
  secretSetting?: boolean;
  settingRule?: WriteRule;
  /** Permission fields the user has (default all); an Error: the org refuses the query with it. */
  permissions?: string[] | ((fields: string[]) => string[] | Error);
  /** The sf login's client id. */
  clientId?: string;
  /** The consumer's staged URL as the org names it; null: the consumer names none. */
  stagedUrl?: string | null;
  /** Answers a request before the model does; undefined lets the model answer. An Error is thrown. */
  intercept?: (sent: Sent, org: StagedOrg) => unknown;
};

export type StagedOrg = {
  conn: Connection;
  requests: Sent[];
  consumer: { key: string; secret: string; staged: FakeStaged[] };
  setting: SettingOrg;
  /** `METHOD path` of every REST request, in order (SOQL and metadata calls are not in it). */
  calls: () => string[];
};

export const orgError = (errorCode: string, message: string): Error =>
  Object.assign(new Error(message), { errorCode, name: errorCode });

const notFound = (): Error => orgError('NOT_FOUND', 'The requested resource does not exist');

const ALL_PERMISSIONS = [
  'PermissionsViewClientSecret',
  'PermissionsExternalClientAppDeveloper',
  'PermissionsClientSecretRotation',
];

export function stagedOrg(options: StagedOrgOptions = {}): StagedOrg {
  const version = options.apiVersion ?? '66.0';
  const base = `/services/data/v${version}/apps/oauth/credentials/${APP_ID}`;
  const stagedPath = `${base}/${CONSUMER_ID}/staged`;
  let n = 0;
  const nextId = (): string => `0Sc00000000000${String(++n).padStart(2, '0')}`;
  const now = Date.now();
  const consumer: StagedOrg['consumer'] = {
    key: KEY,
    secret: SECRET,
    staged: (options.staged ?? []).map((s) => ({
      key: `${s.id}-key`,
      secret: `${s.id}-secret`,
      createdDate: new Date(now - DAY).toISOString(),
      expirationDate: new Date(now + 29 * DAY).toISOString(),
      createdBy: '005000000000001AAA',
      ...s,
    })),
  };
  const setting = settingOrg(options.secretSetting ?? true, options.settingRule);
  const requests: Sent[] = [];
  const collection = (): unknown => ({ stagedCredentials: consumer.staged.map((s) => ({ ...s })), url: stagedPath });

  /** POST …/staged: one record per consumer. */
  const stage = (): unknown => {
    if (consumer.staged.length > 0) throw orgError('INVALID_OPERATION', 'This consumer already has staged credentials');
    const id = nextId();
    const record: FakeStaged = {
      id,
      state: 'Active',
      key: `${id}-key`,
      secret: `${id}-secret`,
      createdDate: new Date().toISOString(),
      expirationDate: new Date(Date.now() + 30 * DAY).toISOString(),
      createdBy: '005000000000001AAA',
    };
    consumer.staged.push(record);
    return options.postAnswer === 'object' ? { ...record } : collection();
  };

  /** GET, PATCH (rotate) or DELETE of one record. */
  const onRecord = (sent: Sent, id: string): unknown => {
    const record = consumer.staged.find((s) => s.id === id);
    if (!record) throw notFound();
    if (sent.method === 'DELETE') {
      consumer.staged.splice(consumer.staged.indexOf(record), 1);
      return undefined;
    }
    if (sent.method !== 'PATCH') return { ...record };
    if ((JSON.parse(sent.body ?? '{}') as { command?: unknown }).command !== 'rotate')
      throw orgError('INVALID_INPUT', 'bad input');
    if (record.state !== 'Active') throw orgError('INVALID_OPERATION', `These staged credentials are ${record.state}.`);
    const previous = { key: consumer.key, secret: consumer.secret };
    Object.assign(consumer, { key: record.key, secret: record.secret });
    Object.assign(record, previous, { state: 'Rotated' });
    return { ...record };
  };

  const model = (sent: Sent): unknown => {
    const path = sent.url.split('?')[0];
    if (sent.method === 'GET' && path === base) {
      const staged = options.stagedUrl === null ? {} : { stagedCredentialsUrl: options.stagedUrl ?? stagedPath };
      return { consumers: [{ id: CONSUMER_ID, key: consumer.key, name: 'ren', ...staged }] };
    }
    if (sent.method === 'GET' && path === `${base}/${CONSUMER_ID}`) {
      const keyOnly = new URLSearchParams(sent.url.split('?')[1]).get('part') === 'key';
      return { id: CONSUMER_ID, key: consumer.key, secret: keyOnly ? null : consumer.secret };
    }
    if (path.startsWith(`${stagedPath}/`)) return onRecord(sent, path.slice(stagedPath.length + 1));
    if (path !== stagedPath) throw notFound();
    if (sent.method === 'POST') return stage();
    if (sent.method !== 'GET') throw orgError('METHOD_NOT_ALLOWED', 'HTTP Method not allowed');
    if (consumer.staged.length === 0 && options.getWhenNone === '404') throw notFound();
    return collection();
  };

  const permissionsAnswer = (soql: string): Array<Record<string, unknown>> => {
    const fields = /^SELECT (.*?) FROM PermissionSet /.exec(soql)?.[1].split(', ') ?? [];
    const granted =
      typeof options.permissions === 'function'
        ? options.permissions(fields)
        : (options.permissions ?? ALL_PERMISSIONS);
    if (granted instanceof Error) throw granted;
    return [Object.fromEntries(fields.map((f) => [f, granted.includes(f)]))];
  };

  const org: StagedOrg = {
    conn: undefined as unknown as Connection,
    requests,
    consumer,
    setting,
    calls: () => requests.map((r) => `${r.method} ${r.url}`),
  };
  org.conn = {
    instanceUrl: INSTANCE,
    getApiVersion: () => version,
    getUsername: () => ORG.username,
    getAuthInfoFields: () => ({ userId: '005000000000001AAA', clientId: options.clientId }),
    retrieveMaxApiVersion: async () => '66.0',
    metadata: setting.conn.metadata,
    query: async (soql: string) => {
      const records = soql.includes('FROM ExternalClientApplication')
        ? [{ Id: APP_ID }]
        : soql.includes('FROM PermissionSet')
          ? permissionsAnswer(soql)
          : [];
      return { records, totalSize: records.length, done: true };
    },
    request: async (
      request: string | { method?: string; url: string; body?: string; headers?: Record<string, string> },
    ) => {
      const r = typeof request === 'string' ? { url: request } : request;
      const sent: Sent = { method: r.method ?? 'GET', url: r.url, body: r.body, headers: r.headers };
      requests.push(sent);
      const early = options.intercept?.(sent, org);
      if (early instanceof Error) throw early;
      return early !== undefined ? early : model(sent);
    },
  } as unknown as Connection;
  return org;
}
