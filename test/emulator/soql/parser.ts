/** The SOQL parser: recursive descent over the lexer's tokens into a Query (ast.ts). */
import type { Condition, FieldPath, Literal, Query, SelectItem } from './ast.js';
import type { Fail } from './errors.js';
import type { Token } from './lexer.js';

const KEYWORDS = new Set([
  'select',
  'from',
  'where',
  'and',
  'or',
  'not',
  'in',
  'like',
  'order',
  'by',
  'asc',
  'desc',
  'nulls',
  'first',
  'last',
  'limit',
  'offset',
  'group',
  'having',
  'includes',
  'excludes',
  'with',
  'for',
  'using',
]);

export class Parser {
  private pos = 0;

  public constructor(
    private readonly tokens: Token[],
    private readonly fail: Fail,
  ) {}

  public parseQuery(): Query {
    const query = this.query();
    const t = this.peek();
    if (t.kind !== 'eof') this.unexpected(t);
    return query;
  }

  private query(): Query {
    this.expectKeyword('select');
    const select: SelectItem[] = [this.selectItem()];
    while (this.isPunct(',')) {
      this.next();
      select.push(this.selectItem());
    }
    this.expectKeyword('from');
    const fromTok = this.next();
    if (fromTok.kind !== 'ident' || KEYWORDS.has(fromTok.value.toLowerCase())) this.unexpected(fromTok);
    const query: Query = { select, from: { name: fromTok.value, offset: fromTok.offset }, orderBy: [] };
    if (this.isKeyword('where')) {
      this.next();
      query.where = this.orExpr();
    }
    if (this.isKeyword('order')) {
      this.next();
      this.expectKeyword('by');
      for (;;) {
        const path = this.fieldPath();
        let desc = false;
        if (this.isKeyword('asc')) this.next();
        else if (this.isKeyword('desc')) {
          this.next();
          desc = true;
        }
        let nullsLast = desc;
        if (this.isKeyword('nulls')) {
          this.next();
          if (this.isKeyword('first')) nullsLast = false;
          else if (this.isKeyword('last')) nullsLast = true;
          else this.unexpected(this.peek());
          this.next();
        }
        query.orderBy.push({ path, desc, nullsLast });
        if (!this.isPunct(',')) break;
        this.next();
      }
    }
    if (this.isKeyword('limit')) {
      this.next();
      query.limit = this.integer();
    }
    if (this.isKeyword('offset')) {
      this.next();
      query.offset = this.integer();
    }
    return query;
  }

  private selectItem(): SelectItem {
    const t = this.peek();
    if (t.kind === 'ident' && t.value.toLowerCase() === 'count' && this.peek(1).value === '(') {
      this.next();
      this.next();
      let field: FieldPath | undefined;
      if (!this.isPunct(')')) field = this.fieldPath();
      this.expectPunct(')');
      let alias: string | undefined;
      const maybeAlias = this.peek();
      if (maybeAlias.kind === 'ident' && !KEYWORDS.has(maybeAlias.value.toLowerCase())) {
        alias = maybeAlias.value;
        this.next();
      }
      return { kind: 'count', field, alias, offset: t.offset };
    }
    if (t.kind === 'punct' && t.value === '(') {
      this.fail(t.offset, 'Child relationship subqueries are not supported by the emulator', 'MALFORMED_QUERY');
    }
    return { kind: 'field', path: this.fieldPath() };
  }

  private fieldPath(): FieldPath {
    const first = this.next();
    if (first.kind !== 'ident' || KEYWORDS.has(first.value.toLowerCase())) this.unexpected(first);
    const parts = [first.value];
    while (this.isPunct('.')) {
      this.next();
      const part = this.next();
      if (part.kind !== 'ident') this.unexpected(part);
      parts.push(part.value);
    }
    return { parts, offset: first.offset };
  }

  private orExpr(): Condition {
    let left = this.andExpr();
    while (this.isKeyword('or')) {
      this.next();
      left = { kind: 'or', left, right: this.andExpr() };
    }
    return left;
  }

  private andExpr(): Condition {
    let left = this.notExpr();
    while (this.isKeyword('and')) {
      this.next();
      left = { kind: 'and', left, right: this.notExpr() };
    }
    return left;
  }

  private notExpr(): Condition {
    if (this.isKeyword('not')) {
      this.next();
      return { kind: 'not', operand: this.notExpr() };
    }
    if (this.isPunct('(')) {
      this.next();
      const inner = this.orExpr();
      this.expectPunct(')');
      return inner;
    }
    return this.comparison();
  }

  private comparison(): Condition {
    const field = this.fieldPath();
    let negate = false;
    if (this.isKeyword('not')) {
      this.next();
      negate = true;
      if (!this.isKeyword('in') && !this.isKeyword('like')) this.unexpected(this.peek());
    }
    if (this.isKeyword('in')) {
      this.next();
      this.expectPunct('(');
      if (this.isKeyword('select')) {
        const query = this.query();
        this.expectPunct(')');
        return { kind: 'inQuery', field, negate, query };
      }
      const values = [this.literal()];
      while (this.isPunct(',')) {
        this.next();
        values.push(this.literal());
      }
      this.expectPunct(')');
      return { kind: 'in', field, negate, values };
    }
    if (this.isKeyword('like')) {
      this.next();
      return { kind: 'like', field, pattern: this.literal(), negate };
    }
    const op = this.next();
    if (op.kind !== 'op') this.unexpected(op);
    return { kind: 'compare', field, op: op.value === '<>' ? '!=' : op.value, value: this.literal() };
  }

  private literal(): Literal {
    const t = this.next();
    switch (t.kind) {
      case 'string':
        return { kind: 'string', value: t.value, offset: t.offset };
      case 'number':
        return { kind: 'number', value: Number(t.value), offset: t.offset };
      case 'datetime':
        return { kind: 'datetime', value: t.value, offset: t.offset };
      case 'ident': {
        const lower = t.value.toLowerCase();
        if (lower === 'true' || lower === 'false')
          return { kind: 'boolean', value: lower === 'true', offset: t.offset };
        if (lower === 'null') return { kind: 'null', offset: t.offset };
        return this.unexpected(t);
      }
      default:
        return this.unexpected(t);
    }
  }

  private integer(): number {
    const t = this.next();
    if (t.kind !== 'number' || !/^\d+$/.test(t.value)) this.unexpected(t);
    return Number(t.value);
  }

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.pos + ahead, this.tokens.length - 1)];
  }

  private next(): Token {
    const t = this.peek();
    if (this.pos < this.tokens.length - 1) this.pos++;
    return t;
  }

  private isKeyword(word: string): boolean {
    const t = this.peek();
    return t.kind === 'ident' && t.value.toLowerCase() === word;
  }

  private isPunct(p: string): boolean {
    const t = this.peek();
    return t.kind === 'punct' && t.value === p;
  }

  private expectKeyword(word: string): void {
    if (!this.isKeyword(word)) this.unexpected(this.peek());
    this.next();
  }

  private expectPunct(p: string): void {
    if (!this.isPunct(p)) this.unexpected(this.peek());
    this.next();
  }

  private unexpected(t: Token): never {
    return this.fail(t.offset, t.kind === 'eof' ? 'unexpected token: <EOF>' : `unexpected token: '${t.value}'`);
  }
}
