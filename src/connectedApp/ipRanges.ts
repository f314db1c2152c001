/*
 * Trusted IP ranges of a connected app (ConnectedApp `ipRanges`: start, end, description; docs/salesforce.md §4):
 * `--ip-range START-END`, both ends the same IP family (IPv4 or IPv6) and the start not after the end, as
 * Setup's "IP Range" page requires.
 */
import { isIP } from 'node:net';

export type IpRange = { start: string; end: string; description?: string };

/** An address as a number (IPv4: 32 bits, IPv6: 128 bits) for ordering; undefined when it is not an address. */
function addressValue(address: string): { family: 4 | 6; value: bigint } | undefined {
  const family = isIP(address);
  if (family === 4)
    return { family, value: address.split('.').reduce((acc, part) => (acc << 8n) + BigInt(Number(part)), 0n) };
  if (family !== 6) return undefined;
  let text = address.toLowerCase();
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hextets.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const n = addressValue(v4[1])!.value;
    text = `${text.slice(0, -v4[1].length)}${(n >> 16n).toString(16)}:${(n & 0xff_ffn).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups =
    tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return { family, value: groups.reduce((acc, g) => (acc << 16n) + BigInt(parseInt(g, 16)), 0n) };
}

/** What is wrong with a range, or undefined. */
export function ipRangeProblem(range: IpRange): string | undefined {
  const start = addressValue(range.start);
  const end = addressValue(range.end);
  if (!start) return `"${range.start}" is not an IPv4 or IPv6 address`;
  if (!end) return `"${range.end}" is not an IPv4 or IPv6 address`;
  if (start.family !== end.family) return `${formatIpRange(range)} mixes IPv4 and IPv6`;
  if (start.value > end.value) return `${formatIpRange(range)} starts after it ends`;
  return undefined;
}

/** Parses `START-END` (or a single address, a range of one); the problem when it is not a valid range. */
export function parseIpRange(text: string): { range: IpRange } | { problem: string } {
  const trimmed = text.trim();
  // IPv6 addresses hold no "-", so the first "-" splits the two ends.
  const dash = trimmed.indexOf('-');
  const range =
    dash < 0
      ? { start: trimmed, end: trimmed }
      : { start: trimmed.slice(0, dash).trim(), end: trimmed.slice(dash + 1).trim() };
  if (range.start === '' || range.end === '') return { problem: `"${text}" is not START-END` };
  const problem = ipRangeProblem(range);
  return problem ? { problem } : { range };
}

export function formatIpRange(range: IpRange): string {
  return `${range.start}-${range.end}`;
}

/** Same range: the same addresses, however they are written (IPv6 zero compression, case). */
export function sameIpRange(a: IpRange, b: IpRange): boolean {
  const [as, ae, bs, be] = [a.start, a.end, b.start, b.end].map(addressValue);
  return (
    Boolean(as && ae && bs && be) && as!.value === bs!.value && ae!.value === be!.value && as!.family === bs!.family
  );
}
