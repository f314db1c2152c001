/*
 * The real-org suite: `REN_TEST_ORG=<sf alias> npm run test:org` runs the plugin's commands through the real `sf`
 * against that org (README: "Run the tests against a real org"). Skipped, saying so, when REN_TEST_ORG is not set;
 * `npm test` never runs it.
 *
 * What it changes in the org: two External Client Apps with unique names (ren_org_test_…, ren_org_guess_…), both
 * deleted at the end, also after a failure. It never changes an org setting: the "Allow Authorization Code and
 * Credentials Flows" path runs as a dry run, and where the org's switch is off the apps are created without that flow.
 *
 * The last part checks guesses the emulator makes (test/emulator/README.md, "Open questions") against the org, so a
 * failure there names the guess that is wrong.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { XMLParser } from 'fast-xml-parser';
import type { SfResult } from '../e2e/harness.js';
import { type OrgSession, TARGET_ORG, startOrgSession, uniqueName } from './realOrg.js';

type Change = { type: string; fullName: string; field: string; before?: unknown; after?: unknown };
type Check = { name: string; status: string; actual: string };
/** The JSON results of the commands the suite runs (each uses its own fields). */
type Result = {
  apiName?: string;
  app?: string;
  id?: string;
  status?: string;
  dryRun?: boolean;
  changes?: Change[];
  deployId?: string;
  profiles?: string[];
  checks?: Check[];
};
type Json = { status: number; name?: string; message?: string; actions?: string[]; result?: Result };

const APP = uniqueName('ren_org_test');
const GUESS_APP = uniqueName('ren_org_guess');
const LABEL = `Ren org test ${APP.slice(-8)}`;
const FIRST = 'Created by the plugin-ren real-org suite';
const SECOND = 'Updated by the plugin-ren real-org suite';
const ADMIN_PROFILE = 'System Administrator';

const asArray = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];
const parseXml = (xml: string): Record<string, Record<string, string>> =>
  new XMLParser({ parseTagValue: false }).parse(xml) as Record<string, Record<string, string>>;
const scopeSet = (value: string): string[] => [...new Set(value.split(',').map((s) => s.trim()))].sort();

describe(`real org${TARGET_ORG ? ` "${TARGET_ORG}"` : ''}: sf ren app create, preauthorize, status and delete`, function () {
  this.timeout(45 * 60_000);
  let session: OrgSession | undefined;
  /** Apps this run may have created: each is deleted in the after hook unless a test already deleted it. */
  const toClean = new Set<string>();
  /** Apps this run did create. */
  const made = new Set<string>();
  /** Whether the org allows the Authorization Code and Credentials Flow (found by the dry run). */
  let flowOn = false;

  const org = (): OrgSession => {
    if (!session) throw new Error('no org session');
    return session;
  };
  const sfJson = async (args: string[], cwd?: string): Promise<SfResult & { body: Json }> => {
    const run = await org().sf([...args, '--target-org', org().target, '--json'], { cwd });
    return { ...run, body: (run.json ?? {}) as Json };
  };
  const create = (app: string, ...args: string[]): Promise<SfResult & { body: Json }> =>
    sfJson([
      'ren',
      'app',
      'create',
      '--app',
      app,
      '--label',
      app === APP ? LABEL : app,
      ...(flowOn ? [] : ['--no-code-credentials-flow']),
      ...args,
    ]);
  const listed = async (type: string): Promise<string[]> => {
    const run = await sfJson(['org', 'list', 'metadata', '--metadata-type', type]);
    expect(run.code, run.stderr).to.equal(0);
    return asArray((run.json as { result?: Array<{ fullName: string }> } | undefined)?.result).map((p) => p.fullName);
  };
  const ok = (run: SfResult & { body: Json }): void => {
    expect(run.code, `${run.body.name ?? ''}: ${run.body.message ?? run.stderr}`).to.equal(0);
  };

  before(async function () {
    if (!TARGET_ORG) {
      // eslint-disable-next-line no-console
      console.log(
        '    REN_TEST_ORG is not set: skipping the real-org suite. Run it with REN_TEST_ORG=<sf alias> npm run test:org.',
      );
      this.skip();
    }
    session = await startOrgSession(TARGET_ORG);
    // eslint-disable-next-line no-console
    console.log(`    Apps of this run: ${APP}, ${GUESS_APP} (deleted at the end)`);
  });

  after(async () => {
    if (!session) return;
    const left: string[] = [];
    for (const app of toClean) {
      // eslint-disable-next-line no-await-in-loop
      const run = await sfJson(['ren', 'app', 'delete', '--app', app, '--no-prompt']);
      if (run.code !== 0) left.push(`${app} (${run.body.name ?? 'error'}: ${run.body.message ?? run.stderr})`);
    }
    session.close();
    if (left.length > 0) {
      throw new Error(
        `Could not delete ${left.join('; ')}. Delete it in Setup → External Client App Manager, or: sf ren app delete --app <name> --no-prompt -o ${TARGET_ORG}`,
      );
    }
  });

  describe('the org flow switch', () => {
    it('--dry-run --allow-code-credentials-flows validates the whole app and deploys nothing', async () => {
      const run = await sfJson([
        'ren',
        'app',
        'create',
        '--app',
        APP,
        '--label',
        LABEL,
        '--dry-run',
        '--allow-code-credentials-flows',
      ]);
      ok(run);
      expect(run.body.result).to.deep.include({ status: 'created', dryRun: true });
      const changes = run.body.result?.changes ?? [];
      flowOn = !changes.some((c) => c.type === 'OauthOidcSettings');
      if (!flowOn)
        expect(changes).to.deep.include({
          type: 'OauthOidcSettings',
          fullName: 'OauthOidc',
          field: 'oAuthCdCrdtFlowEnable',
          before: false,
          after: true,
        });
      // eslint-disable-next-line no-console
      console.log(
        `      the org's "Allow Authorization Code and Credentials Flows" is ${flowOn ? 'on' : 'off (left off)'}`,
      );
      expect(await listed('ExternalClientApplication')).to.not.include(APP);
    });

    it('without the flag, an org whose switch is off is refused with the flag and the Setup page', async function () {
      if (flowOn) this.skip(); // the switch is on; the suite never turns it off
      const run = await sfJson(['ren', 'app', 'create', '--app', APP, '--label', LABEL]);
      expect(run.code).to.not.equal(0);
      expect(run.body.name).to.equal('RenOrgSettingError');
      expect([run.body.message, ...(run.body.actions ?? [])].join('\n'))
        .to.include('--allow-code-credentials-flows')
        .and.include('OAuth and OpenID Connect Settings');
    });
  });

  describe('sf ren app create', () => {
    it('creates a fresh app', async () => {
      toClean.add(APP);
      const run = await create(APP, '--description', FIRST);
      ok(run);
      expect(run.body.result).to.deep.include({ apiName: APP, status: 'created', dryRun: false });
      expect(run.body.result?.id).to.match(/^0xI/);
      made.add(APP);
      expect(await listed('ExternalClientApplication')).to.include(APP);
    });

    it('a re-run is unchanged and deploys nothing', async () => {
      const run = await create(APP, '--description', FIRST);
      ok(run);
      expect(run.body.result).to.deep.include({ status: 'unchanged', changes: [] });
      expect(run.body.result?.deployId).to.equal(undefined);
    });

    it('updates what changed and lists it', async () => {
      const run = await create(APP, '--description', SECOND);
      ok(run);
      expect(run.body.result?.status).to.equal('updated');
      expect(run.body.result?.changes).to.deep.equal([
        { type: 'ExternalClientApplication', fullName: APP, field: 'description', before: FIRST, after: SECOND },
      ]);
    });
  });

  describe('sf ren app preauthorize and status', () => {
    it('pre-authorizes a profile, and a re-run is unchanged', async () => {
      const run = await sfJson(['ren', 'app', 'preauthorize', '--app', APP, '--profile', ADMIN_PROFILE]);
      ok(run);
      expect(run.body.result).to.deep.include({
        app: APP,
        status: 'updated',
        permittedUsers: 'AdminApprovedPreAuthorized',
      });
      expect(run.body.result?.profiles).to.include(ADMIN_PROFILE);
      const again = await sfJson(['ren', 'app', 'preauthorize', '--app', APP, '--profile', ADMIN_PROFILE]);
      ok(again);
      expect(again.body.result?.status).to.equal('unchanged');
    });

    it("status passes every setting check against the app's definition", async () => {
      const dir = org().project({
        'definition.json': JSON.stringify({
          apiName: APP,
          label: LABEL,
          description: SECOND,
          codeCredentialsFlow: flowOn,
          profiles: [ADMIN_PROFILE],
        }),
      });
      const run = await sfJson(['ren', 'app', 'status', '--app', APP, '--definition', join(dir, 'definition.json')]);
      const checks = run.body.result?.checks ?? [];
      // eslint-disable-next-line no-console
      for (const c of checks) console.log(`      ${c.status.toUpperCase().padEnd(4)} ${c.name}: ${c.actual}`);
      expect(run.body.result?.app, run.body.message ?? run.stderr).to.equal(APP);
      // A new app's consumer key can take minutes to reach the login servers: the live probe may fail right after create.
      const probe = 'Live OAuth probe';
      expect(
        checks.filter((c) => c.status === 'fail' && !c.name.startsWith(probe)).map((c) => `${c.name}: ${c.actual}`),
      ).to.deep.equal([]);
      expect(run.code === 0).to.equal(checks.every((c) => c.status !== 'fail'));
    });
  });

  describe('guesses of the emulator (test/emulator/README.md, "Open questions")', () => {
    const oauthName = `${GUESS_APP}_oauth`;
    const source = (folder: string, file: string, root: string, fields: Record<string, string>): [string, string] => [
      `force-app/main/default/${folder}/${file}`,
      `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="http://soap.sforce.com/2006/04/metadata">\n${Object.entries(
        fields,
      )
        .map(([k, v]) => `    <${k}>${v}</${k}>`)
        .join('\n')}\n</${root}>\n`,
    ];
    let project = '';

    it('an app deployed without policy records (sf project deploy start) deploys', async () => {
      project = org().project(
        Object.fromEntries([
          source('externalClientApps', `${GUESS_APP}.eca-meta.xml`, 'ExternalClientApplication', {
            contactEmail: 'support@rensystems.com',
            distributionState: 'Local',
            isProtected: 'false',
            label: GUESS_APP,
          }),
          source('extlClntAppOauthSettings', `${oauthName}.ecaOauth-meta.xml`, 'ExtlClntAppOauthSettings', {
            commaSeparatedOauthScopes: 'Profile, Api, OfflineAccess',
            externalClientApplication: GUESS_APP,
            label: oauthName,
          }),
          source(
            'extlClntAppGlobalOauthSets',
            `${GUESS_APP}_glbloauth.ecaGlblOauth-meta.xml`,
            'ExtlClntAppGlobalOauthSettings',
            {
              callbackUrl: 'https://app.rensystems.com/api/salesforce/auth_callback',
              externalClientApplication: GUESS_APP,
              isConsumerSecretOptional: 'false',
              isPkceRequired: 'true',
              isSecretRequiredForRefreshToken: 'true',
              label: `${GUESS_APP}_glbloauth`,
              shouldRotateConsumerKey: 'false',
              shouldRotateConsumerSecret: 'false',
            },
          ),
        ]),
      );
      toClean.add(GUESS_APP);
      const run = await sfJson(['project', 'deploy', 'start', '--source-dir', 'force-app', '--wait', '15'], project);
      expect(run.code, run.body.message ?? run.stderr).to.equal(0);
      made.add(GUESS_APP);
    });

    it('Q3: Salesforce generates <app>_defaultPolicy and <oauthSettings>_defaultPolicy', async function () {
      if (!made.has(GUESS_APP)) this.skip();
      expect(await listed('ExtlClntAppConfigurablePolicies')).to.include(`${GUESS_APP}_defaultPolicy`);
      expect(await listed('ExtlClntAppOauthConfigurablePolicies')).to.include(`${oauthName}_defaultPolicy`);
    });

    it('Q3: the generated OAuth policies let everyone self-authorize, refresh tokens valid 365 days; scope aliases are stored folded', async function () {
      if (!made.has(GUESS_APP)) this.skip();
      const run = await sfJson(
        [
          'project',
          'retrieve',
          'start',
          '--metadata',
          `ExtlClntAppOauthConfigurablePolicies:${oauthName}_defaultPolicy`,
          '--metadata',
          `ExtlClntAppOauthSettings:${oauthName}`,
        ],
        project,
      );
      expect(run.code, run.body.message ?? run.stderr).to.equal(0);
      const read = (path: string): Record<string, string> => {
        const root = parseXml(readFileSync(join(project, 'force-app/main/default', path), 'utf8'));
        return Object.values(root).find((v) => typeof v === 'object') ?? {};
      };
      expect(read(`extlClntAppOauthPolicies/${oauthName}_defaultPolicy.ecaOauthPlcy-meta.xml`)).to.deep.include({
        permittedUsersPolicyType: 'AllSelfAuthorized',
        refreshTokenPolicyType: 'SpecificLifetime',
        refreshTokenValidityPeriod: '365',
        refreshTokenValidityUnit: 'Days',
        ipRelaxationPolicyType: 'Enforce',
      });
      expect(
        scopeSet(read(`extlClntAppOauthSettings/${oauthName}.ecaOauth-meta.xml`).commaSeparatedOauthScopes),
      ).to.deep.equal(['Api', 'Basic', 'RefreshToken']);
    });

    it('sf ren app create brings that app to the guide in place, without a second policy record; a re-run is unchanged', async function () {
      if (!made.has(GUESS_APP)) this.skip();
      const run = await create(GUESS_APP);
      ok(run);
      expect(run.body.result?.status).to.equal('updated');
      expect((run.body.result?.changes ?? []).map((c) => c.fullName)).to.include(`${oauthName}_defaultPolicy`);
      expect(
        (await listed('ExtlClntAppOauthConfigurablePolicies')).filter((n) => n.startsWith(GUESS_APP)),
      ).to.deep.equal([`${oauthName}_defaultPolicy`]);
      const again = await create(GUESS_APP);
      ok(again);
      expect(again.body.result?.status).to.equal('unchanged');
    });
  });

  describe('sf ren app delete', () => {
    for (const app of [APP, GUESS_APP]) {
      it(`deletes ${app.replace(/_[a-z0-9]+$/, '_…')} with everything that belongs to it; a second run finds it absent`, async function () {
        if (!made.has(app)) this.skip(); // never created: the after hook still makes sure
        const run = await sfJson(['ren', 'app', 'delete', '--app', app, '--no-prompt']);
        ok(run);
        expect(run.body.result?.status).to.equal('deleted');
        const again = await sfJson(['ren', 'app', 'delete', '--app', app, '--no-prompt']);
        ok(again);
        expect(again.body.result?.status).to.equal('absent');
        toClean.delete(app);
        expect(await listed('ExternalClientApplication')).to.not.include(app);
      });
    }
  });
});
