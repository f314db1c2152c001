import { expect } from 'chai';
import { MockTestOrgData, TestContext } from '@salesforce/core/testSetup';
import { SfError } from '@salesforce/core';
import { stubSfCommandUx } from '@salesforce/sf-plugins-core';
import RenConnect from '../../../../src/commands/ren/connect.js';

describe('sf ren connect (unit)', () => {
  const $$ = new TestContext();
  const testOrg = new MockTestOrgData();
  let requests: unknown[];
  // Org.create (behind Flags.requiredOrg) reads the Organization record on its own; every other request is ours.
  const ours = (): unknown[] => requests.filter((r) => !String((r as { url?: string }).url).endsWith('FROM%20Organization'));
  const savedToken = process.env.REN_API_TOKEN;

  beforeEach(async () => {
    await $$.stubAuths(testOrg);
    stubSfCommandUx($$.SANDBOX);
    requests = [];
    // These tests cover what is refused before the org is contacted: any request to it fails the test.
    $$.fakeConnectionRequest = (request) => {
      requests.push(request);
      return Promise.reject(new Error('no org calls expected'));
    };
  });

  afterEach(() => {
    $$.restore();
    if (savedToken === undefined) delete process.env.REN_API_TOKEN;
    else process.env.REN_API_TOKEN = savedToken;
  });

  const runExpectingError = async (args: string[]): Promise<SfError> => {
    try {
      await RenConnect.run(['--target-org', testOrg.username, ...args]);
    } catch (error) {
      return error as SfError;
    }
    expect.fail('the command should have failed');
  };

  it('needs a hand-off mode', async () => {
    const error = await runExpectingError([]);
    expect(error.name).to.equal('RenNoHandoffError');
    expect(ours()).to.deep.equal([]);
  });

  it('checks --login-url and --ren-url before anything else', async () => {
    const login = await runExpectingError(['--show-secret', '--no-prompt', '--login-url', 'https://acme.my.salesforce.com/path']);
    expect(login.name).to.equal('RenBadUrlError');
    expect(login.message).to.include('--login-url').and.include('without a path');
    process.env.REN_API_TOKEN = 'tok';
    const ren = await runExpectingError(['--ren-url', 'http://ren.example.com/x']);
    expect(ren.name).to.equal('RenBadUrlError');
    expect(ren.message).to.include('--ren-url').and.include('not https');
    expect(ours()).to.deep.equal([]);
  });

  it('--force needs --output-file, --rotate-key needs --rotate', async () => {
    expect((await runExpectingError(['--show-secret', '--force'])).message).to.match(/--output-file/);
    expect((await runExpectingError(['--show-secret', '--rotate-key'])).message).to.match(/--rotate/);
    expect(ours()).to.deep.equal([]);
  });
});
