/**
 * A component record and its XML. Parsing: a component element (a component file's root, or a CRUD `<metadata>`
 * element) becomes a record; every element must be a field of the type known at the API version, with a value of the
 * field's kind (boolean, int, enum value…). Failures are "Error parsing file" problems in a deploy and SOAP faults in
 * CRUD calls. Writing: a record becomes elements again, alphabetical, secrets left out (readMetadata, retrieve).
 */
import { MD_NS, type XmlNode, type XmlObject, type XmlValue, isNil, locateElement } from '../xml.js';
import type { MdRecord, MdValue } from './store.js';
import { type FieldDef, type FieldTable, type MetadataTypeDef, fieldExistsAt } from './types.js';

export type Problem = {
  problem: string;
  /** Status code used when the problem is reported by a CRUD call. */
  statusCode: string;
  /** Fields the problem is about (CRUD `errors.fields`). */
  fields?: string[];
  line?: number;
  column?: number;
};

export type ParseResult = { ok: true; fullName?: string; record: MdRecord } | { ok: false; problem: Problem };

/**
 * Converts a component element (the root of a component file, or a CRUD `<metadata>` element) to a record.
 * `source` (the file text) only serves to locate elements for line/column numbers.
 */
export function parseComponent(
  def: MetadataTypeDef,
  node: XmlNode,
  apiVersion: number,
  options: { allowFullName: boolean; source?: string },
): ParseResult {
  const seen = new Map<string, number>();
  const at = (name: string): { line?: number; column?: number } => {
    if (!options.source) return {};
    const occurrence = seen.get(name) ?? 0;
    return locateElement(options.source, name, occurrence) ?? {};
  };
  let fullName: string | undefined;
  const record: MdRecord = {};
  for (const el of node.children) {
    const position = at(el.name);
    seen.set(el.name, (seen.get(el.name) ?? 0) + 1);
    if (el.name === 'fullName' && options.allowFullName) {
      fullName = el.text;
      continue;
    }
    const result = convertField(def.name, def.fields, el, apiVersion, record);
    if (result) return { ok: false, problem: { ...result, ...position } };
  }
  return { ok: true, fullName, record };
}

function invalidElement(name: string, typeName: string): Problem {
  return {
    problem: `Element {${MD_NS}}${name} invalid at this location in type ${typeName}`,
    statusCode: 'INVALID_TYPE',
    fields: [name],
  };
}

/** Adds one element's value to `target`; returns a problem when the element or its value is invalid. */
function convertField(
  typeName: string,
  table: FieldTable,
  el: XmlNode,
  apiVersion: number,
  target: Record<string, MdValue>,
): Problem | undefined {
  const field = Object.prototype.hasOwnProperty.call(table, el.name) ? table[el.name] : undefined;
  if (!field || !fieldExistsAt(field, apiVersion)) return invalidElement(el.name, typeName);
  if (!field.list && el.name in target) return invalidElement(el.name, typeName);
  if (isNil(el)) return undefined;
  const value = convertValue(field, el, apiVersion);
  if ('problem' in value) return value.problem;
  if (field.list) {
    const list = (target[el.name] as MdValue[] | undefined) ?? [];
    list.push(value.value);
    target[el.name] = list;
  } else {
    target[el.name] = value.value;
  }
  return undefined;
}

function convertValue(field: FieldDef, el: XmlNode, apiVersion: number): { value: MdValue } | { problem: Problem } {
  if (field.kind === 'complex') {
    const nested: Record<string, MdValue> = {};
    for (const child of el.children) {
      const problem = convertField(field.typeName, field.fields, child, apiVersion, nested);
      if (problem) return { problem };
    }
    const missing = Object.keys(field.fields).find(
      (name) => field.fields[name].required && fieldExistsAt(field.fields[name], apiVersion) && !(name in nested),
    );
    if (missing) return { problem: requiredMissing(missing) };
    return { value: nested };
  }
  if (el.children.length > 0) return { problem: invalidElement(el.children[0].name, field.kind) };
  const text = el.text;
  switch (field.kind) {
    case 'string':
      return { value: text };
    case 'boolean':
      if (text === 'true' || text === '1') return { value: true };
      if (text === 'false' || text === '0') return { value: false };
      // Wording not documented [?].
      return {
        problem: {
          problem: `'${text}' is not a valid value for the type boolean`,
          statusCode: 'INVALID_TYPE',
          fields: [el.name],
        },
      };
    case 'int': {
      if (!/^[+-]?\d+$/.test(text)) {
        return {
          problem: {
            problem: `'${text}' is not a valid value for the type int`,
            statusCode: 'INVALID_TYPE',
            fields: [el.name],
          },
        };
      }
      const n = Number(text);
      if ((field.min !== undefined && n < field.min) || (field.max !== undefined && n > field.max)) {
        return {
          problem: {
            problem: `In field: ${el.name} - value out of range: ${n}`,
            statusCode: 'FIELD_INTEGRITY_EXCEPTION',
            fields: [el.name],
          },
        };
      }
      return { value: n };
    }
    case 'enum':
      if (field.values.includes(text)) return { value: text };
      return {
        problem: {
          problem: `'${text}' is not a valid value for the enum '${field.enumName}'`,
          statusCode: 'INVALID_TYPE',
          fields: [el.name],
        },
      };
  }
}

export function requiredMissing(name: string): Problem {
  return { problem: `Required field is missing: ${name}`, statusCode: 'REQUIRED_FIELD_MISSING', fields: [name] };
}

// ------------------------------------------------------------------------------------------------ writing

/** Field names of a record in output order: alphabetical, secrets dropped. */
function outputFields(table: FieldTable, record: Record<string, MdValue>): string[] {
  return Object.keys(record)
    .filter((k) => !table[k]?.secret)
    .sort((a, b) => a.localeCompare(b));
}

/** A record as an XmlObject (alphabetical elements, secrets never included); nested values recurse. */
export function recordToXmlObject(table: FieldTable, record: Record<string, MdValue>): XmlObject {
  const out: XmlObject = {};
  for (const name of outputFields(table, record)) {
    const field = table[name];
    const render = (v: MdValue): XmlValue =>
      field?.kind === 'complex' && typeof v === 'object' && !Array.isArray(v)
        ? recordToXmlObject(field.fields, v)
        : (v as XmlValue);
    const value = record[name];
    out[name] = Array.isArray(value) ? value.map(render) : render(value);
  }
  return out;
}
