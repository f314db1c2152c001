import { expect } from 'chai';
import type { SfError } from '@salesforce/core';
import { useOfflineOrg } from '../offlineOrg.js';
import RenConnect from '../../../../src/commands/ren/connect.js';

describe('sf ren connect (unit)', () => {
  const { ours, runExpectingError: failing } = useOfflineOrg();
  const runExpectingError = (args: string[]): Promise<SfError> => failing(RenConnect, args);
  const savedToken = process.env.REN_API_TOKEN;
  afterEach(() => {
    if (savedToken === undefined) delete process.env.REN_API_TOKEN;
    else process.env.REN_API_TOKEN = savedToken;
  });

  it('needs a hand-off mode', async () => {
    const error = await runExpectingError([]);
    expect(error.name).to.equal('RenNoHandoffError');
    expect(ours()).to.deep.equal([]);
  });

  it('checks --login-url and --ren-url before anything else', async () => {
    const login = await runExpectingError([
      '--show-secret',
      '--no-prompt',
      '--login-url',
      'https://acme.my.salesforce.com/path',
    ]);
    expect(login.name).to.equal('RenBadUrlError');
    expect(login.message).to.include('--login-url').and.include('without a path');
    process.env.REN_API_TOKEN = 'tok';
    const ren = await runExpectingError(['--ren-url', 'http://ren.example.com/x']);
    expect(ren.name).to.equal('RenBadUrlError');
    expect(ren.message).to.include('--ren-url').and.include('must use https');
    expect(ours()).to.deep.equal([]);
  });

  it('checks --handoff-command before the org is contacted; --handoff-format needs it', async () => {
    const unbalanced = await runExpectingError(['--handoff-command', 'vault kv put "secret/ren -']);
    expect(unbalanced.name).to.equal('RenHandoffCommandInvalidError');
    expect(unbalanced.message).to.include('never closed');
    const missing = await runExpectingError(['--handoff-command', 'no-such-program-ren-test put']);
    expect(missing.name).to.equal('RenHandoffProgramNotFoundError');
    expect((await runExpectingError(['--output-file', 'x.json', '--handoff-format', 'aws'])).message).to.match(
      /--handoff-command/,
    );
    expect((await runExpectingError(['--handoff-command', 'x', '--handoff-format', 'yaml'])).message).to.include(
      'ren, aws, env',
    );
    expect(ours()).to.deep.equal([]);
  });

  it('--force needs --output-file', async () => {
    expect((await runExpectingError(['--show-secret', '--force'])).message).to.match(/--output-file/);
    expect(ours()).to.deep.equal([]);
  });
});
