/*
 * End to end: every fix `sf ren app status` prints works as typed. For each drift the emulator can make, status runs
 * (for Ren's app, and for another vendor's app named with --app and --definition); each fix it prints is split as a
 * POSIX shell would split it, run through the real sf with --dry-run added, and its --json result must change exactly
 * the values whose checks failed, to the values the checks expected: nothing else (a fix for Acme's app must never put
 * Ren's label, email or callback URL back).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type { OrgSeed } from '../emulator/index.js';
import type { RenAppStatusResult } from '../../src/commands/ren/app/status.js';
import type { FieldChange } from '../../src/eca/plan.js';
import { startSfSession, type SfSession } from './harness.js';
import { type RenDrift, jsonOf, renOrgSeed } from './renOrg.js';

type Check = RenAppStatusResult['checks'][number];
type DryRun = { changes: FieldChange[]; dryRun: boolean };

/** Splits a command line the way a POSIX shell does for the words the plugin prints: plain or single-quoted. */
export function shellSplit(line: string): string[] {
  const words: string[] = [];
  const pattern = /'((?:[^']|'\\'')*)'|([^\s']+)|(\s+)/g;
  let word: string | undefined;
  for (const match of line.matchAll(pattern)) {
    if (match[3] !== undefined) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else {
      word = (word ?? '') + (match[1] !== undefined ? match[1].replace(/'\\''/g, "'") : match[2]);
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** The field a setting check is about: "Callback URL (callbackUrl)" → callbackUrl. */
const fieldOf = (check: Check): string | undefined => /\(([A-Za-z]+)\)$/.exec(check.name)?.[1];

const show = (value: unknown): string =>
  value === undefined ? '—' : typeof value === 'object' ? JSON.stringify(value) : String(value);

type Case = {
  what: string;
  drift?: RenDrift;
  extra?: OrgSeed;
  /** The fields the fix must change (from failing setting checks and org checks). */
  fields: string[];
};

/** Every drift of a setting the emulator can make on an app, as a RenDrift (components of the app). */
const APP_DRIFTS: Case[] = [
  {
    what: 'the callback URL',
    drift: { global: { callbackUrl: 'https://old.example/callback' } },
    fields: ['callbackUrl'],
  },
  {
    what: 'a scope',
    drift: { oauth: { commaSeparatedOauthScopes: 'Basic, Api' } },
    fields: ['commaSeparatedOauthScopes'],
  },
  { what: 'PKCE', drift: { global: { isPkceRequired: false } }, fields: ['isPkceRequired'] },
  {
    what: 'the secret for the web server flow',
    drift: { global: { isConsumerSecretOptional: true } },
    fields: ['isConsumerSecretOptional'],
  },
  {
    what: 'the secret for refresh tokens',
    drift: { global: { isSecretRequiredForRefreshToken: false } },
    fields: ['isSecretRequiredForRefreshToken'],
  },
  {
    what: 'the code and credentials flow',
    drift: { global: { isCodeCredFlowEnabled: false } },
    fields: ['isCodeCredFlowEnabled'],
  },
  { what: 'the start page', drift: { policies: { startPage: 'OAuth' } }, fields: ['startPage'] },
  {
    what: 'the permitted users',
    drift: { oauthPolicies: { permittedUsersPolicyType: 'AllSelfAuthorized' } },
    fields: ['permittedUsersPolicyType'],
  },
  {
    what: 'the refresh token policy',
    drift: { oauthPolicies: { refreshTokenPolicyType: 'Zero' } },
    fields: ['refreshTokenPolicyType'],
  },
  { what: 'the app switched off', drift: { policies: { isEnabled: false } }, fields: ['isEnabled'] },
  { what: 'the contact email', drift: { app: { contactEmail: 'someone@example.com' } }, fields: ['contactEmail'] },
  { what: 'the label', drift: { app: { label: 'Old name' } }, fields: ['label'] },
  { what: 'the description', drift: { app: { description: 'Old text' } }, fields: ['description'] },
  { what: 'the info URL', drift: { app: { infoUrl: 'https://old.example' } }, fields: ['infoUrl'] },
  {
    what: 'two settings at once (callback URL and PKCE)',
    drift: { global: { callbackUrl: 'https://old.example/callback', isPkceRequired: false } },
    fields: ['callbackUrl', 'isPkceRequired'],
  },
];

/** Component kind of a RenDrift → the metadata type and name suffix of the app's component. */
const KINDS: Record<Exclude<keyof RenDrift, 'without'>, { type: string; suffix: string }> = {
  app: { type: 'ExternalClientApplication', suffix: '' },
  oauth: { type: 'ExtlClntAppOauthSettings', suffix: '_oauth' },
  global: { type: 'ExtlClntAppGlobalOauthSettings', suffix: '_glbloauth' },
  policies: { type: 'ExtlClntAppConfigurablePolicies', suffix: '_plcy' },
  oauthPolicies: { type: 'ExtlClntAppOauthConfigurablePolicies', suffix: '_oauthPlcy' },
};

const ACME = {
  label: 'Acme Sync',
  apiName: 'acme_sync',
  contactEmail: 'help@acme.example',
  description: 'Sync contacts to Acme',
  infoUrl: 'https://acme.example',
  callbackUrl: 'https://acme.example/oauth/callback',
  scopes: ['Api', 'RefreshToken'],
  permissionSets: ['Ren_Users'],
};

describe('every fix sf ren app status prints works as typed (end to end, real sf + emulator)', function () {
  this.timeout(900_000);
  let session: SfSession;
  let acmeFile: string;

  before(async () => {
    session = await startSfSession({ seed: renOrgSeed(), linkPlugin: true });
    acmeFile = join(session.home, 'acme.json');
    writeFileSync(acmeFile, JSON.stringify(ACME));
  });

  after(async () => {
    await session?.close();
  });

  /** Runs status, then each fix it printed with --dry-run --json; returns the failing checks and what each fix would change. */
  async function statusAndFixes(
    args: string[],
  ): Promise<{ failing: Check[]; runs: Array<{ fix: string; changes: FieldChange[] }> }> {
    const run = await session.sf(['ren', 'app', 'status', '--target-org', session.alias, ...args, '--json']);
    const body = jsonOf<RenAppStatusResult>(run);
    expect(run.code, JSON.stringify(body)).to.equal(1);
    const failing = body.result?.checks.filter((c) => c.status === 'fail') ?? [];
    const fixes = [...new Set(failing.map((c) => c.fix).filter((fix): fix is string => fix !== undefined))];
    const runs: Array<{ fix: string; changes: FieldChange[] }> = [];
    for (const fix of fixes) {
      const words = shellSplit(fix);
      expect(words[0], fix).to.equal('sf');
      const dry = await session.sf([...words.slice(1), '--dry-run', '--json']);
      const dryBody = jsonOf<DryRun>(dry);
      expect(dry.code, `${fix}: ${JSON.stringify(dryBody)}`).to.equal(0);
      expect(dryBody.result?.dryRun, fix).to.equal(true);
      runs.push({ fix, changes: dryBody.result?.changes ?? [] });
    }
    return { failing, runs };
  }

  /** Each fix changes exactly the failing fields of `app`, each to the value its check expected. */
  function expectExactly(
    app: string,
    fields: string[],
    failing: Check[],
    runs: Array<{ fix: string; changes: FieldChange[] }>,
  ): void {
    const failingFields = failing.map(fieldOf).filter((f): f is string => f !== undefined);
    expect([...new Set(failingFields)].sort()).to.deep.equal([...fields].sort());
    const changed = runs.flatMap((r) => r.changes);
    expect(changed.map((c) => c.field).sort(), JSON.stringify(runs)).to.deep.equal([...fields].sort());
    for (const change of changed) {
      expect(change.fullName.startsWith(app), JSON.stringify(change)).to.equal(true);
      const check = failing.find((c) => fieldOf(c) === change.field);
      expect(show(change.after), change.field).to.equal(check?.expected);
    }
  }

  for (const { what, drift, fields } of APP_DRIFTS) {
    it(`Ren's app, drift in ${what}: the printed fix, run as typed, changes exactly that`, async () => {
      session.emulator.reset(renOrgSeed(drift));
      const { failing, runs } = await statusAndFixes([]);
      expect(runs.length).to.be.greaterThan(0);
      expectExactly('ren', fields, failing, runs);
    });
  }

  // Acme's app is drifted by changing the records `app create` stored, in the store itself: the org's getComponent
  // gives a copy of an OAuth policies record (it carries the access lists from the grants), so a change to that copy
  // would never reach what status reads.
  for (const { what, drift, fields } of APP_DRIFTS) {
    it(`Acme's app (--app acme_sync --definition acme.json), drift in ${what}: the fix never brings Ren's values`, async () => {
      session.emulator.reset(renOrgSeed());
      const created = await session.sf([
        'ren',
        'app',
        'create',
        '--target-org',
        session.alias,
        '--definition',
        acmeFile,
        '--json',
      ]);
      expect(created.code, created.stdout).to.equal(0);
      for (const [kind, change] of Object.entries(drift ?? {})) {
        const { type, suffix } = KINDS[kind as keyof typeof KINDS];
        const component = session.emulator.org.store.get(type, `acme_sync${suffix}`);
        expect(component, `${type} acme_sync${suffix}`).to.not.equal(undefined);
        Object.assign(component!.record, change);
      }
      const { failing, runs } = await statusAndFixes(['--app', 'acme_sync', '--definition', acmeFile]);
      for (const { fix } of runs) expect(fix).to.include('--app acme_sync').and.include(`--definition ${acmeFile}`);
      expectExactly('acme_sync', fields, failing, runs);
    });
  }

  it('the org switch for the code and credentials flow: the fix turns on that setting and changes nothing else', async () => {
    session.emulator.reset(renOrgSeed({}, { settings: { OauthOidcSettings: { oAuthCdCrdtFlowEnable: false } } }));
    const { failing, runs } = await statusAndFixes([]);
    expect(failing.map((c) => c.name)).to.include('Org: Allow Authorization Code and Credentials Flows');
    expect(runs.map((r) => r.fix)).to.deep.equal([
      `sf ren app create --target-org ${session.alias} --allow-code-credentials-flows`,
    ]);
    expect(runs[0].changes.map((c) => `${c.type}.${c.field}`)).to.deep.equal([
      'OauthOidcSettings.oAuthCdCrdtFlowEnable',
    ]);
  });

  it('splits printed commands as a shell does', () => {
    expect(shellSplit("sf ren app create --app 'Acme Sync' --definition 'it'\\''s.json'")).to.deep.equal([
      'sf',
      'ren',
      'app',
      'create',
      '--app',
      'Acme Sync',
      '--definition',
      "it's.json",
    ]);
  });
});
