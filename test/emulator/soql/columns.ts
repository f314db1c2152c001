/** The `?columns=true` answer of the query resource: the columns a query selects, without running it. */
import { type FieldType, type SObjectField, isText } from '../sobjects/schema.js';
import type { Query } from './ast.js';
import type { Resolver } from './resolve.js';

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

export type ColumnsResult = {
  columnMetadata: ColumnMetadata[];
  entityName: string;
  groupBy: boolean;
  idSelected: boolean;
  keyPrefix: string | null;
};

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

export function queryColumns(resolve: Resolver, query: Query): ColumnsResult {
  const object = resolve.object(query);
  const out: ColumnMetadata[] = [];
  let idSelected = false;
  query.select.forEach((item, index) => {
    if (item.kind === 'count') {
      out.push({
        ...column(item.alias ?? `expr${index}`, item.field ? `COUNT(${item.field.parts.join('.')})` : 'COUNT()'),
        aggregate: true,
        apexType: 'Integer',
        numberType: true,
      });
      return;
    }
    const path = resolve.path(object, item.path);
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
