import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';

// The module turns the cache on for the whole process, so each case runs in a child Node of its own.
const moduleUrl = new URL('../../../src/shared/compileCache.ts', import.meta.url).href;

/** The compile cache folder of a Node process before and after it imports compileCache.ts ('none' when off). */
function cacheDirs(env: NodeJS.ProcessEnv): { before: string; after: string } {
  const script = [
    "const { getCompileCacheDir } = await import('node:module');",
    "const before = getCompileCacheDir() ?? 'none';",
    `await import(${JSON.stringify(moduleUrl)});`,
    "console.log(JSON.stringify({ before, after: getCompileCacheDir() ?? 'none' }));",
  ].join('\n');
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !/^NODE_(V8_COVERAGE|COMPILE_CACHE|DISABLE_COMPILE_CACHE)$/.test(key),
    ),
  );
  const run = spawnSync(
    process.execPath,
    ['--loader', 'ts-node/esm', '--no-warnings', '--input-type=module', '-e', script],
    // NODE_V8_COVERAGE empty, not absent: Node copies the parent's value into a child env that lacks the key.
    { env: { ...inherited, NODE_V8_COVERAGE: '', TS_NODE_TRANSPILE_ONLY: 'true', ...env }, encoding: 'utf8' },
  );
  if (run.status !== 0) throw new Error(`node failed: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').pop()!) as { before: string; after: string };
}

describe('compile cache of the commands', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ren-compile-cache-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is turned on by the import, in the temporary folder', () => {
    const { before, after } = cacheDirs({ TMPDIR: dir });
    expect(before).to.equal('none');
    expect(after.startsWith(join(dir, 'node-compile-cache'))).to.equal(true, after);
  });

  it('stays off while coverage is collected, and when the user turns it off', () => {
    expect(cacheDirs({ TMPDIR: dir, NODE_V8_COVERAGE: join(dir, 'coverage') }).after).to.equal('none');
    expect(cacheDirs({ TMPDIR: dir, NODE_DISABLE_COMPILE_CACHE: '1' }).after).to.equal('none');
  });
});
