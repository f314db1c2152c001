/** The syntax tree of a SOQL query, as the parser builds it and the evaluator reads it. Offsets point into the source. */

export type FieldPath = { parts: string[]; offset: number };
export type Literal =
  | { kind: 'string'; value: string; offset: number }
  | { kind: 'number'; value: number; offset: number }
  | { kind: 'boolean'; value: boolean; offset: number }
  | { kind: 'null'; offset: number }
  | { kind: 'datetime'; value: string; offset: number };

export type Condition =
  | { kind: 'and' | 'or'; left: Condition; right: Condition }
  | { kind: 'not'; operand: Condition }
  | { kind: 'compare'; field: FieldPath; op: string; value: Literal }
  | { kind: 'like'; field: FieldPath; pattern: Literal; negate: boolean }
  | { kind: 'in'; field: FieldPath; negate: boolean; values: Literal[] }
  | { kind: 'inQuery'; field: FieldPath; negate: boolean; query: Query };

export type SelectItem =
  { kind: 'field'; path: FieldPath } | { kind: 'count'; field?: FieldPath; alias?: string; offset: number };

export type Query = {
  select: SelectItem[];
  from: { name: string; offset: number };
  where?: Condition;
  orderBy: Array<{ path: FieldPath; desc: boolean; nullsLast: boolean }>;
  limit?: number;
  offset?: number;
};
