/** SOQL errors: Salesforce's error codes and message layout (`\n<query>\n   ^\nERROR at Row:r:Column:c\n<text>`). */

export class SoqlError extends Error {
  public constructor(
    public readonly errorCode: string,
    message: string,
  ) {
    super(message);
  }
}

/** Reports a problem at an offset of the query and stops (throws). */
export type Fail = (offset: number, text: string, code?: string) => never;

/** The message of a SoqlError: the query line, a caret under the offset, the position and the text. */
export function formatError(source: string, offset: number, text: string): string {
  const before = source.slice(0, offset);
  const row = before.split('\n').length;
  const col = offset - before.lastIndexOf('\n');
  const line = source.split('\n')[row - 1] ?? '';
  return `\n${line}\n${' '.repeat(Math.max(0, col - 1))}^\nERROR at Row:${row}:Column:${col}\n${text}`;
}
