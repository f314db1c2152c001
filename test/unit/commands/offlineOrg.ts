/**
 * For command tests of what a command checks before it contacts the org: a stubbed org (TestContext) that
 * records every request and refuses it. `ours()` leaves out the Organization query Org.create makes on its own
 * (behind Flags.requiredOrg), so an empty list proves the command sent nothing.
 */
import { expect } from 'chai';
import { MockTestOrgData, TestContext } from '@salesforce/core/testSetup';
import type { SfError } from '@salesforce/core';
import { stubSfCommandUx } from '@salesforce/sf-plugins-core';

type Runnable = { run(argv: string[]): Promise<unknown> };

export type OfflineOrg = {
  $$: TestContext;
  testOrg: MockTestOrgData;
  ours: () => unknown[];
  /** Runs the command against the test org and returns the error it must throw. */
  runExpectingError: (command: Runnable, args: string[]) => Promise<SfError>;
};

export function useOfflineOrg(): OfflineOrg {
  const $$ = new TestContext();
  const testOrg = new MockTestOrgData();
  let requests: unknown[] = [];
  beforeEach(async () => {
    await $$.stubAuths(testOrg);
    stubSfCommandUx($$.SANDBOX);
    requests = [];
    $$.fakeConnectionRequest = (request) => {
      requests.push(request);
      return Promise.reject(new Error('no org calls expected'));
    };
  });
  afterEach(() => $$.restore());
  return {
    $$,
    testOrg,
    ours: () => requests.filter((r) => !String((r as { url?: string }).url).endsWith('FROM%20Organization')),
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
