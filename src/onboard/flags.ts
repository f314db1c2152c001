/*
 * `sf ren onboard --target-org`: repeatable, and resolved one by one so that a name sf does not know fails that org
 * alone (its error goes into its row), as the same typo in --orgs-file does. It has no default: with neither
 * --target-org nor --orgs-file the command takes your default org itself (onboard.ts), so --orgs-file alone never
 * adds the default org to the run.
 *
 * Why not Flags.optionalOrg({ multiple: true }): it fails the whole run at parse time on one unknown name, and
 * fills in the default org even when --orgs-file names every org.
 */
import { Flags } from '@salesforce/sf-plugins-core';
import { openOrg, type OrgTarget } from './targets.js';

export const orgTargetFlag = Flags.custom<OrgTarget>({
  char: 'o',
  multiple: true,
  parse: async (input: string) => openOrg(input),
});
