import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { SfError } from '@salesforce/core';
import { inPool } from '../../../src/onboard/onboardOrg.js';
import { orgsFileProblems, readOrgsFile } from '../../../src/onboard/orgsFile.js';
import { handoffFile } from '../../../src/onboard/targets.js';
import { onboardRows } from '../../../src/onboard/report.js';
import type { OrgOutcome } from '../../../src/onboard/onboardOrg.js';

describe('onboard: the orgs file', () => {
  it('takes a list of orgs with their own profiles and permission sets, bare or under "orgs"', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ren-orgs-'));
    const file = join(dir, 'orgs.json');
    const orgs = [
      { targetOrg: 'client1', profiles: ['Sales'] },
      { targetOrg: 'client2', permissionSets: ['Ren_Users'] },
    ];
    await writeFile(file, JSON.stringify({ orgs }));
    expect(await readOrgsFile(file)).to.deep.equal(orgs);
    await writeFile(file, JSON.stringify(orgs));
    expect(await readOrgsFile(file)).to.deep.equal(orgs);
  });

  it('names every problem: unknown keys, missing org, bad lists, repeats, not JSON', async () => {
    expect(orgsFileProblems({ orgs: [] })).to.have.length(1);
    expect(
      orgsFileProblems([{ targetOrg: 'a', profile: 'Sales' }, { profiles: 'Sales' }, { targetOrg: 'A' }, 'x']),
    ).to.deep.equal([
      'orgs[0].profile: is not a known key (targetOrg, profiles, permissionSets)',
      'orgs[1].targetOrg: must name an org alias or username',
      'orgs[1].profiles: must be a list of names',
      'orgs[3]: must be an object with "targetOrg"',
      'each org once: a is listed more than once',
    ]);
    const dir = await mkdtemp(join(tmpdir(), 'ren-orgs-'));
    await writeFile(join(dir, 'bad.json'), '{ nope');
    const error = (await readOrgsFile(join(dir, 'bad.json')).catch((e: SfError) => e)) as SfError;
    expect(error.name).to.equal('RenOrgsFileError');
    expect(error.actions?.join(' ')).to.include('"targetOrg"');
  });
});

describe('onboard: orgs at once', () => {
  it('runs at most `limit` at a time and keeps the order of the results', async () => {
    let running = 0;
    let most = 0;
    const results = await inPool([30, 5, 20, 1, 10], 2, async (ms, index) => {
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, ms));
      running--;
      return index;
    });
    expect(results).to.deep.equal([0, 1, 2, 3, 4]);
    expect(most).to.equal(2);
  });

  it("names each org's hand-off file after the org, safely", () => {
    expect(handoffFile('/out', 'client1')).to.equal('/out/client1.json');
    expect(handoffFile('/out', 'admin@acme.com')).to.equal('/out/admin@acme.com.json');
    expect(handoffFile('/out', '../../etc/x y')).to.equal('/out/.._.._etc_x_y.json');
  });
});

describe('onboard: the table', () => {
  const outcome = (status: string, warnings: number): OrgOutcome =>
    ({
      org: 'acme',
      app: { apiName: 'ren', status },
      handoff: { status: 'planned', to: [] },
      ready: { ok: true, pending: false, failed: [], warnings: Array.from({ length: warnings }, () => ({})) },
      readyForRen: true,
      warnings: [],
    }) as unknown as OrgOutcome;

  it('says what a dry run would do, not that it was done', () => {
    expect(onboardRows([outcome('created', 0)], true)[0].App).to.equal('ren would be created (dry run)');
    expect(onboardRows([outcome('updated', 0)], true)[0].App).to.equal('ren would be updated (dry run)');
    expect(onboardRows([outcome('created', 0)], false)[0].App).to.equal('ren created');
  });

  it('counts warnings in the singular and plural', () => {
    expect(onboardRows([outcome('created', 1)], false)[0].Ready).to.equal('yes (1 warning)');
    expect(onboardRows([outcome('created', 2)], false)[0].Ready).to.equal('yes (2 warnings)');
  });
});
