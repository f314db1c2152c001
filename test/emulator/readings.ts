/**
 * Readings: where Salesforce's behaviour is open or contradicted (real-org-evidence.md, the "ten that matter most"),
 * the emulator can answer each way, chosen by a named switch. The plugin must work whichever way a real org answers,
 * so its tests can run an org under any reading, or under all the strict ones at once (STRICT_READINGS).
 *
 * Each reading has a default (the emulator's best guess from the evidence) and a strict value (the one least
 * favourable to the plugin: what the evidence leans to, or the harder one when it does not lean). README.md
 * ("Readings") gives the evidence for every value and the test that covers it.
 *
 * Set them in a seed (`readings: { name: value }`), at run time (`POST /__emulator/readings`, or
 * `emulator.org.setReadings()`), or on the command line (`npm run emulator -- --reading name=value`, `--strict`);
 * `emulator.reset(seed)` goes back to the seed's readings.
 */

export type Readings = {
  /** Q1. GET …/staged while nothing is staged: the empty collection (doc) or 404 (sfdx-hardis saw it). */
  stagedGetWhenNone: 'empty' | '404';
  /** Q1. POST …/staged answers the collection (doc, Infisical) or one staged credential object. */
  stagedPostAnswer: 'collection' | 'object';
  /** Q1. A POST …/staged with an empty body never answers (sfdx-hardis sends `{}` for that reason). */
  stagedEmptyPostHangs: boolean;
  /** Q1. Staging, rotating and deleting need the REST secret setting (H-STAGE lists it as a prerequisite). */
  stagedNeedsSecretSetting: boolean;
  /** Q2. A deploy carrying the org flow switch and an app that needs it: the setting applies first, or the org validates first. */
  flowSwitchSameDeploy: 'applies-first' | 'validates-first';
  /** Q3. Deploying global OAuth settings needs the View Client Secret permission (MD-GOS says so). */
  viewClientSecretToDeployGlobalOauth: boolean;
  /** Q4. Listing an app's consumers and the OAuth usage needs the REST secret setting. */
  consumerListNeedsSecretSetting: boolean;
  /** Q5. Profile and permission-set lists of OAuth policies are additive: re-sending a granted name fails, omitted names stay. */
  additiveAccessLists: boolean;
  /** Q6. Redeploying global OAuth settings without consumerKey keeps the key, or issues a new key and secret. */
  globalOauthWithoutKey: 'keeps-key' | 'new-key';
  /** Q7. Milliseconds (emulator clock) before a new app or a changed callback reaches the authorize endpoint. */
  propagationDelayMs: number;
  /** Q8. A destructive deploy naming an app's children as well as the app: fine, or the children fail. */
  deleteNamingChildren: 'ok' | 'fails';
  /** Q8. Deleting an app deletes its children (true), or leaves them as orphans (false). */
  deleteParentCascades: boolean;
  /** Q9. Rotating a consumer key or secret needs PermissionsClientSecretRotation. */
  rotationPermission: boolean;
  /** Q10. The org has API Access Control: only installed vendor connected apps may be used, whoever logs in. */
  apiAccessControl: boolean;
};

export type ReadingName = keyof Readings;

type Spec<V> = {
  /** Allowed values: an enum, or any boolean / any number >= 0. */
  values: readonly V[] | 'boolean' | 'number';
  default: V;
  strict: V;
  /** The real-org-evidence.md item the reading answers. */
  question: number;
};

/** Every reading, with its values, default and strict value (evidence in README.md, "Readings"). */
export const READING_SPECS: { readonly [K in ReadingName]: Spec<Readings[K]> } = {
  stagedGetWhenNone: { values: ['empty', '404'], default: 'empty', strict: '404', question: 1 },
  stagedPostAnswer: { values: ['collection', 'object'], default: 'collection', strict: 'collection', question: 1 },
  stagedEmptyPostHangs: { values: 'boolean', default: false, strict: true, question: 1 },
  stagedNeedsSecretSetting: { values: 'boolean', default: true, strict: true, question: 1 },
  flowSwitchSameDeploy: {
    values: ['applies-first', 'validates-first'],
    default: 'applies-first',
    strict: 'validates-first',
    question: 2,
  },
  viewClientSecretToDeployGlobalOauth: { values: 'boolean', default: true, strict: true, question: 3 },
  consumerListNeedsSecretSetting: { values: 'boolean', default: true, strict: true, question: 4 },
  additiveAccessLists: { values: 'boolean', default: true, strict: true, question: 5 },
  globalOauthWithoutKey: { values: ['keeps-key', 'new-key'], default: 'keeps-key', strict: 'new-key', question: 6 },
  propagationDelayMs: { values: 'number', default: 0, strict: 600_000, question: 7 },
  deleteNamingChildren: { values: ['ok', 'fails'], default: 'ok', strict: 'fails', question: 8 },
  deleteParentCascades: { values: 'boolean', default: true, strict: false, question: 8 },
  rotationPermission: { values: 'boolean', default: false, strict: true, question: 9 },
  apiAccessControl: { values: 'boolean', default: false, strict: true, question: 10 },
};

export const READING_NAMES = Object.keys(READING_SPECS) as ReadingName[];

function pick(which: 'default' | 'strict'): Readings {
  return Object.fromEntries(READING_NAMES.map((name) => [name, READING_SPECS[name][which]])) as Readings;
}

/** The emulator's best guess for every question. */
export const DEFAULT_READINGS: Readonly<Readings> = Object.freeze(pick('default'));

/** The reading least favourable to the plugin for every question: run a test "under all strict readings at once". */
export const STRICT_READINGS: Readonly<Readings> = Object.freeze(pick('strict'));

/** The allowed values of a reading, as text for messages and the command line help. */
export function describeValues(name: ReadingName): string {
  const { values } = READING_SPECS[name];
  if (values === 'boolean') return 'true | false';
  if (values === 'number') return 'a number >= 0';
  return values.join(' | ');
}

/** Why a value is not allowed for a reading; undefined when it is. */
function valueProblem(name: ReadingName, value: unknown): string | undefined {
  const { values } = READING_SPECS[name];
  const ok =
    values === 'boolean'
      ? typeof value === 'boolean'
      : values === 'number'
        ? typeof value === 'number' && Number.isFinite(value) && value >= 0
        : (values as readonly unknown[]).includes(value);
  return ok ? undefined : `Reading ${name} must be ${describeValues(name)}, not ${JSON.stringify(value)}`;
}

/** Checks readings received as JSON (seed, control endpoint): the readings, or the first problem. */
export function checkReadings(value: unknown): { readings: Partial<Readings> } | { problem: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { problem: 'Readings must be a JSON object of { name: value }' };
  for (const [name, v] of Object.entries(value)) {
    if (!(name in READING_SPECS)) return { problem: `Unknown reading ${name}. Readings: ${READING_NAMES.join(', ')}` };
    const problem = valueProblem(name as ReadingName, v);
    if (problem) return { problem };
  }
  return { readings: value as Partial<Readings> };
}

/** Readings as a seed gives them, over the defaults; throws on an unknown name or a bad value (as other seed errors). */
export function readingsOf(seedReadings: unknown): Readings {
  if (seedReadings === undefined) return { ...DEFAULT_READINGS };
  const checked = checkReadings(seedReadings);
  if ('problem' in checked) throw new Error(`Seed readings: ${checked.problem}`);
  return { ...DEFAULT_READINGS, ...checked.readings };
}

/** Parses a command line `name=value` (`true`/`false` and numbers as JSON, enum values as written). */
export function parseReadingArg(
  text: string,
): { name: ReadingName; value: Readings[ReadingName] } | { problem: string } {
  const eq = text.indexOf('=');
  const name = (eq < 0 ? text : text.slice(0, eq)).trim();
  if (!(name in READING_SPECS)) return { problem: `Unknown reading ${name}. Readings: ${READING_NAMES.join(', ')}` };
  if (eq < 0) return { problem: `--reading ${name} needs a value: ${name}=${describeValues(name as ReadingName)}` };
  const raw = text.slice(eq + 1).trim();
  const { values } = READING_SPECS[name as ReadingName];
  const value: unknown = values === 'boolean' || values === 'number' ? safeJson(raw) : raw;
  const problem = valueProblem(name as ReadingName, value);
  return problem ? { problem } : { name: name as ReadingName, value: value as Readings[ReadingName] };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
