/*
 * Trusted IP ranges of a connected app (ConnectedApp `ipRanges`: start, end, description; docs/salesforce.md §4):
 * `--ip-range START-END`, both ends the same IP family (IPv4 or IPv6) and the start not after the end, as
 * Setup's "IP Range" page requires. A CIDR block (3.5.140.0/24, the form AWS and most providers publish) and a
 * single address are accepted too and stored as the START-END they cover, the only form Salesforce keeps.
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

/** The forms a range may be written in, for messages about a value that is none of them. */
export const IP_RANGE_FORMS =
  'write START-END (3.5.140.0-3.5.140.255), a CIDR block (3.5.140.0/24, 2600:1f18::/64) or a single address';

/** An address from its number: IPv4 dotted, IPv6 in the short form (longest run of zero groups as "::"). */
function formatAddress(family: 4 | 6, value: bigint): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.');
  const groups = Array.from({ length: 8 }, (_, i) => (value >> BigInt(112 - 16 * i)) & 0xff_ffn);
  let best = { at: -1, length: 1 };
  for (let i = 0; i < 8; i++) {
    let length = 0;
    while (i + length < 8 && groups[i + length] === 0n) length++;
    if (length > best.length) best = { at: i, length };
  }
  const hex = (part: bigint[]): string => part.map((g) => g.toString(16)).join(':');
  return best.at < 0 ? hex(groups) : `${hex(groups.slice(0, best.at))}::${hex(groups.slice(best.at + best.length))}`;
}

/** `ADDRESS/PREFIX` as the range it covers; a block with host bits set is refused, naming the block meant. */
function parseCidr(text: string): { range: IpRange } | { problem: string } {
  const [address, prefixText] = text.split('/').map((part) => part.trim());
  const parsed = addressValue(address);
  if (!parsed) return { problem: `"${address}" is not an IPv4 or IPv6 address; ${IP_RANGE_FORMS}` };
  const bits = parsed.family === 4 ? 32 : 128;
  const prefix = /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (!(prefix >= 0 && prefix <= bits)) {
    return { problem: `"${text}" has no prefix length from 0 to ${bits} after the "/"; ${IP_RANGE_FORMS}` };
  }
  const hostBits = (1n << BigInt(bits - prefix)) - 1n;
  const network = parsed.value & ~hostBits;
  if (network !== parsed.value) {
    // Most likely a typo in the block; guessing which addresses were meant could trust the wrong ones.
    const meant = `${formatAddress(parsed.family, network)}/${prefix}`;
    return { problem: `"${text}" is not the start of its block (did you mean "${meant}"?)` };
  }
  const start = formatAddress(parsed.family, network);
  return { range: { start, end: formatAddress(parsed.family, network | hostBits) } };
}

/**
 * Parses `START-END`, a CIDR block (`3.5.140.0/24`) or a single address (a range of one); the problem when it is not
 * a valid range.
 */
export function parseIpRange(text: string): { range: IpRange } | { problem: string } {
  const trimmed = text.trim();
  if (trimmed.includes('/')) return parseCidr(trimmed);
  // IPv6 addresses hold no "-", so the first "-" splits the two ends.
  const dash = trimmed.indexOf('-');
  const range =
    dash < 0
      ? { start: trimmed, end: trimmed }
      : { start: trimmed.slice(0, dash).trim(), end: trimmed.slice(dash + 1).trim() };
  if (range.start === '' || range.end === '') return { problem: `"${text}" is not START-END; ${IP_RANGE_FORMS}` };
  const problem = ipRangeProblem(range);
  if (!problem) return { range };
  // An end that is not an address at all may be another form misspelt: say which forms there are.
  const notAnAddress = !addressValue(range.start) || !addressValue(range.end);
  return { problem: notAnAddress ? `${problem}; ${IP_RANGE_FORMS}` : problem };
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
