import { StateAggregator, type Org } from '@salesforce/core';

/** The alias the user knows the org by (for "log in again" hints), else its username. */
export async function targetName(org: Org): Promise<string> {
  const username = org.getUsername() ?? '';
  try {
    const aliases = (await StateAggregator.getInstance()).aliases.getAll(username);
    return aliases[0] ?? (username || 'your org');
  } catch {
    return username || 'your org';
  }
}

type Token = { type: string; flag?: string; input: string };

/**
 * The org exactly as the user typed it in --target-org (`-o`), so a printed fix or next step names it the same way;
 * `fallback` (targetName's answer) when the flag was not typed and sf used the default org.
 */
export function typedTarget(raw: Token[], fallback: string): string {
  return raw.find((token) => token.type === 'flag' && token.flag === 'target-org')?.input ?? fallback;
}
