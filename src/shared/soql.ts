/** A SOQL string literal: single quotes and backslashes escaped, so names from users can't break the query. */
export function soqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
