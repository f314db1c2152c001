/*
 * End to end: `sf ren app status` through the real sf against the emulator. A correct org passes (exit 0, the
 * live probe accepted); each kind of drift from Ren's guide makes the right check fail with its fix (exit 1);
 * the probe tells an accepted login from each rejection; an org without the app; and status only reads.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import type { OrgSeed } from '../emulator/index.js';
import type { RenAppStatusResult } from '../../src/commands/ren/app/status.js';
import { startSfSession, type SfSession } from './harness.js';
import { type RenDrift, jsonOf, renOrgSeed } from './renOrg.js';

type Check = RenAppStatusResult['checks'][number];

/** The Metadata API calls status may make: all of them read. */
const READ_ONLY_SOAP = new Set(['listMetadata', 'readMetadata', 'describeMetadata', 'retrieve', 'checkRetrieveStatus']);

describe('sf ren app status (end to end, real sf + emulator)', function () {
  this.timeout(300_000);
  let session: SfSession;
  let o: string;

  /** Runs status as JSON against the org seeded with Ren's app and the drift. */
  async function statusOf(drift: RenDrift = {}, extra: OrgSeed = {}, args: string[] = []) {
    session.emulator.reset(renOrgSeed(drift, extra));
    const run = await session.sf(['ren', 'app', 'status', '--target-org', session.alias, '--json', ...args]);
    const body = jsonOf<RenAppStatusResult>(run);
    const check = (name: string): Check => {
      const found = body.result?.checks.find((c) => c.name.startsWith(name));
      if (!found)
        throw new Error(`no check "${name}" in ${JSON.stringify(body.result?.checks.map((c) => c.name) ?? body)}`);
      return found;
    };
    const failed = (): string[] => body.result?.checks.filter((c) => c.status === 'fail').map((c) => c.name) ?? [];
    return { ...run, body, check, failed };
  }

  before(async () => {
    session = await startSfSession({ seed: renOrgSeed(), linkPlugin: true });
    o = `--target-org ${session.alias}`;
  });

  after(async () => {
    await session?.close();
  });

  it('an org set up as the guide says: every check passes, the probe is accepted, exit 0; the table for people', async () => {
    const run = await statusOf();
    expect(run.code, run.stderr).to.equal(0);
    expect(run.body.result?.ok).to.equal(true);
    expect(run.body.result?.checks.filter((c) => c.status !== 'pass')).to.deep.equal([]);
    expect(run.check('Live OAuth probe')).to.deep.include({ status: 'pass' });
    expect(run.check('Live OAuth probe').actual).to.include(session.emulator.url);
    const human = await session.sf(['ren', 'app', 'status', '--target-org', session.alias]);
    expect(human.code).to.equal(0);
    expect(human.stdout).to.include('Callback URL').and.include('PASS').and.include("meets Ren's guide");
  });

  const drifts: Array<{ what: string; drift?: RenDrift; extra?: OrgSeed; check: string; fix: string }> = [
    {
      what: 'the callback URL',
      drift: { global: { callbackUrl: 'https://old.rensystems.com/callback' } },
      check: 'Callback URL',
      fix: 'sf ren app create',
    },
    {
      what: 'a scope',
      drift: { oauth: { commaSeparatedOauthScopes: 'Basic, Api' } },
      check: 'OAuth scopes',
      fix: 'sf ren app create',
    },
    { what: 'PKCE', drift: { global: { isPkceRequired: false } }, check: 'PKCE required', fix: 'sf ren app create' },
    {
      what: 'the secret for the web server flow',
      drift: { global: { isConsumerSecretOptional: true } },
      check: 'Secret optional for Web Server Flow',
      fix: 'sf ren app create',
    },
    {
      what: 'the secret for refresh tokens',
      drift: { global: { isSecretRequiredForRefreshToken: false } },
      check: 'Secret required for Refresh Token Flow',
      fix: 'sf ren app create',
    },
    {
      what: 'the code and credentials flow',
      drift: { global: { isCodeCredFlowEnabled: false } },
      check: 'Authorization Code and Credentials Flow',
      fix: 'sf ren app create',
    },
    {
      what: 'the start page',
      drift: { policies: { startPage: 'OAuth' } },
      check: 'Start page',
      fix: 'sf ren app create',
    },
    {
      what: 'the permitted users',
      drift: { oauthPolicies: { permittedUsersPolicyType: 'AllSelfAuthorized' } },
      check: 'Permitted users',
      fix: 'sf ren app create',
    },
    {
      what: 'the refresh token policy',
      drift: { oauthPolicies: { refreshTokenPolicyType: 'Zero' } },
      check: 'Refresh token policy',
      fix: 'sf ren app create',
    },
    {
      what: 'the app switched off',
      drift: { policies: { isEnabled: false } },
      check: 'App enabled',
      fix: 'sf ren app create',
    },
    {
      what: 'a detail (contact email)',
      drift: { app: { contactEmail: 'someone@example.com' } },
      check: 'Contact email',
      fix: 'sf ren app create',
    },
    {
      what: 'the org switch for the code and credentials flow',
      extra: { settings: { OauthOidcSettings: { oAuthCdCrdtFlowEnable: false } } },
      check: 'Org: Allow Authorization Code and Credentials Flows',
      fix: 'sf ren app create --target-org emulator --allow-code-credentials-flows',
    },
  ];

  for (const { what, drift, extra, check, fix } of drifts) {
    it(`drift in ${what}: "${check}" fails with its fix, exit 1`, async () => {
      const run = await statusOf(drift, extra);
      expect(run.code).to.equal(1);
      expect(run.body.result?.ok).to.equal(false);
      expect(run.check(check).status).to.equal('fail');
      expect(run.check(check).fix).to.include(fix);
      expect(run.check(check).fix).to.include(o);
    });
  }

  it('the probe: a callback Ren does not use is rejected with redirect_uri_mismatch, and the fix', async () => {
    const run = await statusOf({ global: { callbackUrl: 'https://old.rensystems.com/callback' } });
    const probe = run.check('Live OAuth probe');
    expect(probe.status).to.equal('fail');
    expect(probe.actual).to.include('redirect_uri_mismatch').and.include('callback URL');
    expect(probe.fix).to.equal(`sf ren app create ${o}`);
  });

  it('the probe: a disabled app is rejected with OAUTH_APP_BLOCKED', async () => {
    const probe = (await statusOf({ policies: { isEnabled: false } })).check('Live OAuth probe');
    expect(probe.status).to.equal('fail');
    expect(probe.actual).to.include('OAUTH_APP_BLOCKED').and.include('disabled');
    expect(probe.fix).to.equal(`sf ren app create ${o}`);
  });

  it('the probe: a key Salesforce does not know (the OAuth plugin off) is rejected with invalid_client_id', async () => {
    const run = await statusOf({ policies: { isOauthPluginEnabled: false } });
    expect(run.check('OAuth plugin enabled').status).to.equal('fail');
    const probe = run.check('Live OAuth probe');
    expect(probe.status).to.equal('fail');
    expect(probe.actual).to.include('invalid_client_id').and.include('client identifier invalid');
    expect(probe.fix).to.include('wait 2 to 10 minutes');
  });

  it('the probe: a vendor login without PKCE in an org that requires PKCE is rejected with invalid_request', async () => {
    const definition = join(session.home, 'no-pkce.json');
    writeFileSync(definition, JSON.stringify({ requirePkce: false }));
    const run = await statusOf(
      { global: { isPkceRequired: false } },
      { settings: { OauthOidcSettings: { isPkceRequired: true } } },
      ['--definition', definition],
    );
    expect(run.check('PKCE required').status).to.equal('pass');
    const probe = run.check('Live OAuth probe');
    expect(probe.status).to.equal('fail');
    expect(probe.actual).to.include('invalid_request').and.include('missing required code challenge');
    expect(probe.fix).to.include('OAuth and OpenID Connect Settings');
  });

  it('the probe: no consumer key to probe with is a warning with the reason, not a crash', async () => {
    const run = await statusOf({ without: ['ExtlClntAppGlobalOauthSettings'] });
    expect(run.code).to.equal(1);
    const probe = run.check('Live OAuth probe');
    expect(probe.status).to.equal('warn');
    expect(probe.actual).to.include('could not read the consumer key');
    expect(run.check('Callback URL').actual).to.include('missing');
  });

  it('an org without the app: one failing check that points to sf ren app create', async () => {
    session.emulator.reset({});
    const run = await session.sf(['ren', 'app', 'status', '--target-org', session.alias, '--json']);
    const body = jsonOf<RenAppStatusResult>(run);
    expect(run.code).to.equal(1);
    expect(body.result).to.deep.include({ app: 'ren', ok: false });
    expect(body.result?.checks).to.have.length(1);
    expect(body.result?.checks[0]).to.deep.include({ status: 'fail', fix: `sf ren app create ${o}` });
  });

  it('only reads: no deploy and no write reaches the org, whatever it finds', async () => {
    for (const drift of [
      {},
      { policies: { isEnabled: false } },
      { oauthPolicies: { permittedUsersPolicyType: 'AdminApprovedPreAuthorized', commaSeparatedProfile: undefined } },
    ]) {
      session.emulator.reset(renOrgSeed(drift));
      const from = session.emulator.requests.length;
      // eslint-disable-next-line no-await-in-loop
      await session.sf(['ren', 'app', 'status', '--target-org', session.alias, '--json']);
      const requests = session.emulator.requests.slice(from);
      expect(requests.filter((r) => r.soapMethod && !READ_ONLY_SOAP.has(r.soapMethod))).to.deep.equal([]);
      expect(requests.filter((r) => !r.soapMethod && r.method !== 'GET')).to.deep.equal([]);
      expect(session.emulator.org.deploys.size).to.equal(0);
      expect(requests.some((r) => r.path === '/services/oauth2/authorize')).to.equal(true);
    }
  });
});
