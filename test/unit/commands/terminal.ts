/**
 * Whether the command runs at a terminal: the consent rule (shared/consent.ts) and the token prompt read
 * process.stdin.isTTY. `useTerminal()` gives the enclosing suite a setter and puts the real value back after each
 * test. The property is defined on the stream itself (it is absent when stdin is not a terminal, so sinon cannot
 * replace it).
 */
export function useTerminal(): (isTTY: boolean) => void {
  let saved: PropertyDescriptor | undefined;
  let changed = false;
  afterEach(() => {
    if (!changed) return;
    if (saved) Object.defineProperty(process.stdin, 'isTTY', saved);
    else delete (process.stdin as { isTTY?: boolean }).isTTY;
    changed = false;
  });
  return (isTTY) => {
    if (!changed) saved = Object.getOwnPropertyDescriptor(process.stdin, 'isTTY');
    changed = true;
    Object.defineProperty(process.stdin, 'isTTY', { value: isTTY, configurable: true, writable: true });
  };
}

/**
 * Tables as wide as they like: every row a command gives reaches ux.table as it is, with no value moved under the
 * table (shared/table.ts), so tests read the rows themselves. The layout has its own tests (shared/table.test.ts,
 * e2e terminal-width).
 */
export function useWideTables(): void {
  let saved: string | undefined;
  beforeEach(() => {
    saved = process.env.OCLIF_TABLE_COLUMN_OVERRIDE;
    process.env.OCLIF_TABLE_COLUMN_OVERRIDE = '10000';
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.OCLIF_TABLE_COLUMN_OVERRIDE;
    else process.env.OCLIF_TABLE_COLUMN_OVERRIDE = saved;
  });
}
