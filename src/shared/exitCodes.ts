/*
 * The one exit-code table of every command (README "Exit codes"):
 * - 0: done (and read back);
 * - 1: failed, or a check failed;
 * - 2: bad usage (sf's own, for flags it cannot parse);
 * - 69: not done yet, run again later: a deploy still running after --wait, an app not installed yet after the wait,
 *   a change Salesforce has not made known to its login yet. 69 is what sf itself uses for "still in progress"
 *   (sf project deploy start after --wait), and EX_UNAVAILABLE in sysexits.h.
 */
export const EXIT = { done: 0, failed: 1, usage: 2, notYet: 69 } as const;
