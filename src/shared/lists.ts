/* Small helpers for the shapes the org's APIs answer in: one item or a list, names compared without case. */

/** jsforce answers one item as an object and several as an array; undefined and null are none. */
export function asArray<T>(value: T | T[] | undefined | null): T[] {
  return value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
}

/** Salesforce names are unique whatever their letter case. */
export function sameName(a: unknown, b: string): boolean {
  return typeof a === 'string' && a.toLowerCase() === b.toLowerCase();
}

/** Splits "Basic, Api" / ["Basic,Api", "RefreshToken"] into trimmed items, dropping empties and repeats. */
export function splitList(values: string | readonly string[] | undefined): string[] {
  if (values === undefined) return [];
  const items = (typeof values === 'string' ? [values] : values).flatMap((value) => value.split(','));
  return [...new Set(items.map((item) => item.trim()).filter((item) => item.length > 0))];
}
