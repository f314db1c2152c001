/**
 * Name resolution of a query against the catalog: the FROM object, and field paths (`Profile.Name`) as relationship
 * hops plus a field, with canonical names; unknown names fail with Salesforce's errors. Also reads a resolved path's
 * value from a row.
 */
import { sameId } from '../ids.js';
import { type Catalog, type Row, type SObjectDef, type SObjectField, findRelationship } from '../sobjects/schema.js';
import type { FieldPath, Query } from './ast.js';
import type { Fail } from './errors.js';

export type ResolvedPath = {
  /** Relationship hops from the root object, with canonical names. */
  hops: Array<{ field: SObjectField; target: SObjectDef }>;
  field: SObjectField;
  object: SObjectDef;
};

export class Resolver {
  public constructor(
    private readonly catalog: Catalog,
    private readonly fail: Fail,
  ) {}

  public object(query: Query): SObjectDef {
    const object = this.catalog.object(query.from.name);
    if (!object) {
      this.fail(
        query.from.offset,
        `sObject type '${query.from.name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
        'INVALID_TYPE',
      );
    }
    return object;
  }

  public path(root: SObjectDef, path: FieldPath): ResolvedPath {
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
          'INVALID_FIELD',
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
        'INVALID_FIELD',
      );
    }
    return { hops, field, object };
  }
}

/** Follows relationship hops from a row to the field value (null when a lookup is empty). */
export function valueAt(row: Row, path: ResolvedPath): unknown {
  let current: Row | undefined = row;
  for (const hop of path.hops) {
    const id: unknown = current?.[hop.field.name];
    current = typeof id === 'string' ? hop.target.rows().find((r) => sameId(String(r.Id), id)) : undefined;
    if (!current) return null;
  }
  const value = current[path.field.name];
  return value === undefined ? null : value;
}
