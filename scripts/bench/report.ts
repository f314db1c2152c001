/*
 * The readiness report's figure for `npm run bench`: `sf ren report` over 20 orgs paired with the same report over
 * one org (goal: at most 2x). Every org is installed and paired first (onboarded with a hand-off, outside the
 * timing), so each report reads an org as a consultant's fleet has it: the app, its settings, the live probe, the
 * usage. Each org is its own emulator, logged into the same sf.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { SfSession } from '../../test/e2e/harness.js';
import { type Command, onboardArgs } from './timing.js';

export const REPORT_ORGS = 20;

/**
 * The pair, given the session and the orgs it already has (their aliases): more are added up to REPORT_ORGS. The
 * first run of either command onboards every org whose app is missing (another pair may have reset them).
 */
export async function reportPair(
  session: SfSession,
  existing: string[],
  workDir: string,
): Promise<[string, Command, Command]> {
  const orgs = [...existing];
  for (let n = orgs.length + 1; orgs.length < REPORT_ORGS; n++) {
    const alias = `report${n}`;
    // eslint-disable-next-line no-await-in-loop
    await session.addOrg(alias);
    orgs.push(alias);
  }
  const emulators = [session.emulator, ...session.others.values()];
  const handoff = join(workDir, 'report-handoff');
  await mkdir(handoff, { recursive: true });
  const installedAndPaired = async (): Promise<void> => {
    if (emulators.every((e) => e.org.getComponent('ExternalClientApplication', 'ren'))) return;
    const run = await session.sf(onboardArgs(orgs, handoff));
    if (run.code !== 0) throw new Error(`onboarding the report's orgs failed: ${run.stdout}`);
  };
  const report = (some: string[], file: string): string[] => [
    'ren',
    'report',
    ...some.flatMap((org) => ['--target-org', org]),
    '--output-file',
    join(workDir, file),
    '--json',
  ];
  return [
    `report ${REPORT_ORGS} orgs`,
    {
      label: `sf ren report (${REPORT_ORGS} orgs, installed, paired; html)`,
      args: report(orgs, 'report-fleet.html'),
      before: installedAndPaired,
    },
    {
      label: 'sf ren report (1 org; html)',
      args: report(orgs.slice(0, 1), 'report-one.html'),
      before: installedAndPaired,
    },
  ];
}
