import { expect } from 'chai';
import type { SfError } from '@salesforce/core';
import type { AppStage } from '../../../src/connectedApp/orgApp.js';
import { waitForInstall } from '../../../src/connectedApp/wait.js';

/** A clock that only moves when the wait sleeps. */
function fakeTime() {
  let now = 0;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
    sleeps,
  };
}

describe('connected app: waiting for the install', () => {
  it('polls at once, then backs off to every 10 seconds, until the app is installed', async () => {
    const time = fakeTime();
    const stages: AppStage[] = ['used', 'used', 'used', 'used', 'used', 'installed'];
    const progress: Array<{ checks: number; elapsedMs: number }> = [];
    const result = await waitForInstall(async () => ({ stage: stages.shift()! }), 'Inven', 'client1', {
      timeoutMs: 600_000,
      now: time.now,
      sleep: time.sleep,
      onPoll: (p) => progress.push({ checks: p.checks, elapsedMs: p.elapsedMs }),
    });
    expect(time.sleeps).to.deep.equal([2000, 3000, 4500, 6750, 10_000]);
    expect(result).to.deep.include({ checks: 6, elapsedMs: 26_250, state: { stage: 'installed' } });
    expect(progress.map((p) => p.checks)).to.deep.equal([1, 2, 3, 4, 5, 6]);
  });

  it('never sleeps past the end of the wait, and then fails with exit code 69 saying what is missing', async () => {
    const time = fakeTime();
    const error = (await waitForInstall(async () => ({ stage: 'used' as AppStage }), 'Inven', 'client1', {
      timeoutMs: 60_000,
      now: time.now,
      sleep: time.sleep,
    }).catch((e: SfError) => e)) as SfError;
    expect(time.sleeps.reduce((a, b) => a + b, 0)).to.equal(60_000);
    expect(time.sleeps.at(-1)).to.be.at.most(10_000);
    expect(error.name).to.equal('RenConnectedAppNotInstalledError');
    expect(error.exitCode).to.equal(69);
    expect(error.message)
      .to.include(`after waiting 1 minute (${time.sleeps.length + 1} checks)`)
      .and.include('click it and confirm');
    expect(error.actions?.[0]).to.include('sf ren connected-app setup --target-org client1 --app "Inven" --wait 15');
  });

  it('checks once with no wait at all, and says when the first login is still missing', async () => {
    const time = fakeTime();
    let polls = 0;
    const error = (await waitForInstall(
      async () => {
        polls++;
        return { stage: 'never-used' as AppStage };
      },
      'Inven',
      'client1',
      { timeoutMs: 0, now: time.now, sleep: time.sleep },
    ).catch((e: SfError) => e)) as SfError;
    expect(polls).to.equal(1);
    expect(time.sleeps).to.deep.equal([]);
    expect(error.message).to.include('Nobody has connected Inven yet');
    expect(error.data).to.deep.equal({ stage: 'never-used', checks: 1 });
  });
});
