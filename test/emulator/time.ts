/** The emulator's clock: timestamps as Salesforce writes them in metadata and results (ISO 8601, UTC). */

export function nowIso(): string {
  return new Date().toISOString();
}
