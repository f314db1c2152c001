import { expect } from 'chai';
import type { Config, Hook } from '@oclif/core';
import hook from '../../../src/hooks/init.js';
import { setGuardHooksForTest } from '../../../src/shared/interruptGuard.js';

type InitOptions = Parameters<Hook<'init'>>[0];

/** Runs the init hook as oclif would for a command id and its arguments. */
async function runHook(id: string, argv: string[]): Promise<void> {
  const options = { id, argv, config: {} as Config, context: {} } as unknown as InitOptions;
  await hook.call({} as Hook.Context, options);
}

describe('init hook', () => {
  let reset: () => void;
  beforeEach(() => {
    reset = setGuardHooksForTest({});
  });
  afterEach(() => reset());

  it('listens for signals during a ren command', async () => {
    const before = process.listenerCount('SIGINT');
    await runHook('ren:app:status', ['--target-org', 'acme']);
    expect(process.listenerCount('SIGINT')).to.equal(before + 1);
  });

  for (const flag of ['--help', '-h']) {
    it(`does not load the guard for ${flag} (help renders from the manifest)`, async () => {
      const before = process.listenerCount('SIGINT');
      await runHook('ren:app:create', [flag]);
      expect(process.listenerCount('SIGINT')).to.equal(before);
    });
  }

  it("leaves other plugins' commands alone", async () => {
    const before = process.listenerCount('SIGINT');
    await runHook('org:display', ['--target-org', 'acme']);
    expect(process.listenerCount('SIGINT')).to.equal(before);
  });
});
