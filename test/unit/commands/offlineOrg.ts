/**
 * For command tests of what a command checks before it contacts the org: a stubbed org (TestContext) that
 * records every request and refuses it. `ours()` leaves out the Organization query Org.create makes on its own
 * (behind Flags.requiredOrg), so an empty list proves the command sent nothing. The command's output and questions
 * are stubbed (stubSfCommandUx, stubPrompter: no answer unless a test gives one); the exit code is cleared after
 * each test.
 */
import { expect } from 'chai';
import { MockTestOrgData, TestContext } from '@salesforce/core/testSetup';
import type { SfError } from '@salesforce/core';
import { stubPrompter, stubSfCommandUx } from '@salesforce/sf-plugins-core';
import { useWideTables } from './terminal.js';

type Runnable = { run(argv: string[]): Promise<unknown> };

export type OfflineOrg = {
  $$: TestContext;
  testOrg: MockTestOrgData;
  ours: () => unknown[];
  readonly ux: ReturnType<typeof stubSfCommandUx>;
  readonly prompter: ReturnType<typeof stubPrompter>;
  /** Runs the command against the test org and returns the error it must throw. */
  runExpectingError: (command: Runnable, args: string[]) => Promise<SfError>;
};

export function useOfflineOrg(): OfflineOrg {
  const $$ = new TestContext();
  const testOrg = new MockTestOrgData();
  let requests: unknown[] = [];
  let ux: ReturnType<typeof stubSfCommandUx> | undefined;
  let prompter: ReturnType<typeof stubPrompter> | undefined;
  beforeEach(async () => {
    await $$.stubAuths(testOrg);
    ux = stubSfCommandUx($$.SANDBOX);
    prompter = stubPrompter($$.SANDBOX);
    requests = [];
    $$.fakeConnectionRequest = (request) => {
      requests.push(request);
      return Promise.reject(new Error('no org calls expected'));
    };
  });
  afterEach(() => {
    $$.restore();
    process.exitCode = undefined;
  });
  useWideTables();
  return {
    $$,
    testOrg,
    ours: () => requests.filter((r) => !String((r as { url?: string }).url).endsWith('FROM%20Organization')),
    get ux(): ReturnType<typeof stubSfCommandUx> {
      if (!ux) throw new Error('useOfflineOrg: read ux in tests');
      return ux;
    },
    get prompter(): ReturnType<typeof stubPrompter> {
      if (!prompter) throw new Error('useOfflineOrg: read prompter in tests');
      return prompter;
    },
    runExpectingError: async (command, args) => {
      try {
        await command.run(['--target-org', testOrg.username, ...args]);
      } catch (error) {
        return error as SfError;
      }
      expect.fail('the command should have failed');
    },
  };
}
