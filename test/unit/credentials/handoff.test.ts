import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { SfError } from '@salesforce/core';
import {
  checkOutputFile,
  handOff,
  postToRen,
  renUrlProblem,
  writeHandoffFile,
} from '../../../src/credentials/handoff.js';
import { startRenReceiver, type RenReceiver } from '../../e2e/renReceiver.js';

const payload = {
  loginUrl: 'https://acme.my.salesforce.com',
  consumerKey: '3MVGkey',
  consumerSecret: 'S3CR3T-value',
  orgId: '00D000000000001',
};
const failure = async (work: Promise<unknown>): Promise<SfError> =>
  work.then(
    () => expect.fail('should have failed'),
    (error: SfError) => error,
  );

describe('hand-off to a file', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ren-handoff-'));
  });

  it('writes the JSON with mode 0600 and leaves no temporary file behind', async () => {
    const file = await writeHandoffFile(join(dir, 'ren.json'), payload, false);
    expect(JSON.parse(await readFile(file, 'utf8'))).to.deep.equal(payload);
    expect((await stat(file)).mode & 0o777).to.equal(0o600);
    const { readdir } = await import('node:fs/promises');
    expect(await readdir(dir)).to.deep.equal(['ren.json']);
  });

  it('refuses to replace an existing file without force, and replaces it (0600 again) with it', async () => {
    const file = join(dir, 'ren.json');
    await writeFile(file, 'keep me', { mode: 0o644 });
    expect((await failure(writeHandoffFile(file, payload, false))).name).to.equal('RenOutputExistsError');
    expect(await readFile(file, 'utf8')).to.equal('keep me');
    await writeHandoffFile(file, payload, true);
    expect(JSON.parse(await readFile(file, 'utf8'))).to.deep.equal(payload);
    expect((await stat(file)).mode & 0o777).to.equal(0o600);
  });

  it('says clearly when the folder does not exist or the path is a folder', async () => {
    const missing = await failure(checkOutputFile(join(dir, 'nope', 'ren.json'), false));
    expect(missing.name).to.equal('RenOutputDirMissingError');
    expect(missing.actions?.join(' ')).to.include('mkdir -p');
    expect((await failure(checkOutputFile(dir, true))).name).to.equal('RenOutputIsDirectoryError');
  });
});

describe('hand-off to Ren over HTTPS', () => {
  let ren: RenReceiver;
  before(async () => {
    ren = await startRenReceiver();
  });
  after(async () => ren.close());
  beforeEach(() => {
    ren.received.length = 0;
    ren.answer([]);
  });

  it('allows https anywhere and http only to this machine', () => {
    expect(renUrlProblem('https://app.rensystems.com/api/x')).to.equal(undefined);
    expect(renUrlProblem('http://127.0.0.1:8080/x')).to.equal(undefined);
    expect(renUrlProblem('http://localhost/x')).to.equal(undefined);
    expect(renUrlProblem('http://app.rensystems.com/x')).to.match(/not https/);
    expect(renUrlProblem('ftp://app.rensystems.com/x')).to.match(/not https/);
    expect(renUrlProblem('https://user:pw@app.rensystems.com/x')).to.match(/user name or password/);
    expect(renUrlProblem('not a url')).to.match(/not a URL/);
  });

  it('POSTs the payload with the bearer token', async () => {
    expect(await postToRen(ren.url, payload, 'tok-123')).to.equal(200);
    expect(ren.received).to.have.length(1);
    expect(ren.received[0]).to.deep.include({ method: 'POST', path: '/api/salesforce/credentials', body: payload });
    expect(ren.received[0].headers.authorization).to.equal('Bearer tok-123');
  });

  it('retries a 5xx with backoff, then succeeds', async () => {
    ren.answer([503, 502]);
    expect(await postToRen(ren.url, payload, 'tok', { baseDelayMs: 1 })).to.equal(200);
    expect(ren.received).to.have.length(3);
  });

  it('gives up after the last attempt on 5xx, and on a 4xx at once, showing the status but never the token', async () => {
    ren.answer([500, 500, 500]);
    const down = await failure(postToRen(ren.url, payload, 'tok-secret', { attempts: 3, baseDelayMs: 1 }));
    expect(down.name).to.equal('RenHandoffUnavailableError');
    expect(ren.received).to.have.length(3);
    ren.received.length = 0;
    ren.answer([401]);
    const refused = await failure(postToRen(ren.url, payload, 'tok-secret', { baseDelayMs: 1 }));
    expect(refused.name).to.equal('RenHandoffRejectedError');
    expect(refused.message).to.include('401');
    expect(ren.received).to.have.length(1);
    for (const error of [down, refused]) {
      expect(`${error.message} ${error.actions?.join(' ') ?? ''}`)
        .not.to.include('tok-secret')
        .and.not.include('S3CR3T');
    }
  });

  it('retries when nothing answers, then reports it', async () => {
    const error = await failure(postToRen('http://127.0.0.1:9/x', payload, 'tok', { attempts: 2, baseDelayMs: 1 }));
    expect(error.name).to.equal('RenHandoffUnavailableError');
    expect(error.message).to.include('2 attempts');
  });

  it('hands off to every target given, the file first, and says where it went', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ren-handoff-'));
    const file = join(dir, 'ren.json');
    expect(await handOff({ outputFile: file, force: false, renUrl: ren.url, token: 'tok' }, payload)).to.deep.equal([
      file,
      ren.url,
    ]);
    expect(JSON.parse(await readFile(file, 'utf8'))).to.deep.equal(payload);
    expect(ren.received).to.have.length(1);
    expect(await handOff({ force: false }, payload)).to.deep.equal([]);
    expect(ren.received).to.have.length(1);
  });
});
