/* Ages written the way people write them in a schedule: `90d`, `12h`, `2w` (a bare number is days). */

const UNIT_MS: Record<string, number> = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** Milliseconds of an age such as `90d`; undefined when the text is not one. */
export function parseAge(text: string): number | undefined {
  const match = /^\s*(\d+)\s*([hdw]?)\s*$/i.exec(text);
  if (!match) return undefined;
  const amount = Number(match[1]);
  return amount > 0 ? amount * UNIT_MS[(match[2] || 'd').toLowerCase()] : undefined;
}
