/** How SOQL compares values: filter operators and NULL rules, sort order, and LIKE patterns. */
import { sameId } from '../ids.js';
import type { SObjectField } from '../sobjects/schema.js';
import type { Literal } from './ast.js';

export function literalText(literal: Literal): string {
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

export function compareValues(field: SObjectField, value: unknown, op: string, literal: Literal): boolean {
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

export function compareForSort(a: unknown, b: unknown, nullsLast: boolean, desc: boolean): number {
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
export function likeToRegExp(pattern: string): RegExp {
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
