/**
 * For command tests that need a real org: the command runs in this process (`Cmd.run([...])`) against the project's
 * org emulator. The org is a TestContext org (`$$.stubAuths`, as the official plugins' tests have it) whose instance
 * URL and access token are the emulator's; TestContext's stand-in for Connection.request is taken away again
 * (SANDBOXES.CONNECTION), so REST goes to the emulator as the Metadata API's SOAP calls do anyway (jsforce sends
 * those past Connection.request). The emulator's request log then says what the command sent.
 *
 * A second login, `expiredOrg`, points at the same emulator with a session the org no longer accepts (and a refresh
 * token it never issued): a run over several orgs where one fails. Its org id differs, so it counts as another org.
 *
 * The progress display (@oclif/multi-stage-output) redraws with ink many times a second unless it runs in its CI mode,
 * and drawing in this process starves the emulator that answers the command in the same process (a run takes ten
 * times longer). So the display is loaded in CI mode (plain lines): CI is set only while its module loads, which is
 * when it reads it, and never reaches the sf child processes of other suites.
 *
 * Each test starts from `seed()`, with HOME in a temp directory (pending restores live under ~/.sf), the command's
 * output stubbed (stubSfCommandUx), its questions stubbed (stubPrompter: no answer unless a test gives one) and the
 * exit code cleared afterwards.
 */
import { expect } from 'chai';
import type { SfError } from '@salesforce/core';
import { MockTestOrgData, TestContext } from '@salesforce/core/testSetup';
import { stubPrompter, stubSfCommandUx } from '@salesforce/sf-plugins-core';
import type { Emulator, OrgSeed, RequestLogEntry } from '../../emulator/index.js';
import { startTestEmulator, useTempHome } from '../../emulator/test/helpers.js';
import { useWideTables } from './terminal.js';

type Runnable = { run(argv: string[]): Promise<unknown> };

/** The Metadata API calls that change an org. */
const SOAP_WRITES = new Set(['deploy', 'createMetadata', 'updateMetadata', 'upsertMetadata', 'deleteMetadata']);

export type EmulatorOrg = {
  $$: TestContext;
  testOrg: MockTestOrgData;
  /** Logged in, but its session has expired: every call fails with INVALID_SESSION_ID. */
  expiredOrg: MockTestOrgData;
  readonly emulator: Emulator;
  readonly ux: ReturnType<typeof stubSfCommandUx>;
  readonly prompter: ReturnType<typeof stubPrompter>;
  /** The arguments with `--target-org <the emulator's org>` first: `Cmd.run(org.argv('--json'))`. */
  argv: (...args: string[]) => string[];
  /** Runs it and returns the error it must throw. */
  runExpectingError: (command: Runnable, args: string[]) => Promise<SfError>;
  /** The requests that changed the org: Metadata API writes and deploys, REST writes. */
  writes: () => RequestLogEntry[];
  /** Every line the command logged (log and logSuccess), in order. */
  logged: () => string[];
};

async function loadProgressDisplayInCiMode(): Promise<void> {
  const saved = process.env.CI;
  process.env.CI = 'true';
  try {
    await import('@oclif/multi-stage-output');
  } finally {
    if (saved === undefined) delete process.env.CI;
    else process.env.CI = saved;
  }
}

export function useEmulatorOrg(seed: () => OrgSeed): EmulatorOrg {
  useTempHome();
  const $$ = new TestContext();
  const testOrg = new MockTestOrgData();
  const expiredOrg = new MockTestOrgData();
  let emulator: Emulator | undefined;
  let ux: ReturnType<typeof stubSfCommandUx> | undefined;
  let prompter: ReturnType<typeof stubPrompter> | undefined;
  before(async () => {
    await loadProgressDisplayInCiMode();
    emulator = await startTestEmulator(seed());
  });
  after(async () => emulator?.close());
  beforeEach(async () => {
    const org = fixture.emulator;
    org.reset(seed());
    org.requests.length = 0;
    testOrg.instanceUrl = org.url;
    testOrg.loginUrl = org.url;
    testOrg.accessToken = org.accessToken;
    testOrg.orgId = org.org.organization.Id;
    testOrg.username = org.org.sessionUser.Username;
    expiredOrg.instanceUrl = org.url;
    expiredOrg.loginUrl = org.url;
    expiredOrg.accessToken = `${org.org.organization.Id}!expired`;
    await $$.stubAuths(testOrg, expiredOrg);
    $$.SANDBOXES.CONNECTION.restore();
    ux = stubSfCommandUx($$.SANDBOX);
    prompter = stubPrompter($$.SANDBOX);
  });
  afterEach(() => {
    $$.restore();
    process.exitCode = undefined;
  });
  useWideTables();
  const fixture: EmulatorOrg = {
    $$,
    testOrg,
    expiredOrg,
    get emulator(): Emulator {
      if (!emulator) throw new Error('useEmulatorOrg: the emulator starts in a before hook; read it in tests');
      return emulator;
    },
    get ux(): ReturnType<typeof stubSfCommandUx> {
      if (!ux) throw new Error('useEmulatorOrg: read ux in tests');
      return ux;
    },
    get prompter(): ReturnType<typeof stubPrompter> {
      if (!prompter) throw new Error('useEmulatorOrg: read prompter in tests');
      return prompter;
    },
    argv: (...args) => ['--target-org', testOrg.username, ...args],
    runExpectingError: async (command, args) => {
      try {
        await command.run(['--target-org', testOrg.username, ...args]);
      } catch (error) {
        return error as SfError;
      }
      expect.fail('the command should have failed');
    },
    writes: () =>
      fixture.emulator.requests.filter((r) =>
        r.soapMethod ? SOAP_WRITES.has(r.soapMethod) : r.method !== 'GET' && r.path.includes('/sobjects/'),
      ),
    logged: () =>
      [...fixture.ux.log.getCalls(), ...fixture.ux.logSuccess.getCalls()]
        .sort((a, b) => (a.calledBefore(b) ? -1 : 1))
        .map((call) => String(call.args[0])),
  };
  return fixture;
}
