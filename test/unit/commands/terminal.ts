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
