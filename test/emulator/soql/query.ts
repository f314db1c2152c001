/**
 * A small SOQL engine over the emulator's sObject catalog: lexer.ts, parser.ts, evaluator.ts (with resolve.ts and
 * values.ts), columns.ts; this module runs them.
 *
 * Supported: `SELECT f1, Rel.Field, COUNT() | COUNT(f) FROM Obj [WHERE cond] [ORDER BY f [ASC|DESC] [NULLS FIRST|LAST], …]
 * [LIMIT n] [OFFSET n]`; conditions with = != <> < <= > >=, [NOT] IN (list | semi-join subquery), LIKE, AND, OR, NOT and
 * parentheses; string, number, boolean, null and date/datetime literals. Keywords and names are case-insensitive;
 * results use each object's canonical field names. Errors are SoqlErrors (errors.ts).
 */
import type { Catalog } from '../sobjects/schema.js';
import type { Query } from './ast.js';
import { type ColumnsResult, queryColumns } from './columns.js';
import { type Fail, SoqlError, formatError } from './errors.js';
import { type QueryOptions, type QueryResult, Evaluator } from './evaluator.js';
import { lex } from './lexer.js';
import { Parser } from './parser.js';
import { Resolver } from './resolve.js';

export function executeSoql(source: string, catalog: Catalog, options: QueryOptions): QueryResult {
  const { query, fail } = parse(source);
  return new Evaluator(catalog, options, fail).run(query);
}

/** The `?columns=true` answer of the query resource: what the query selects, without running it. */
export function soqlColumns(source: string, catalog: Catalog): ColumnsResult {
  const { query, fail } = parse(source);
  return queryColumns(new Resolver(catalog, fail), query);
}

function parse(source: string): { query: Query; fail: Fail } {
  const fail = (offset: number, text: string, code = 'MALFORMED_QUERY'): never => {
    throw new SoqlError(code, formatError(source, offset, text));
  };
  const tokens = lex(source, fail);
  return { query: new Parser(tokens, fail).parseQuery(), fail };
}
