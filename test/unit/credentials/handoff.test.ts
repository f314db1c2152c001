import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { SfError } from '@salesforce/core';
import {
  compareHandoffFile,
  deliverCredentials,
  postToRen,
  sweepTemporaryFiles,
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
    expect(await readdir(dir)).to.deep.equal(['ren.json']);
  });

  it('refuses to replace an existing file without force, and replaces it (0600 again) with it', async () => {
    const file = join(dir, 'ren.json');
    await writeFile(file, 'keep me', { mode: 0o644 });
    expect((await failure(writeHandoffFile(file, payload, false))).name).to.equal('RenOutputExistsError');
    expect(await readFile(file, 'utf8')).to.equal('keep me');
    expect(await readdir(dir)).to.deep.equal(['ren.json']);
    await writeHandoffFile(file, payload, true);
    expect(JSON.parse(await readFile(file, 'utf8'))).to.deep.equal(payload);
    expect((await stat(file)).mode & 0o777).to.equal(0o600);
  });

  it("removes the temporary copies a killed run left, keeps a live run's and other files'", async () => {
    const file = join(dir, 'ren.json');
    const dead = '.ren.json.999999.0123456789ab.tmp';
    const live = `.ren.json.${process.pid}.ba9876543210.tmp`;
    const otherFile = '.other.json.999999.0123456789ab.tmp';
    const notOurs = '.ren.json.999999.xyz.tmp';
    for (const name of [dead, live, otherFile, notOurs]) await writeFile(join(dir, name), 'S3CR3T', { mode: 0o600 });
    expect(await sweepTemporaryFiles(file)).to.deep.equal([join(dir, dead)]);
    expect((await readdir(dir)).sort()).to.deep.equal([live, otherFile, notOurs].sort());

    await writeFile(join(dir, dead), 'S3CR3T', { mode: 0o600 });
    await writeHandoffFile(file, payload, false);
    expect((await readdir(dir)).sort()).to.deep.equal([live, otherFile, notOurs, 'ren.json'].sort());
  });

  it('compares an existing file with the pair the org has, naming the fields that differ, never their values', async () => {
    const file = join(dir, 'ren.json');
    expect(await compareHandoffFile(file, payload)).to.equal(undefined);
    expect(await compareHandoffFile(dir, payload)).to.equal(undefined);
    await writeHandoffFile(file, payload, false);
    expect(await compareHandoffFile(file, payload)).to.deep.equal([]);
    const rotated = { ...payload, consumerKey: '3MVGnew', consumerSecret: 'N3W-S3CR3T' };
    const differences = await compareHandoffFile(file, rotated);
    expect(differences).to.have.members(['consumerKey', 'consumerSecret']);
    expect(JSON.stringify(differences)).to.not.include('S3CR3T').and.not.include('3MVG');
    await writeFile(file, 'not a hand-off');
    expect(await compareHandoffFile(file, payload)).to.have.members([
      'orgId',
      'loginUrl',
      'consumerKey',
      'consumerSecret',
    ]);
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

  it('refuses a redirect (it could carry the credentials elsewhere), once', async () => {
    ren.answer([307]);
    const error = await failure(postToRen(`${ren.url}?sig=abc`, payload, 'tok', { baseDelayMs: 1 }));
    expect(error.name).to.equal('RenHandoffRejectedError');
    expect(error.message).to.include('307').and.include('redirect').and.not.include('sig=abc');
    expect(ren.received).to.have.length(1);
  });

  it('retries when nothing answers, then reports it', async () => {
    const error = await failure(postToRen('http://127.0.0.1:9/x', payload, 'tok', { attempts: 2, baseDelayMs: 1 }));
    expect(error.name).to.equal('RenHandoffUnavailableError');
    expect(error.message).to.include('2 attempts');
  });

  it('hands off to every target given, the file first, and says where it went (never the query)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ren-handoff-'));
    const file = join(dir, 'ren.json');
    const delivered = await deliverCredentials(payload, {
      file,
      force: false,
      renUrl: `${ren.url}?sig=abc`,
      token: 'tok',
    });
    expect(delivered).to.deep.equal([file, ren.url]);
    expect(JSON.parse(await readFile(file, 'utf8'))).to.deep.equal(payload);
    expect(ren.received).to.have.length(1);
    expect(ren.received[0].path).to.equal('/api/salesforce/credentials?sig=abc');
    expect(await deliverCredentials(payload, { force: false })).to.deep.equal([]);
    expect(ren.received).to.have.length(1);
  });

  it('runs the program after the file and before Ren; the ids go to the program only, and a failing program stops Ren', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ren-handoff-'));
    const file = join(dir, 'ren.json');
    const seen = join(dir, 'seen.json');
    // The program records its stdin, and whether the file existed and Ren had been called when it ran.
    const script = join(dir, 'store.mjs');
    await writeFile(
      script,
      `import { existsSync, readFileSync, writeFileSync } from 'node:fs';
const input = readFileSync(0, 'utf8');
writeFileSync(${JSON.stringify(seen)}, JSON.stringify({ input, fileFirst: existsSync(${JSON.stringify(file)}) }));
process.exit(Number(process.argv[2]));`,
    );
    const withIds = { ...payload, appId: '0xI000000000001', consumerId: '0Oo000000000001' };
    const command = (code: number) => ({
      argv: [process.execPath, script, String(code)],
      format: 'aws' as const,
      org: 'o',
    });
    const delivered = await deliverCredentials(withIds, {
      file,
      force: false,
      command: command(0),
      renUrl: ren.url,
      token: 'tok',
    });
    expect(delivered).to.deep.equal([file, `command: ${process.execPath} ${script} 0`, ren.url]);
    const got = JSON.parse(await readFile(seen, 'utf8')) as { input: string; fileFirst: boolean };
    expect(got.fileFirst).to.equal(true);
    expect(JSON.parse(got.input)).to.include({ appId: '0xI000000000001', consumerId: '0Oo000000000001' });
    // Ren's payload (the file and the POST) stays as it was: no ids.
    expect(JSON.parse(await readFile(file, 'utf8'))).to.deep.equal(payload);
    expect(ren.received.map((r) => r.body)).to.deep.equal([payload]);
    const error = await failure(
      deliverCredentials(withIds, { file, force: true, command: command(4), renUrl: ren.url, token: 'tok' }),
    );
    expect(error.name).to.equal('RenHandoffCommandFailedError');
    expect(error.message).to.include('exited with code 4');
    expect(ren.received).to.have.length(1);
  });

  it('a Ren URL without a token is RenTokenMissingError, before anything is written or sent', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ren-handoff-'));
    const file = join(dir, 'ren.json');
    for (const token of [undefined, '']) {
      const error = await failure(deliverCredentials(payload, { file, force: false, renUrl: ren.url, token }));
      expect(error.name).to.equal('RenTokenMissingError');
    }
    expect(await readdir(dir)).to.deep.equal([]);
    expect(ren.received).to.have.length(0);
  });
});
