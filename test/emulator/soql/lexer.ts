/** The SOQL lexer: identifiers, string/number/date literals, operators and punctuation, with their offsets. */
import type { Fail } from './errors.js';

export type TokenKind = 'ident' | 'string' | 'number' | 'datetime' | 'op' | 'punct' | 'eof';
export type Token = { kind: TokenKind; value: string; offset: number };

/** Token patterns (sticky), tried in order at each position; string literals are scanned separately. */
const TOKEN_PATTERNS: ReadonlyArray<{ kind: TokenKind; re: RegExp }> = [
  { kind: 'datetime', re: /\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2}))?(?![A-Za-z0-9_])/y },
  { kind: 'number', re: /-?\d+(?:\.\d+)?(?![A-Za-z0-9_])/y },
  { kind: 'ident', re: /[A-Za-z_][A-Za-z0-9_]*/y },
  { kind: 'op', re: /!=|<>|<=|>=|[=<>]/y },
  { kind: 'punct', re: /[,().]/y },
];

const STRING_ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  r: '\r',
  t: '\t',
  b: '\b',
  f: '\f',
  '"': '"',
  "'": "'",
  '\\': '\\',
  // Kept escaped: they only mean a literal % or _ inside a LIKE pattern.
  _: '\\_',
  '%': '\\%',
};

/** Scans a quoted string literal starting at `start`; returns its value and the offset after the closing quote. */
function scanString(source: string, start: number, fail: Fail): { value: string; end: number } {
  let value = '';
  let i = start + 1;
  while (i < source.length) {
    const c = source[i];
    if (c === "'") return { value, end: i + 1 };
    if (c === '\\') {
      const escaped = STRING_ESCAPES[source[i + 1] ?? ''];
      if (escaped === undefined) fail(start, 'Invalid string literal');
      value += escaped;
      i += 2;
    } else {
      value += c;
      i++;
    }
  }
  return fail(start, `unexpected token: '${source.slice(start)}'`);
}

export function lex(source: string, fail: Fail): Token[] {
  const tokens: Token[] = [];
  const space = /\s+/y;
  let i = 0;
  while (i < source.length) {
    space.lastIndex = i;
    if (space.test(source)) {
      i = space.lastIndex;
      continue;
    }
    if (source[i] === "'") {
      const { value, end } = scanString(source, i, fail);
      tokens.push({ kind: 'string', value, offset: i });
      i = end;
      continue;
    }
    const at = i;
    const hit = TOKEN_PATTERNS.map(({ kind, re }) => {
      const sticky = new RegExp(re.source, 'y');
      sticky.lastIndex = at;
      const m = sticky.exec(source);
      return m ? { kind, value: m[0] } : undefined;
    }).find((t) => t !== undefined);
    if (!hit) return fail(i, `unexpected token: '${source[i]}'`);
    tokens.push({ ...hit, offset: i });
    i += hit.value.length;
  }
  tokens.push({ kind: 'eof', value: '<EOF>', offset: source.length });
  return tokens;
}
