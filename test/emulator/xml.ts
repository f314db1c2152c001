/**
 * Small XML toolkit for the emulator: a lossless element tree parsed with fast-xml-parser (namespace prefixes
 * removed, document order kept) and string builders for responses.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export const MD_NS = 'http://soap.sforce.com/2006/04/metadata';

export type XmlNode = {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  /** Concatenated text content of this element (trimmed). */
  text: string;
};

export class XmlParseError extends Error {
  public constructor(
    message: string,
    public readonly line?: number,
    public readonly column?: number,
  ) {
    super(message);
  }
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  processEntities: true,
});

type OrderedEntry = Record<string, unknown> & { ':@'?: Record<string, string> };

function toNode(entry: OrderedEntry): XmlNode | undefined {
  const name = Object.keys(entry).find((k) => k !== ':@');
  if (!name || name === '#text' || name === '#comment') return undefined;
  const rawChildren = (entry[name] ?? []) as OrderedEntry[];
  const elements: XmlNode[] = [];
  let text = '';
  for (const raw of rawChildren) {
    if ('#text' in raw) text += String(raw['#text']);
    else {
      const node = toNode(raw);
      if (node) elements.push(node);
    }
  }
  const attrs: Record<string, string> = {};
  for (const [k, v] of Object.entries(entry[':@'] ?? {})) {
    if (k !== 'xmlns') attrs[k] = String(v);
  }
  return { name, attrs, children: elements, text };
}

/** Parses a document and returns its root element. Throws XmlParseError for malformed XML. */
export function parseXml(xml: string): XmlNode {
  const trimmed = xml.replace(/^\uFEFF/, '');
  const valid = XMLValidator.validate(trimmed);
  if (valid !== true) {
    throw new XmlParseError(valid.err.msg, valid.err.line, valid.err.col);
  }
  const entries = parser.parse(trimmed) as OrderedEntry[];
  for (const entry of entries) {
    const node = toNode(entry);
    if (node) return node;
  }
  throw new XmlParseError('Premature end of file.', 1, 1);
}

export function child(node: XmlNode | undefined, name: string): XmlNode | undefined {
  return node?.children.find((c) => c.name === name);
}

export function children(node: XmlNode | undefined, name: string): XmlNode[] {
  return node ? node.children.filter((c) => c.name === name) : [];
}

export function childText(node: XmlNode | undefined, name: string): string | undefined {
  return child(node, name)?.text;
}

export function isNil(node: XmlNode): boolean {
  return node.attrs.nil === 'true';
}

/** 1-based line and column of the n-th (0-based) start tag `<name` (any prefix) in the source, for problem reports. */
export function locateElement(
  source: string,
  name: string,
  occurrence = 0,
): { line: number; column: number } | undefined {
  const re = new RegExp(`<(?:[A-Za-z_][\\w.-]*:)?${name}[\\s/>]`, 'g');
  let match: RegExpExecArray | null;
  let seen = 0;
  while ((match = re.exec(source)) !== null) {
    if (seen++ === occurrence) {
      const before = source.slice(0, match.index);
      const line = before.split('\n').length;
      const column = match.index - before.lastIndexOf('\n');
      return { line, column };
    }
  }
  return undefined;
}

// ---------------------------------------------------------------- writing

export function escapeXml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** A value that serializes to an element tree: scalars become text, arrays repeat the element, objects nest. */
export type XmlValue = string | number | boolean | null | undefined | XmlValue[] | XmlObject;
export type XmlObject = { [key: string]: XmlValue } & { '@attrs'?: Record<string, string> };

/** Serializes `{name: value}` to elements. `undefined` is skipped; `null` becomes `xsi:nil="true"`. */
export function toXml(name: string, value: XmlValue): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.map((v) => toXml(name, v)).join('');
  if (value === null) return `<${name} xsi:nil="true"/>`;
  if (typeof value === 'object') {
    const attrs = value['@attrs'];
    const attrText = attrs
      ? Object.entries(attrs)
          .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
          .join('')
      : '';
    const inner = Object.entries(value)
      .filter(([k]) => k !== '@attrs')
      .map(([k, v]) => toXml(k, v))
      .join('');
    return inner === '' ? `<${name}${attrText}/>` : `<${name}${attrText}>${inner}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}
