/**
 * The shape of the sObject catalog SOQL and the sObject REST resources run against: objects with typed fields,
 * relationships, and rows. catalog.ts builds the emulator's catalog from the org state.
 */

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

/** Finds a reference field by its relationship name (`Profile` for ProfileId), case-insensitively. */
export function findRelationship(object: SObjectDef, name: string): SObjectField | undefined {
  return object.fields.find((f) => f.relationshipName?.toLowerCase() === name.toLowerCase());
}

/** Text field types (LIKE applies to them; `textType` in column metadata). */
export function isText(type: FieldType): boolean {
  return type === 'string' || type === 'picklist' || type === 'email' || type === 'url' || type === 'textarea';
}
