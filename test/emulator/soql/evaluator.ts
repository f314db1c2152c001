/**
 * The SOQL evaluator: runs a parsed query against the catalog — type-checks the filter, filters, sorts, pages, and
 * shapes the records (relationship fields nested, canonical field names), or counts.
 */
import { isSalesforceId, sameId } from '../ids.js';
import { type Catalog, type Row, type SObjectDef, type SObjectField, isText } from '../sobjects/schema.js';
import type { Condition, FieldPath, Literal, Query } from './ast.js';
import type { Fail } from './errors.js';
import { type ResolvedPath, Resolver, valueAt } from './resolve.js';
import { compareForSort, compareValues, likeToRegExp, literalText } from './values.js';

export type QueryResult = {
  totalSize: number;
  done: true;
  records: Array<Record<string, unknown>>;
};

export type QueryOptions = {
  /** API version used in `attributes.url`. */
  apiVersion: string;
};

export class Evaluator {
  private readonly resolve: Resolver;

  public constructor(
    catalog: Catalog,
    private readonly options: QueryOptions,
    private readonly fail: Fail,
  ) {
    this.resolve = new Resolver(catalog, fail);
  }

  public run(query: Query): QueryResult {
    const object = this.resolve.object(query);
    const counts = query.select.filter((s) => s.kind === 'count');
    if (counts.length > 0 && query.select.length > 1) {
      this.fail(counts[0].offset, 'COUNT() and other fields cannot be selected together', 'MALFORMED_QUERY');
    }
    // Resolve every path first so unknown fields fail before any work, as the server's compiler does.
    const selected: ResolvedPath[] = [];
    const seen = new Set<string>();
    for (const item of query.select) {
      if (item.kind !== 'field') continue;
      const resolved = this.resolve.path(object, item.path);
      const key = [...resolved.hops.map((h) => h.field.relationshipName), resolved.field.name].join('.').toLowerCase();
      if (seen.has(key)) this.fail(item.path.offset, `duplicate field selected: ${item.path.parts.join('.')}`);
      seen.add(key);
      selected.push(resolved);
    }
    if (query.where) this.checkCondition(object, query.where);
    const order = query.orderBy.map((o) => ({ ...o, resolved: this.resolve.path(object, o.path) }));

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
      const resolved = this.resolve.path(object, count.field);
      const n = rows.filter((r) => valueAt(r, resolved) !== null).length;
      return {
        totalSize: 1,
        done: true,
        records: [{ attributes: { type: 'AggregateResult' }, [count.alias ?? 'expr0']: n }],
      };
    }
    return { totalSize: rows.length, done: true, records: rows.map((r) => this.shape(object, r, selected)) };
  }

  /** Rows of an object matching a condition (used for the main query and for semi-joins). */
  private filteredRows(object: SObjectDef, where: Condition | undefined): Row[] {
    const rows = object.rows();
    return where ? rows.filter((r) => this.test(object, r, where)) : rows;
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
        this.checkLiteral(this.resolve.path(object, cond.field).field, cond.value);
        return;
      case 'in': {
        const field = this.resolve.path(object, cond.field).field;
        cond.values.forEach((v) => this.checkLiteral(field, v));
        return;
      }
      case 'like': {
        const field = this.resolve.path(object, cond.field).field;
        if (!isText(field.type) || cond.pattern.kind !== 'string') {
          this.fail(
            cond.field.offset,
            `invalid operator on ${field.type} field: LIKE`,
            'INVALID_QUERY_FILTER_OPERATOR',
          );
        }
        return;
      }
      case 'inQuery': {
        this.resolve.path(object, cond.field);
        const sub = cond.query;
        const subObject = this.resolve.object(sub);
        const items = sub.select;
        if (items.length !== 1 || items[0].kind !== 'field') {
          this.fail(
            sub.from.offset,
            'The selected field in a semi join subquery must be an Id or a reference field',
            'MALFORMED_QUERY',
          );
        }
        const item = items[0] as { kind: 'field'; path: FieldPath };
        const subField = this.resolve.path(subObject, item.path).field;
        if (subField.type !== 'id' && subField.type !== 'reference') {
          this.fail(
            item.path.offset,
            'The selected field in a semi join subquery must be an Id or a reference field',
            'MALFORMED_QUERY',
          );
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
        'INVALID_FIELD',
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
          this.fail(
            literal.offset,
            `value of filter criterion for field '${field.name}' must be of type string and should be enclosed in quotes`,
            'INVALID_FIELD',
          );
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
        const path = this.resolve.path(object, cond.field);
        return compareValues(path.field, valueAt(row, path), cond.op, cond.value);
      }
      case 'in': {
        const path = this.resolve.path(object, cond.field);
        const value = valueAt(row, path);
        const hit = cond.values.some((lit) => compareValues(path.field, value, '=', lit));
        return cond.negate ? !hit : hit;
      }
      case 'inQuery': {
        const path = this.resolve.path(object, cond.field);
        const value = valueAt(row, path);
        const sub = cond.query;
        const subObject = this.resolve.object(sub);
        const item = sub.select[0] as { kind: 'field'; path: FieldPath };
        const subPath = this.resolve.path(subObject, item.path);
        let subRows = this.filteredRows(subObject, sub.where);
        if (sub.limit !== undefined) subRows = subRows.slice(0, sub.limit);
        const hit = typeof value === 'string' && subRows.some((r) => sameId(String(valueAt(r, subPath) ?? ''), value));
        return cond.negate ? !hit : hit;
      }
      case 'like': {
        const path = this.resolve.path(object, cond.field);
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
    return {
      type: object.name,
      url: `/services/data/v${this.options.apiVersion}/sobjects/${object.name}/${String(row.Id)}`,
    };
  }
}
