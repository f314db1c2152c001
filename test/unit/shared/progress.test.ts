import { expect } from 'chai';
import sinon from 'sinon';
import { guardCommand, setGuardHooksForTest } from '../../../src/shared/interruptGuard.js';
import { progressMode, StageDisplay, stopDisplays } from '../../../src/shared/progress.js';
import { INFO_EVERY_MS, StageLines } from '../../../src/shared/stageLines.js';

const STAGES = ['Checking the org', 'Deploying', 'Waiting', 'Verifying'];

describe('progress: how it is shown (shared/progress.ts)', () => {
  it('draws nothing with --json, stage lines with no terminal or a dumb one, the display at a terminal', () => {
    expect(progressMode(true, { isTTY: true }, {})).to.equal('none');
    expect(progressMode(true, { isTTY: undefined }, {})).to.equal('none');
    expect(progressMode(false, { isTTY: undefined }, {})).to.equal('lines');
    expect(progressMode(false, { isTTY: true }, { TERM: 'dumb' })).to.equal('lines');
    expect(progressMode(false, { isTTY: true }, { TERM: 'xterm-256color' })).to.equal('redraw');
  });
});

describe('progress with no terminal: stage lines (shared/stageLines.ts)', () => {
  let lines: string[];
  let clock: number;
  const start = (): StageLines =>
    new StageLines({
      title: 'Creating ren in acme',
      stages: STAGES,
      info: { Org: 'acme', App: 'ren' },
      stageInfo: [
        { stage: 'Waiting', label: 'Elapsed', key: 'elapsed' },
        { stage: 'Waiting', label: 'Checks', key: 'checks' },
      ],
      write: (line) => lines.push(line),
      now: () => clock,
    });
  beforeEach(() => {
    lines = [];
    clock = 1_000_000;
  });

  it('prints the title, one line per stage entered, the skipped ones, and the end with its time', () => {
    const output = start();
    output.goto('Checking the org');
    output.goto('Checking the org');
    output.skipTo('Verifying');
    output.goto('Deploying');
    clock += 2500;
    output.stop('completed');
    output.stop('failed');
    expect(lines).to.deep.equal([
      'Creating ren in acme',
      '  Org: acme',
      '  App: ren',
      '▸ Checking the org',
      '◯ Deploying (skipped)',
      '◯ Waiting (skipped)',
      '▸ Verifying',
      '✔ Creating ren in acme (2.5s)',
    ]);
  });

  it('a run that ends early (a dry run): every stage not reached says skipped, then the end', () => {
    const output = start();
    output.goto('Checking the org');
    output.skipRest('Verifying');
    output.goto('Deploying');
    expect(lines.slice(3)).to.deep.equal([
      '▸ Checking the org',
      '◯ Deploying (skipped)',
      '◯ Waiting (skipped)',
      '◯ Verifying (skipped)',
      '✔ Creating ren in acme (0.0s)',
    ]);
  });

  it('prints a waiting stage’s figures at once, then at most every INFO_EVERY_MS, and only when they change', () => {
    const output = start();
    output.goto('Waiting');
    output.updateData({ elapsed: '0s of 10m', checks: '0' });
    clock += 1000;
    output.updateData({ elapsed: '1s of 10m', checks: '1' });
    clock += INFO_EVERY_MS;
    output.updateData({ elapsed: '31s of 10m', checks: '7' });
    clock += INFO_EVERY_MS;
    output.updateData({ elapsed: '31s of 10m', checks: '7' });
    output.stop('failed');
    expect(lines.slice(3)).to.deep.equal([
      '▸ Waiting',
      '  Elapsed: 0s of 10m, Checks: 0',
      '  Elapsed: 31s of 10m, Checks: 7',
      '✘ Waiting failed (61.0s)',
    ]);
  });
});

describe('progress after an interrupt', () => {
  let written: string[];
  let resetHooks: () => void;
  beforeEach(() => {
    written = [];
    // As in a pipe (where stdout has no isTTY at all), also when the tests run at a terminal.
    if ('isTTY' in process.stdout) sinon.stub(process.stdout, 'isTTY').value(undefined);
    sinon.stub(process.stdout, 'write').callsFake((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
  });
  afterEach(() => {
    sinon.restore();
    resetHooks?.();
  });

  it('stopDisplays ends every display still drawing, marking its stage stopped; a later finish adds nothing', async () => {
    const display = await StageDisplay.start({ title: 'Checking ren', stages: STAGES, jsonEnabled: false });
    display.goto('Deploying');
    stopDisplays();
    display.finish();
    sinon.restore();
    expect(written.at(-1)).to.match(/^■ Deploying stopped \(\d+\.\ds\)\n$/);
    expect(written.filter((w) => w.startsWith('✔'))).to.deep.equal([]);
  });

  it('the interrupt guard stops the display before it ends the process', async () => {
    const exits: number[] = [];
    resetHooks = setGuardHooksForTest({
      exit: (code) => {
        exits.push(code);
        written.push(`exit ${code}`);
      },
      write: (text) => written.push(text),
    });
    guardCommand();
    const display = await StageDisplay.start({ title: 'Checking ren', stages: STAGES, jsonEnabled: false });
    display.goto('Waiting');
    process.listeners('SIGINT')[0].call(process, 'SIGINT');
    sinon.restore();
    expect(exits).to.deep.equal([130]);
    const stopped = written.findIndex((w) => w.startsWith('■ Waiting stopped'));
    expect(stopped).to.be.greaterThan(-1);
    expect(stopped).to.be.lessThan(written.indexOf('exit 130'));
  });
});
