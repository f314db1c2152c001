/*
 * What a hand-off carries, and the shapes it is written in. Ren's payload is { loginUrl, consumerKey,
 * consumerSecret, orgId }: the same in the file, the POST to Ren and `--handoff-format ren`. Other stores have their
 * own shape (AWS Secrets Manager's Salesforce client secret also names the app and its OAuth consumer), so those
 * ids ride along with the payload; they never reach Ren's.
 */
import { credentialsError } from './messages.js';

export type HandoffPayload = { loginUrl: string; consumerKey: string; consumerSecret: string; orgId: string };

/** The External Client App's id (0xI…) and the id of its OAuth consumer. */
export type AppIds = { appId: string; consumerId: string };

/** What the one hand-off path is given: Ren's payload, and the ids when the run read them. */
export type DeliveredPayload = HandoffPayload & Partial<AppIds>;

/** What a secret looks like wherever the user sees it: output, logs, --json. */
export const MASK = '***';

export const HANDOFF_FORMATS = ['ren', 'aws', 'env'] as const;
export type HandoffFormat = (typeof HANDOFF_FORMATS)[number];

/** Ren's payload alone, in its usual order (the ids are left out). */
export function renPayload(payload: DeliveredPayload): HandoffPayload {
  const { loginUrl, consumerKey, consumerSecret, orgId } = payload;
  return { loginUrl, consumerKey, consumerSecret, orgId };
}

const ENV_LINES: Array<[string, keyof HandoffPayload]> = [
  ['REN_LOGIN_URL', 'loginUrl'],
  ['REN_CONSUMER_KEY', 'consumerKey'],
  ['REN_CONSUMER_SECRET', 'consumerSecret'],
  ['REN_ORG_ID', 'orgId'],
];

/**
 * The payload in a format. ren: Ren's JSON; aws: AWS Secrets Manager's Salesforce client secret, { consumerKey,
 * consumerSecret, baseUri, appId, consumerId } (both compact JSON with no line break after it, so a store keeps
 * exactly the document); env: NAME='value' lines. Single quotes are read literally both by a POSIX shell
 * (`set -a; . ./ren.env`) and by dotenv readers; a value holding a quote or a line break could not be written that
 * way and is refused (Salesforce's values never hold one).
 */
export function formatHandoff(payload: DeliveredPayload, format: HandoffFormat): string {
  if (format === 'ren') return JSON.stringify(renPayload(payload));
  if (format === 'aws') {
    const { consumerKey, consumerSecret, loginUrl, appId, consumerId } = payload;
    if (!appId || !consumerId) throw credentialsError('error.RenHandoffFormatIncomplete', [format]);
    return JSON.stringify({ consumerKey, consumerSecret, baseUri: loginUrl, appId, consumerId });
  }
  return ENV_LINES.map(([name, field]) => {
    if (/['\r\n\0]/.test(payload[field])) throw credentialsError('error.RenHandoffEnvValue', [name]);
    return `${name}='${payload[field]}'\n`;
  }).join('');
}
