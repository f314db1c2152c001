/*
 * One spelling for enum values, everywhere: the flag spelling (`admin-approved`, `specific-lifetime`, `bypass-2fa`).
 * Definition files of both kinds (External Client App and connected app) also accept the Metadata API spellings of
 * either kind (`AdminApprovedPreAuthorized`, `SpecificLifetime`, `specific_lifetime`, `ENFORCE`, `Bypass_2factor`),
 * in any letter case, so a value copied from Setup, a retrieve or the other file format is understood.
 */

/** Letters and digits only, lower case: `Bypass_2factor`, `BYPASS_2FACTOR` and `bypass2factor` are the same word. */
const squash = (value: string): string => value.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * The metadata value of `value` written in any accepted spelling, given the map from flag spellings to metadata
 * values; undefined when it names none of them.
 */
export function fromAnySpelling<M extends Record<string, string>>(map: M, value: string): M[keyof M] | undefined {
  if (value in map) return map[value as keyof M];
  const word = squash(value);
  const hit = Object.entries(map).find(([flag, metadata]) => squash(flag) === word || squash(metadata) === word);
  return hit?.[1] as M[keyof M] | undefined;
}
