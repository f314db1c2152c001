/*
 * Flags every command shares, declared so that `--help` renders from the manifest: oclif loads a command's
 * class to show its help only when a flag computes its help text at run time. sf's target-org flag does
 * (it looks up your default org to print it), and so does --wait (it formats its default). For a plugin
 * installed with `sf plugins install`, loading the class means loading the plugin's own copy of
 * @salesforce/core and sf-plugins-core, which is most of what `--help` would cost. So their help text is
 * static here: same flags, same defaults, same behaviour when the command runs.
 */
import type { Interfaces } from '@oclif/core';
import { Flags } from '@salesforce/sf-plugins-core';

/** `-o/--target-org`: Flags.requiredOrg() (your default org when not given). */
export const targetOrgFlag = Flags.requiredOrg({ defaultHelp: undefined });

/** `--wait`: minutes to wait for a deploy; when not given the deploy code waits 10 minutes (said in the summary). */
// eslint-disable-next-line @typescript-eslint/explicit-function-return-type
export const waitFlag = (summary: string) =>
  Flags.duration({ unit: 'minutes', min: 1, summary, defaultHelp: undefined });

/** A flag whose values are the keys of `map` (the flag spellings of metadata enum values). */
export function optionFlag<M extends Record<string, string>>(
  summary: string,
  map: M,
): Interfaces.OptionFlag<(keyof M & string) | undefined> {
  return Flags.option({ summary, options: Object.keys(map) as Array<keyof M & string> })();
}
