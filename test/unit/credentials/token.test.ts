import { PassThrough } from 'node:stream';
import { expect } from 'chai';
import type { SfError } from '@salesforce/core';
import { checkToken, MAX_TOKEN_BYTES, renToken, TOKEN_ENV } from '../../../src/credentials/token.js';

/** A piped stdin holding `text`, ended. */
const piped = (text: string): NodeJS.ReadStream => {
  const stream = new PassThrough();
  stream.end(text);
  return stream as unknown as NodeJS.ReadStream;
};
/** A piped stdin that never ends. */
const open = (text = ''): NodeJS.ReadStream => {
  const stream = new PassThrough();
  if (text) stream.write(text);
  return stream as unknown as NodeJS.ReadStream;
};
const terminal = (): NodeJS.ReadStream =>
  Object.assign(new PassThrough(), { isTTY: true }) as unknown as NodeJS.ReadStream;

const noPrompt = async (): Promise<string> => expect.fail('no prompt expected');
const failure = async (work: Promise<unknown>): Promise<SfError> =>
  work.then(
    () => expect.fail('should have failed'),
    (error: SfError) => error,
  );

describe("Ren's API token", () => {
  const saved = process.env[TOKEN_ENV];
  beforeEach(() => delete process.env[TOKEN_ENV]);
  after(() => {
    if (saved === undefined) delete process.env[TOKEN_ENV];
    else process.env[TOKEN_ENV] = saved;
  });

  it('comes from REN_API_TOKEN first (trimmed), else from stdin', async () => {
    process.env[TOKEN_ENV] = ' env-token \n';
    expect(await renToken(noPrompt, piped('stdin-token'))).to.equal('env-token');
    process.env[TOKEN_ENV] = '   ';
    expect(await renToken(noPrompt, piped('stdin-token\r\n'))).to.equal('stdin-token');
    delete process.env[TOKEN_ENV];
    expect(await renToken(noPrompt, piped('stdin-token\n'))).to.equal('stdin-token');
  });

  it('is asked for, hidden, on a terminal', async () => {
    expect(await renToken(async () => ' typed-token ', terminal())).to.equal('typed-token');
    expect((await failure(renToken(async () => '', terminal()))).name).to.equal('RenTokenMissingError');
  });

  it('is required', async () => {
    const error = await failure(renToken(noPrompt, piped('')));
    expect(error.name).to.equal('RenTokenMissingError');
    expect(`${error.message} ${error.actions?.join(' ') ?? ''}`).to.include(TOKEN_ENV);
  });

  it('is one line without spaces, from the environment as from stdin', async () => {
    for (const bad of ['a b', 'ab\ncd', 'ab\r\ncd', 'ab\rcd', 'ab\tcd']) {
      process.env[TOKEN_ENV] = bad;
      const fromEnv = await failure(renToken(noPrompt, piped('good')));
      expect(fromEnv.name, JSON.stringify(bad)).to.equal('RenTokenInvalidError');
      expect(fromEnv.message).to.include(TOKEN_ENV).and.not.include(bad);
      delete process.env[TOKEN_ENV];
      const fromStdin = await failure(renToken(noPrompt, piped(bad)));
      expect(fromStdin.name, JSON.stringify(bad)).to.equal('RenTokenInvalidError');
      expect(fromStdin.message).to.include('stdin');
    }
  });

  it('is at most 8 KiB, from the environment as from stdin', async () => {
    expect(MAX_TOKEN_BYTES).to.equal(8192);
    const largest = 'x'.repeat(MAX_TOKEN_BYTES);
    const tooLarge = `${largest}x`;
    expect(checkToken(largest, TOKEN_ENV)).to.equal(largest);
    process.env[TOKEN_ENV] = tooLarge;
    expect((await failure(renToken(noPrompt, piped('good')))).name).to.equal('RenTokenInvalidError');
    delete process.env[TOKEN_ENV];
    expect(await renToken(noPrompt, piped(largest))).to.equal(largest);
    expect((await failure(renToken(noPrompt, piped(tooLarge)))).name).to.equal('RenTokenInvalidError');
    // Far more than the cap on a stdin that never ends: refused as soon as the cap is passed, not at the timeout.
    const flood = open('y'.repeat(4 * MAX_TOKEN_BYTES));
    expect((await failure(renToken(noPrompt, flood, 60_000))).name).to.equal('RenTokenInvalidError');
  });

  it('the largest token is accepted from stdin with the newline that ends it', async () => {
    const largest = 'x'.repeat(MAX_TOKEN_BYTES);
    expect(await renToken(noPrompt, piped(`${largest}\n`))).to.equal(largest);
  });

  it('a stdin that never ends: RenTokenStdinTimeoutError, naming the variable to use instead', async () => {
    const error = await failure(renToken(noPrompt, open('partial'), 30));
    expect(error.name).to.equal('RenTokenStdinTimeoutError');
    expect(error.message).to.include('0.03 seconds');
    expect(error.actions?.join(' ')).to.include(TOKEN_ENV);
  });
});
