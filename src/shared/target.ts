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
