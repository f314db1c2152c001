import { PassThrough } from 'node:stream';
import { expect } from 'chai';
import sinon from 'sinon';
import type { Connection, SfError } from '@salesforce/core';
import { readSecretAccess, withSecretAccess } from '../../../src/credentials/secretAccess.js';
import { secretReadError } from '../../../src/credentials/consumer.js';
import { renToken, TOKEN_ENV } from '../../../src/credentials/token.js';

function fakeOrg(initial: boolean | undefined, failWrites = 0) {
  const state = { value: initial, writes: [] as boolean[], failWrites };
  const conn = {
    metadata: {
      read: async () =>
        state.value === undefined
          ? {}
          : { fullName: 'ExternalClientApp', enableClientSecretInRestApiAccess: String(state.value) },
      update: async (_type: string, record: { enableClientSecretInRestApiAccess: boolean }) => {
        if (state.failWrites > 0 && state.writes.length > 0) {
          state.failWrites--;
          return { success: 'false', errors: { message: 'UNKNOWN_EXCEPTION: boom' } };
        }
        state.writes.push(record.enableClientSecretInRestApiAccess);
        state.value = record.enableClientSecretInRestApiAccess;
        return { success: 'true', fullName: 'ExternalClientApp' };
      },
    },
  } as unknown as Connection;
  return { conn, state };
}

describe('the org setting for reading secrets', () => {
  it('reads the setting, or undefined when the org does not say', async () => {
    expect(await readSecretAccess(fakeOrg(true).conn)).to.equal(true);
    expect(await readSecretAccess(fakeOrg(false).conn)).to.equal(false);
    expect(await readSecretAccess(fakeOrg(undefined).conn)).to.equal(undefined);
  });

  it('opens the setting for the read only, and puts it back', async () => {
    const { conn, state } = fakeOrg(false);
    const seen = await withSecretAccess(conn, { allow: true, before: false }, async (window) => {
      expect(state.value).to.equal(true);
      return window;
    });
    expect(seen).to.deep.equal({ before: false, opened: true });
    expect(state.writes).to.deep.equal([true, false]);
  });

  it("puts it back when the read fails, and passes the read's error on", async () => {
    const { conn, state } = fakeOrg(false);
    const error = await withSecretAccess(conn, { allow: true, before: false }, async () => {
      throw new Error('read failed');
    }).catch((e: Error) => e);
    expect(error.message).to.equal('read failed');
    expect(state.value).to.equal(false);
  });

  it('never touches a setting that is on, or one it was not allowed to open', async () => {
    for (const [before, allow] of [
      [true, true],
      [false, false],
    ] as const) {
      const { conn, state } = fakeOrg(before);
      // eslint-disable-next-line no-await-in-loop
      await withSecretAccess(conn, { allow, before }, async () => 'read');
      expect(state.writes).to.deep.equal([]);
    }
  });

  it('says loudly, with the Setup page, when it cannot put the setting back', async () => {
    const { conn, state } = fakeOrg(false, 5);
    const error = (await withSecretAccess(conn, { allow: true, before: false }, async () => 'read').catch(
      (e: SfError) => e,
    )) as SfError;
    expect(error.name).to.equal('RenSecretAccessRestoreError');
    expect(error.message).to.match(/NOT PUT BACK/);
    expect(error.actions?.join(' ')).to.include('External Client App Settings');
    expect(state.value).to.equal(true);
  });

  it('names the setting or the missing permissions when the org refuses the secret', () => {
    const off = Object.assign(new Error('Access to consumer secrets through the REST API is not currently enabled'), {
      errorCode: 'FUNCTIONALITY_NOT_ENABLED',
    });
    expect(secretReadError(off, [])?.name).to.equal('RenSecretAccessOffError');
    const denied = Object.assign(new Error('no'), { errorCode: 'INSUFFICIENT_ACCESS' });
    const error = secretReadError(denied, ['"View Client Secret" (ViewClientSecret)']);
    expect(error?.name).to.equal('RenSecretPermissionError');
    expect(error?.message).to.include('View Client Secret');
    expect(secretReadError(new Error('something else'), [])).to.equal(undefined);
  });
});

describe('Ren API token', () => {
  const saved = process.env[TOKEN_ENV];
  afterEach(() => {
    if (saved === undefined) delete process.env[TOKEN_ENV];
    else process.env[TOKEN_ENV] = saved;
  });
  const pipe = (text: string) => {
    const stream = new PassThrough();
    stream.end(text);
    return stream as unknown as NodeJS.ReadStream;
  };
  const noPrompt = async () => expect.fail('no prompt expected');

  it('comes from REN_API_TOKEN first, else from stdin', async () => {
    process.env[TOKEN_ENV] = ' env-token ';
    expect(await renToken(noPrompt, pipe('stdin-token'))).to.equal('env-token');
    delete process.env[TOKEN_ENV];
    expect(await renToken(noPrompt, pipe('stdin-token\n'))).to.equal('stdin-token');
  });

  it('is required, and one word', async () => {
    delete process.env[TOKEN_ENV];
    expect(((await renToken(noPrompt, pipe('')).catch((e: SfError) => e)) as SfError).name).to.equal(
      'RenTokenMissingError',
    );
    expect(((await renToken(noPrompt, pipe('a b')).catch((e: SfError) => e)) as SfError).name).to.equal(
      'RenTokenInvalidError',
    );
  });
});

describe('the org setting window and signals', () => {
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  let saved: Array<{ signal: string; listeners: Array<(...args: unknown[]) => void> }>;
  let exit: sinon.SinonStub;
  let stderr: sinon.SinonStub;

  beforeEach(() => {
    saved = signals.map((signal) => ({
      signal,
      listeners: process.listeners(signal) as Array<(...args: unknown[]) => void>,
    }));
    exit = sinon.stub(process, 'exit');
    stderr = sinon.stub(process.stderr, 'write');
  });
  afterEach(() => {
    exit.restore();
    stderr.restore();
    for (const { signal, listeners } of saved) {
      process.removeAllListeners(signal);
      for (const listener of listeners) process.on(signal, listener);
    }
  });

  /** Resolves once `condition` holds, checking after each turn of the event loop. */
  const until = async (condition: () => boolean): Promise<void> => {
    while (!condition()) {
      // eslint-disable-next-line no-await-in-loop
      await new Promise((resolve) => setImmediate(resolve));
    }
  };

  it("sets sf's own signal handlers aside while the setting is open, and gives them back after", async () => {
    const sfHandler = sinon.fake();
    process.on('SIGTERM', sfHandler);
    const { conn } = fakeOrg(false);
    let during: unknown[] = [];
    await withSecretAccess(conn, { allow: true, before: false }, async () => {
      during = process.listeners('SIGTERM');
      return 'read';
    });
    expect(during).to.have.length(1);
    expect(during).to.not.include(sfHandler);
    expect(process.listeners('SIGTERM')).to.include(sfHandler);
    expect(exit.called).to.equal(false);
  });

  it('on SIGTERM during the read: puts the setting back, says so, exits 143, and never goes on', async () => {
    const { conn, state } = fakeOrg(false);
    let finishRead: (value: string) => void = () => {};
    let settled = false;
    void withSecretAccess(
      conn,
      { allow: true, before: false },
      () => new Promise<string>((resolve) => (finishRead = resolve)),
    ).then(
      () => (settled = true),
      () => (settled = true),
    );
    await until(() => state.value === true);
    process.emit('SIGTERM');
    await until(() => exit.called);
    expect(exit.firstCall.args[0]).to.equal(143);
    expect(state.writes).to.deep.equal([true, false]);
    expect(stderr.args.map((a) => String(a[0])).join('')).to.include('put back to off');
    finishRead('read');
    for (let i = 0; i < 5; i++) {
      // eslint-disable-next-line no-await-in-loop
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(settled).to.equal(false);
  });

  it('a second signal while putting it back changes nothing', async () => {
    const { conn, state } = fakeOrg(false);
    void withSecretAccess(conn, { allow: true, before: false }, () => new Promise<string>(() => {}));
    await until(() => state.value === true);
    process.emit('SIGINT');
    process.emit('SIGINT');
    await until(() => exit.called);
    expect(exit.callCount).to.equal(1);
    expect(exit.firstCall.args[0]).to.equal(130);
    expect(state.writes).to.deep.equal([true, false]);
  });

  it('when the setting cannot be turned on: RenSecretAccessOpenError, the read never runs', async () => {
    const conn = {
      metadata: {
        update: async () => ({ success: 'false', errors: { message: 'INSUFFICIENT_ACCESS: no' } }),
      },
    } as unknown as Connection;
    const read = sinon.fake.resolves('read');
    const error = (await withSecretAccess(conn, { allow: true, before: false }, read).catch(
      (e: SfError) => e,
    )) as SfError;
    expect(error.name).to.equal('RenSecretAccessOpenError');
    expect(error.message).to.include('INSUFFICIENT_ACCESS');
    expect(read.called).to.equal(false);
  });
});
