/**
 * Staged credentials of an External Client App's consumer (Connect REST v65+, CR-STAGED, CR-STAGEDR, H-STAGE).
 *
 * `GET …/{consumerId}/staged` answers the App Oauth Staged Credentials Collection `{ stagedCredentials: [...], url }`
 * (reading stagedGetWhenNone: `'404'` answers NOT_FOUND while nothing is staged). `POST …/staged` (no body needed)
 * stages a new key and secret and answers the collection too (reading stagedPostAnswer: `'object'` answers the one
 * staged credential); under stagedEmptyPostHangs a POST whose body is empty never answers (sfdx-hardis sends `{}` for
 * that reason). `GET|PATCH|DELETE …/staged/{id}` work on one record: PATCH `{"command":"rotate"}` makes the staged
 * pair the consumer's pair, and the record then holds the PREVIOUS pair, state Rotated, valid 30 days on the org's
 * clock; DELETE of a Rotated record revokes the previous pair at once.
 *
 * One record per consumer: while any exists (Active, Rotated or Expired), a new POST fails until it is deleted.
 * Records carry createdDate and expirationDate and read Expired once that date has passed. The token endpoint accepts
 * the pair of every record that has not expired (oauthClients.ts). Access: View Client Secret + External Client App
 * Developer, and (reading stagedNeedsSecretSetting, default) the REST secret setting; staging and rotating also need
 * "Allow consumer key and secret rotation" under the reading rotationPermission.
 */
import type { EmulatorContext } from '../context.js';
import { type Reply, type Req, HANG, json, notFound, parseJsonBody, restError } from '../http.js';
import { KeyPrefix, sameId } from '../ids.js';
import { refreshGenerated } from '../metadata/apply.js';
import type { StoredComponent } from '../metadata/store.js';
import {
  type OauthConsumer,
  type StagedCredential,
  makeConsumerKey,
  makeConsumerSecret,
  stagedState,
} from '../org/consumers.js';
import type { UserRow } from '../org/directory.js';
import { DAY_MS } from '../time.js';
import { consumerUrl, methodNotAllowed, permissionRefusal, settingRefusal } from './credentialAccess.js';

/** Staged credentials, and the previous pair after a rotation, stay valid this long (H-STAGE; sfdx-hardis). */
export const STAGED_VALIDITY_MS = 30 * DAY_MS;

type Where = { version: string; app: StoredComponent; consumer: OauthConsumer };

function stagedUrl({ version, app, consumer }: Where): string {
  return `${consumerUrl(version, app, consumer)}/staged`;
}

/** One record, as CR-STAGEDR shows it (the state as of now on the org's clock). */
function recordJson(where: Where, s: StagedCredential, now: number): Record<string, unknown> {
  const url = stagedUrl(where);
  return {
    createdBy: s.createdById,
    createdDate: s.createdDate,
    expirationDate: s.expirationDate,
    id: s.id,
    key: s.key,
    secret: s.secret,
    stagedCredentialsUrl: url,
    state: stagedState(s, now),
    url: `${url}/${s.id}`,
  };
}

function collectionJson(where: Where, now: number): Record<string, unknown> {
  return { stagedCredentials: where.consumer.staged.map((s) => recordJson(where, s, now)), url: stagedUrl(where) };
}

/** Rotation needs "Allow consumer key and secret rotation" under the reading rotationPermission (text [?]). */
function rotationRefusal(ctx: EmulatorContext, user: UserRow): Reply | undefined {
  if (!ctx.state.readings.rotationPermission) return undefined;
  if (ctx.state.directory.hasPermission(user.Id, 'PermissionsClientSecretRotation')) return undefined;
  return restError(
    403,
    'INSUFFICIENT_ACCESS',
    'You don\'t have permission to rotate consumer credentials. You need the "Allow consumer key and secret rotation" user permission.',
  );
}

/** `POST …/staged`. */
function stage(ctx: EmulatorContext, req: Req, user: UserRow, where: Where): Reply {
  const { readings, clock } = ctx.state;
  if (req.body.length === 0 && readings.stagedEmptyPostHangs) return HANG;
  const refusal = rotationRefusal(ctx, user);
  if (refusal) return refusal;
  const now = clock.now();
  const existing = where.consumer.staged[0];
  if (existing) {
    // One staged record per consumer (sfdx-hardis); the code and text are guesses.
    return restError(
      400,
      'INVALID_OPERATION',
      `This consumer already has staged credentials (${stagedState(existing, now)}). Delete them before you stage new ones.`,
    );
  }
  const credential: StagedCredential = {
    id: ctx.state.ids.next(KeyPrefix.StagedCredential),
    key: makeConsumerKey(),
    secret: makeConsumerSecret(),
    state: 'Active',
    createdById: user.Id,
    createdDate: new Date(now).toISOString(),
    expirationDate: new Date(now + STAGED_VALIDITY_MS).toISOString(),
  };
  where.consumer.staged.push(credential);
  const answer =
    readings.stagedPostAnswer === 'object' ? recordJson(where, credential, now) : collectionJson(where, now);
  return json(201, answer);
}

/** `PATCH …/staged/{id}` with `{"command":"rotate"}`. */
function rotate(ctx: EmulatorContext, req: Req, user: UserRow, where: Where, credential: StagedCredential): Reply {
  const body = parseJsonBody(req) as { command?: unknown } | undefined;
  if (typeof body?.command !== 'string' || body.command.toLowerCase() !== 'rotate')
    return restError(400, 'INVALID_INPUT', 'Staged Credentials Input must be {"command":"rotate"}');
  const refusal = rotationRefusal(ctx, user);
  if (refusal) return refusal;
  const now = ctx.state.clock.now();
  const state = stagedState(credential, now);
  if (state !== 'Active') return restError(400, 'INVALID_OPERATION', `These staged credentials are ${state}.`);
  // The staged pair becomes the consumer's pair; the record now holds the previous pair, for 30 days from now.
  const { consumer } = where;
  const previous = { key: consumer.key, secret: consumer.secret };
  consumer.key = credential.key;
  consumer.secret = credential.secret;
  Object.assign(credential, previous, {
    state: 'Rotated',
    expirationDate: new Date(now + STAGED_VALIDITY_MS).toISOString(),
  });
  refreshGenerated(ctx.state, where.app.fullName);
  return json(200, recordJson(where, credential, now));
}

export function stagedRoute(
  ctx: EmulatorContext,
  req: Req,
  version: string,
  user: UserRow,
  app: StoredComponent,
  consumer: OauthConsumer,
  stagedId: string | undefined,
): Reply {
  // Staged credentials carry secrets: the rules of reading the secret (the setting per reading).
  const refusal =
    (ctx.state.readings.stagedNeedsSecretSetting ? settingRefusal(ctx) : undefined) ?? permissionRefusal(ctx, user);
  if (refusal) return refusal;
  const where: Where = { version, app, consumer };
  const now = ctx.state.clock.now();

  if (stagedId === undefined) {
    if (req.method === 'GET') {
      if (consumer.staged.length === 0 && ctx.state.readings.stagedGetWhenNone === '404') return notFound();
      return json(200, collectionJson(where, now));
    }
    return req.method === 'POST' ? stage(ctx, req, user, where) : methodNotAllowed(['GET', 'POST']);
  }

  const credential = consumer.staged.find((s) => sameId(s.id, stagedId));
  if (!credential) return notFound();
  switch (req.method) {
    case 'GET':
      return json(200, recordJson(where, credential, now));
    case 'PATCH':
      return rotate(ctx, req, user, where, credential);
    case 'DELETE':
      consumer.staged = consumer.staged.filter((s) => s !== credential);
      return { status: 204 };
    default:
      return methodNotAllowed(['GET', 'PATCH', 'DELETE']);
  }
}
