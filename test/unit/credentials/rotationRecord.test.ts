import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { Global } from '@salesforce/core';
import {
  readRotationRecord,
  type RotationRecord,
  writeRotationRecord,
} from '../../../src/credentials/rotationRecord.js';
import { useTemporaryHome } from './settingOrg.js';

const folder = (): string => join(Global.SF_DIR, 'plugin-ren', 'rotations');
const ORG_ID = '00D000000000001AAA';
const record: RotationRecord = {
  orgId: ORG_ID,
  app: 'ren',
  method: 'staged',
  rotatedAt: '2025-03-04T05:06:07.000Z',
  stagedId: '0Sc000000000001AAA',
};

describe("the plugin's rotation records", () => {
  const home = useTemporaryHome();
  afterEach(async () => rm(folder(), { recursive: true, force: true }));

  it('keeps a record under the temporary HOME, readable by the user only, and reads it back', async () => {
    await writeRotationRecord(record);
    expect(folder().startsWith(home())).to.equal(true);
    expect(await readRotationRecord(ORG_ID, 'ren')).to.deep.equal(record);
    const files = await readdir(folder());
    expect(files).to.deep.equal([`${ORG_ID}-ren.json`]);
    expect((await stat(join(folder(), files[0]))).mode & 0o777).to.equal(0o600);
    expect((await stat(folder())).mode & 0o777).to.equal(0o700);
  });

  it('a new record replaces the one before, leaving no temporary file', async () => {
    await writeRotationRecord(record);
    const deploy: RotationRecord = {
      orgId: ORG_ID,
      app: 'ren',
      method: 'deploy',
      rotatedAt: '2025-04-01T00:00:00.000Z',
    };
    await writeRotationRecord(deploy);
    expect(await readRotationRecord(ORG_ID, 'ren')).to.deep.equal(deploy);
    expect(await readdir(folder())).to.have.length(1);
  });

  it('records are kept per org and per app; none is undefined', async () => {
    await writeRotationRecord(record);
    expect(await readRotationRecord('00D000000000002AAA', 'ren')).to.equal(undefined);
    expect(await readRotationRecord(ORG_ID, 'other')).to.equal(undefined);
  });

  it('names that share a file name never read as each other', async () => {
    await writeRotationRecord({ ...record, app: 'ren.x' });
    expect(await readRotationRecord(ORG_ID, 'ren.x')).to.include({ app: 'ren.x' });
    // "ren.x" and "ren_x" map to the same file name; the record names its app, so it is not taken for the other.
    expect(await readRotationRecord(ORG_ID, 'ren_x')).to.equal(undefined);
    expect(await readdir(folder())).to.deep.equal([`${ORG_ID}-ren_x.json`]);
  });

  it('a file that does not parse, or whose time is not a date, is ignored', async () => {
    await writeRotationRecord(record);
    const file = join(folder(), `${ORG_ID}-ren.json`);
    for (const text of ['{', 'null', '[]', JSON.stringify({ ...record, rotatedAt: 'yesterday' })]) {
      // eslint-disable-next-line no-await-in-loop
      await writeFile(file, text);
      // eslint-disable-next-line no-await-in-loop
      expect(await readRotationRecord(ORG_ID, 'ren'), text).to.equal(undefined);
    }
  });

  it('holds no key or secret: only what the record type names', async () => {
    await writeRotationRecord(record);
    const text = await readFile(join(folder(), `${ORG_ID}-ren.json`), 'utf8');
    expect(Object.keys(JSON.parse(text) as object).sort()).to.deep.equal([
      'app',
      'method',
      'orgId',
      'rotatedAt',
      'stagedId',
    ]);
  });
});
