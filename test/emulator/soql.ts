/**
 * A small SOQL engine: lexer, recursive-descent parser and evaluator over the emulator's sObject catalog.
 *
 * Supported: `SELECT f1, Rel.Field, COUNT() | COUNT(f) FROM Obj [WHERE cond] [ORDER BY f [ASC|DESC] [NULLS FIRST|LAST], …]
 * [LIMIT n] [OFFSET n]`; conditions with = != <> < <= > >=, [NOT] IN (list | semi-join subquery), LIKE, AND, OR, NOT and
 * parentheses; string, number, boolean, null and date/datetime literals. Keywords and names are case-insensitive;
 * results use each object's canonical field names. Errors carry Salesforce's error codes and message layout
 * (`\n<query>\n   ^\nERROR at Row:r:Column:c\n<text>`).
 */
import { isSalesforceId, sameId } from './ids.js';

export type FieldType =
  | 'id'
  | 'reference'
  | 'string'
  | 'picklist'
  | 'email'
  | 'url'
  | 'textarea'
  | 'boolean'
  | 'int'
  | 'double'
  | 'date'
  | 'datetime';

export type SObjectField = {
  name: string;
  type: FieldType;
  /** For reference fields: the relationship name (`Profile` for ProfileId) and its target object. */
  relationshipName?: string;
  referenceTo?: string;
};

export type Row = Record<string, unknown>;

export type SObjectDef = {
  name: string;
  keyPrefix: string;
  fields: readonly SObjectField[];
  rows(): Row[];
};

export type Catalog = {
  object(name: string): SObjectDef | undefined;
};

export class SoqlError extends Error {
  public constructor(public readonly errorCode: string, message: string) {
    super(message);
  }
}

export type QueryResult = {
  totalSize: number;
  done: true;
  records: Array<Record<string, unknown>>;
};

// ------------------------------------------------------------------------------------------------ lexer

type TokenKind = 'ident' | 'string' | 'number' | 'datetime' | 'op' | 'punct' | 'eof';
type Token = { kind: TokenKind; value: string; offset: number };

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

type Fail = (offset: number, text: string, code?: string) => never;

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

function lex(source: string, fail: Fail): Token[] {
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

// ------------------------------------------------------------------------------------------------ AST

type FieldPath = { parts: string[]; offset: number };
type Literal =
  | { kind: 'string'; value: string; offset: number }
  | { kind: 'number'; value: number; offset: number }
  | { kind: 'boolean'; value: boolean; offset: number }
  | { kind: 'null'; offset: number }
  | { kind: 'datetime'; value: string; offset: number };

type Condition =
  | { kind: 'and' | 'or'; left: Condition; right: Condition }
  | { kind: 'not'; operand: Condition }
  | { kind: 'compare'; field: FieldPath; op: string; value: Literal }
  | { kind: 'like'; field: FieldPath; pattern: Literal; negate: boolean }
  | { kind: 'in'; field: FieldPath; negate: boolean; values: Literal[] }
  | { kind: 'inQuery'; field: FieldPath; negate: boolean; query: Query };

type SelectItem = { kind: 'field'; path: FieldPath } | { kind: 'count'; field?: FieldPath; alias?: string; offset: number };

type Query = {
  select: SelectItem[];
  from: { name: string; offset: number };
  where?: Condition;
  orderBy: Array<{ path: FieldPath; desc: boolean; nullsLast: boolean }>;
  limit?: number;
  offset?: number;
};

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

// ------------------------------------------------------------------------------------------------ parser

class Parser {
  private pos = 0;

  public constructor(
    private readonly tokens: Token[],
    private readonly fail: Fail
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
        if (lower === 'true' || lower === 'false') return { kind: 'boolean', value: lower === 'true', offset: t.offset };
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

// ------------------------------------------------------------------------------------------------ evaluation

type ResolvedPath = {
  /** Relationship hops from the root object, with canonical names. */
  hops: Array<{ field: SObjectField; target: SObjectDef }>;
  field: SObjectField;
  object: SObjectDef;
};

export type QueryOptions = {
  /** API version used in `attributes.url`. */
  apiVersion: string;
};

export function executeSoql(source: string, catalog: Catalog, options: QueryOptions): QueryResult {
  const { query, evaluator } = prepare(source, catalog, options);
  return evaluator.run(query);
}

export type ColumnMetadata = {
  aggregate: boolean;
  apexType: string | null;
  booleanType: boolean;
  columnName: string;
  custom: boolean;
  displayName: string;
  foreignKeyName: string | null;
  insertable: boolean;
  joinColumns: ColumnMetadata[];
  numberType: boolean;
  textType: boolean;
  updatable: boolean;
};

/** The `?columns=true` answer of the query resource: what the query selects, without running it. */
export function soqlColumns(
  source: string,
  catalog: Catalog,
  options: QueryOptions
): { columnMetadata: ColumnMetadata[]; entityName: string; groupBy: boolean; idSelected: boolean; keyPrefix: string | null } {
  const { query, evaluator } = prepare(source, catalog, options);
  return evaluator.columns(query);
}

function prepare(source: string, catalog: Catalog, options: QueryOptions): { query: Query; evaluator: Evaluator } {
  const fail = (offset: number, text: string, code = 'MALFORMED_QUERY'): never => {
    throw new SoqlError(code, formatError(source, offset, text));
  };
  const tokens = lex(source, fail);
  const query = new Parser(tokens, fail).parseQuery();
  return { query, evaluator: new Evaluator(catalog, options, fail) };
}

const APEX_TYPES: Record<FieldType, string> = {
  id: 'Id',
  reference: 'Id',
  string: 'String',
  picklist: 'String',
  email: 'String',
  url: 'String',
  textarea: 'String',
  boolean: 'Boolean',
  int: 'Integer',
  double: 'Double',
  date: 'Date',
  datetime: 'Datetime',
};

function column(name: string, displayName: string, field?: SObjectField): ColumnMetadata {
  const type = field?.type;
  return {
    aggregate: false,
    apexType: type ? APEX_TYPES[type] : null,
    booleanType: type === 'boolean',
    columnName: name,
    custom: false,
    displayName,
    foreignKeyName: null,
    insertable: false,
    joinColumns: [],
    numberType: type === 'int' || type === 'double',
    textType: type !== undefined && isText(type),
    updatable: false,
  };
}

function formatError(source: string, offset: number, text: string): string {
  const before = source.slice(0, offset);
  const row = before.split('\n').length;
  const col = offset - before.lastIndexOf('\n');
  const line = source.split('\n')[row - 1] ?? '';
  return `\n${line}\n${' '.repeat(Math.max(0, col - 1))}^\nERROR at Row:${row}:Column:${col}\n${text}`;
}

class Evaluator {
  public constructor(
    private readonly catalog: Catalog,
    private readonly options: QueryOptions,
    private readonly fail: Fail
  ) {}

  public run(query: Query): QueryResult {
    const object = this.resolveObject(query);
    const counts = query.select.filter((s) => s.kind === 'count');
    if (counts.length > 0 && query.select.length > 1) {
      this.fail(counts[0].offset, 'COUNT() and other fields cannot be selected together', 'MALFORMED_QUERY');
    }
    // Resolve every path first so unknown fields fail before any work, as the server's compiler does.
    const selected: ResolvedPath[] = [];
    const seen = new Set<string>();
    for (const item of query.select) {
      if (item.kind !== 'field') continue;
      const resolved = this.resolvePath(object, item.path);
      const key = [...resolved.hops.map((h) => h.field.relationshipName), resolved.field.name].join('.').toLowerCase();
      if (seen.has(key)) this.fail(item.path.offset, `duplicate field selected: ${item.path.parts.join('.')}`);
      seen.add(key);
      selected.push(resolved);
    }
    if (query.where) this.checkCondition(object, query.where);
    const order = query.orderBy.map((o) => ({ ...o, resolved: this.resolvePath(object, o.path) }));

    let rows = this.filteredRows(object, query.where);
    if (order.length > 0) {
      rows = [...rows].sort((a, b) => {
        for (const o of order) {
          const cmp = compareForSort(valueAt(a, o.resolved), valueAt(b, o.resolved), o.nullsLast, o.desc);
          if (cmp !== 0) return cmp;
        }
        return 0;
      });
    }
    if (query.offset) rows = rows.slice(query.offset);
    if (query.limit !== undefined) rows = rows.slice(0, query.limit);

    const count = counts[0];
    if (count?.kind === 'count') {
      if (!count.field) return { totalSize: rows.length, done: true, records: [] };
      const resolved = this.resolvePath(object, count.field);
      const n = rows.filter((r) => valueAt(r, resolved) !== null).length;
      return {
        totalSize: 1,
        done: true,
        records: [{ attributes: { type: 'AggregateResult' }, [count.alias ?? 'expr0']: n }],
      };
    }
    return { totalSize: rows.length, done: true, records: rows.map((r) => this.shape(object, r, selected)) };
  }

  public columns(query: Query): ReturnType<typeof soqlColumns> {
    const object = this.resolveObject(query);
    const out: ColumnMetadata[] = [];
    let idSelected = false;
    query.select.forEach((item, index) => {
      if (item.kind === 'count') {
        out.push({ ...column(item.alias ?? `expr${index}`, item.field ? `COUNT(${item.field.parts.join('.')})` : 'COUNT()'), aggregate: true, apexType: 'Integer', numberType: true });
        return;
      }
      const path = this.resolvePath(object, item.path);
      if (path.hops.length === 0 && path.field.name === 'Id') idSelected = true;
      // Relationship paths nest: Profile → joinColumns [Name]; siblings share the relationship column.
      let level = out;
      const names: string[] = [];
      for (const hop of path.hops) {
        const rel = hop.field.relationshipName as string;
        names.push(rel);
        let col = level.find((c) => c.columnName === rel && c.joinColumns.length > 0);
        if (!col) {
          col = { ...column(rel, names.join('.')), foreignKeyName: hop.field.name };
          level.push(col);
        }
        level = col.joinColumns;
      }
      level.push(column(path.field.name, [...names, path.field.name].join('.'), path.field));
    });
    return { columnMetadata: out, entityName: object.name, groupBy: false, idSelected, keyPrefix: object.keyPrefix };
  }

  /** Rows of an object matching a condition (used for the main query and for semi-joins). */
  private filteredRows(object: SObjectDef, where: Condition | undefined): Row[] {
    const rows = object.rows();
    return where ? rows.filter((r) => this.test(object, r, where)) : rows;
  }

  private resolveObject(query: Query): SObjectDef {
    const object = this.catalog.object(query.from.name);
    if (!object) {
      this.fail(
        query.from.offset,
        `sObject type '${query.from.name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
        'INVALID_TYPE'
      );
    }
    return object;
  }

  private resolvePath(root: SObjectDef, path: FieldPath): ResolvedPath {
    let object = root;
    const hops: ResolvedPath['hops'] = [];
    const parts = [...path.parts];
    // `Profile.Name FROM Profile` — a leading object name is allowed.
    if (parts.length > 1 && parts[0].toLowerCase() === root.name.toLowerCase() && !findRelationship(root, parts[0])) {
      parts.shift();
    }
    for (const rel of parts.slice(0, -1)) {
      const field = findRelationship(object, rel);
      const target = field?.referenceTo ? this.catalog.object(field.referenceTo) : undefined;
      if (!field || !target) {
        this.fail(
          path.offset,
          `Didn't understand relationship '${rel}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
          'INVALID_FIELD'
        );
      }
      hops.push({ field, target });
      object = target;
    }
    const last = parts[parts.length - 1];
    const field = object.fields.find((f) => f.name.toLowerCase() === last.toLowerCase());
    if (!field) {
      this.fail(
        path.offset,
        `No such column '${last}' on entity '${object.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
        'INVALID_FIELD'
      );
    }
    return { hops, field, object };
  }

  /** Type-checks a condition tree (literal types against field types) before evaluation. */
  private checkCondition(object: SObjectDef, cond: Condition): void {
    switch (cond.kind) {
      case 'and':
      case 'or':
        this.checkCondition(object, cond.left);
        this.checkCondition(object, cond.right);
        return;
      case 'not':
        this.checkCondition(object, cond.operand);
        return;
      case 'compare':
        this.checkLiteral(this.resolvePath(object, cond.field).field, cond.value);
        return;
      case 'in': {
        const field = this.resolvePath(object, cond.field).field;
        cond.values.forEach((v) => this.checkLiteral(field, v));
        return;
      }
      case 'like': {
        const field = this.resolvePath(object, cond.field).field;
        if (!isText(field.type) || cond.pattern.kind !== 'string') {
          this.fail(cond.field.offset, `invalid operator on ${field.type} field: LIKE`, 'INVALID_QUERY_FILTER_OPERATOR');
        }
        return;
      }
      case 'inQuery': {
        this.resolvePath(object, cond.field);
        const sub = cond.query;
        const subObject = this.resolveObject(sub);
        const items = sub.select;
        if (items.length !== 1 || items[0].kind !== 'field') {
          this.fail(sub.from.offset, 'The selected field in a semi join subquery must be an Id or a reference field', 'MALFORMED_QUERY');
        }
        const item = items[0] as { kind: 'field'; path: FieldPath };
        const subField = this.resolvePath(subObject, item.path).field;
        if (subField.type !== 'id' && subField.type !== 'reference') {
          this.fail(item.path.offset, 'The selected field in a semi join subquery must be an Id or a reference field', 'MALFORMED_QUERY');
        }
        if (sub.where) this.checkCondition(subObject, sub.where);
        return;
      }
    }
  }

  private checkLiteral(field: SObjectField, literal: Literal): void {
    if (literal.kind === 'null') return;
    const mismatch = (expected: string): never =>
      this.fail(
        literal.offset,
        `value of filter criterion for field '${field.name}' must be of type ${expected} and should not be enclosed in quotes`,
        'INVALID_FIELD'
      );
    switch (field.type) {
      case 'boolean':
        if (literal.kind !== 'boolean') mismatch('boolean');
        return;
      case 'int':
      case 'double':
        if (literal.kind !== 'number') mismatch(field.type === 'int' ? 'integer' : 'double');
        return;
      case 'date':
      case 'datetime':
        if (literal.kind !== 'datetime') mismatch(field.type === 'date' ? 'date' : 'dateTime');
        return;
      case 'id':
      case 'reference':
        if (literal.kind !== 'string') {
          this.fail(literal.offset, `invalid ID field: ${literalText(literal)}`, 'INVALID_QUERY_FILTER_OPERATOR');
        }
        if (literal.kind === 'string' && !isSalesforceId(literal.value)) {
          this.fail(literal.offset, `invalid ID field: ${literal.value}`, 'INVALID_QUERY_FILTER_OPERATOR');
        }
        return;
      default:
        if (literal.kind !== 'string') {
          this.fail(literal.offset, `value of filter criterion for field '${field.name}' must be of type string and should be enclosed in quotes`, 'INVALID_FIELD');
        }
    }
  }

  private test(object: SObjectDef, row: Row, cond: Condition): boolean {
    switch (cond.kind) {
      case 'and':
        return this.test(object, row, cond.left) && this.test(object, row, cond.right);
      case 'or':
        return this.test(object, row, cond.left) || this.test(object, row, cond.right);
      case 'not':
        return !this.test(object, row, cond.operand);
      case 'compare': {
        const path = this.resolvePath(object, cond.field);
        return compareValues(path.field, valueAt(row, path), cond.op, cond.value);
      }
      case 'in': {
        const path = this.resolvePath(object, cond.field);
        const value = valueAt(row, path);
        const hit = cond.values.some((lit) => compareValues(path.field, value, '=', lit));
        return cond.negate ? !hit : hit;
      }
      case 'inQuery': {
        const path = this.resolvePath(object, cond.field);
        const value = valueAt(row, path);
        const sub = cond.query;
        const subObject = this.resolveObject(sub);
        const item = sub.select[0] as { kind: 'field'; path: FieldPath };
        const subPath = this.resolvePath(subObject, item.path);
        let subRows = this.filteredRows(subObject, sub.where);
        if (sub.limit !== undefined) subRows = subRows.slice(0, sub.limit);
        const hit =
          typeof value === 'string' && subRows.some((r) => sameId(String(valueAt(r, subPath) ?? ''), value));
        return cond.negate ? !hit : hit;
      }
      case 'like': {
        const path = this.resolvePath(object, cond.field);
        const value = valueAt(row, path);
        const pattern = cond.pattern.kind === 'string' ? cond.pattern.value : '';
        const hit = typeof value === 'string' && likeToRegExp(pattern).test(value);
        return cond.negate ? !hit : hit;
      }
    }
  }

  private shape(object: SObjectDef, row: Row, selected: ResolvedPath[]): Record<string, unknown> {
    const out: Record<string, unknown> = { attributes: this.attributes(object, row) };
    for (const path of selected) {
      let target = out;
      let current: Row | undefined = row;
      let broken = false;
      for (const hop of path.hops) {
        const relName = hop.field.relationshipName as string;
        const id: unknown = current?.[hop.field.name];
        current = typeof id === 'string' ? hop.target.rows().find((r) => sameId(String(r.Id), id)) : undefined;
        if (!current) {
          if (!(relName in target)) target[relName] = null;
          broken = true;
          break;
        }
        if (!target[relName]) target[relName] = { attributes: this.attributes(hop.target, current) };
        target = target[relName] as Record<string, unknown>;
      }
      if (broken) continue;
      const value = current?.[path.field.name];
      target[path.field.name] = value === undefined ? null : value;
    }
    return out;
  }

  private attributes(object: SObjectDef, row: Row): { type: string; url: string } {
    return { type: object.name, url: `/services/data/v${this.options.apiVersion}/sobjects/${object.name}/${String(row.Id)}` };
  }
}

/** Follows relationship hops from a row to the field value (null when a lookup is empty). */
function valueAt(row: Row, path: ResolvedPath): unknown {
  let current: Row | undefined = row;
  for (const hop of path.hops) {
    const id: unknown = current?.[hop.field.name];
    current = typeof id === 'string' ? hop.target.rows().find((r) => sameId(String(r.Id), id)) : undefined;
    if (!current) return null;
  }
  const value = current[path.field.name];
  return value === undefined ? null : value;
}

function findRelationship(object: SObjectDef, name: string): SObjectField | undefined {
  return object.fields.find((f) => f.relationshipName?.toLowerCase() === name.toLowerCase());
}

function isText(type: FieldType): boolean {
  return type === 'string' || type === 'picklist' || type === 'email' || type === 'url' || type === 'textarea';
}

function literalText(literal: Literal): string {
  switch (literal.kind) {
    case 'null':
      return 'null';
    default:
      return String(literal.value);
  }
}

function literalValue(literal: Literal): unknown {
  return literal.kind === 'null' ? null : literal.value;
}

const OPERATORS: Readonly<Record<string, (sign: number) => boolean>> = {
  '=': (sign) => sign === 0,
  '!=': (sign) => sign !== 0,
  '<': (sign) => sign < 0,
  '<=': (sign) => sign <= 0,
  '>': (sign) => sign > 0,
  '>=': (sign) => sign >= 0,
};

function compareValues(field: SObjectField, value: unknown, op: string, literal: Literal): boolean {
  const target = literalValue(literal);
  const valueIsNull = value === null || value === undefined;
  if (target === null || valueIsNull) {
    // Only = and != apply to null, on either side.
    const bothNull = target === null && valueIsNull;
    return op === '=' ? bothNull : op === '!=' ? !bothNull : false;
  }
  if ((typeof value === 'boolean' || typeof target === 'boolean') && op !== '=' && op !== '!=') return false;
  return (OPERATORS[op] ?? ((): boolean => false))(signOf(field, value, target));
}

/** Sign of value - target for the field's type. */
function signOf(field: SObjectField, value: unknown, target: unknown): number {
  if (field.type === 'id' || field.type === 'reference') {
    return sameId(String(value), String(target)) ? 0 : String(value).localeCompare(String(target)) || 1;
  }
  if (typeof value === 'number' && typeof target === 'number') return value - target;
  if (typeof value === 'boolean' || typeof target === 'boolean') return value === target ? 0 : 1;
  if (field.type === 'date' || field.type === 'datetime') return Date.parse(String(value)) - Date.parse(String(target));
  // Text comparisons in SOQL are case-insensitive.
  return String(value).toLowerCase().localeCompare(String(target).toLowerCase());
}

function compareForSort(a: unknown, b: unknown, nullsLast: boolean, desc: boolean): number {
  const aNull = a === null || a === undefined;
  const bNull = b === null || b === undefined;
  if (aNull || bNull) {
    if (aNull && bNull) return 0;
    return (aNull ? -1 : 1) * (nullsLast ? -1 : 1);
  }
  let cmp: number;
  if (typeof a === 'number' && typeof b === 'number') cmp = a - b;
  else if (typeof a === 'boolean' && typeof b === 'boolean') cmp = Number(a) - Number(b);
  else cmp = String(a).toLowerCase().localeCompare(String(b).toLowerCase());
  return desc ? -cmp : cmp;
}

/** SOQL LIKE: `%` any run, `_` one character, `\%` / `\_` literal; case-insensitive. */
function likeToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && (pattern[i + 1] === '%' || pattern[i + 1] === '_')) {
      re += pattern[i + 1];
      i++;
    } else if (c === '%') re += '.*';
    else if (c === '_') re += '.';
    else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'is');
}
