/** HTTP plumbing shared by the emulator's routes: replies, JSON errors, bodies, multipart. */
import type { IncomingHttpHeaders } from 'node:http';

export type Reply = {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
};

/** A request as the routes see it. */
export type Req = {
  method: string;
  /** Path without the query string, e.g. `/services/data/v66.0/query`. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
};

export const JSON_TYPE = 'application/json;charset=UTF-8';
export const XML_TYPE = 'text/xml;charset=UTF-8';

export function json(status: number, value: unknown): Reply {
  return { status, headers: { 'content-type': JSON_TYPE }, body: JSON.stringify(value) };
}

/** REST error body: `[{"message":"…","errorCode":"…"}]`. */
export function restError(
  status: number,
  errorCode: string,
  message: string,
  extra: Record<string, unknown> = {},
): Reply {
  return json(status, [{ message, errorCode, ...extra }]);
}

/**
 * The reply that is never sent: the server keeps the socket open without answering until the client gives up (a route
 * that hangs on a real org, as a staged-credentials POST without a body under the reading stagedEmptyPostHangs).
 */
export const HANG: Reply = { status: 0 };

export function notFound(): Reply {
  return restError(404, 'NOT_FOUND', 'The requested resource does not exist');
}

export const INVALID_SESSION = (): Reply => restError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');

export function xml(status: number, body: string): Reply {
  return { status, headers: { 'content-type': XML_TYPE }, body };
}

/** Parses a JSON body; undefined when it is not JSON. */
export function parseJsonBody(req: Req): unknown {
  try {
    return JSON.parse(req.body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

export function bearerToken(req: Req): string | undefined {
  const header = req.headers.authorization;
  const match = header ? /^(?:Bearer|OAuth)\s+(.+)$/i.exec(header.trim()) : null;
  return match?.[1].trim();
}

export type MultipartPart = { name: string; filename?: string; contentType?: string; data: Buffer };

/** Splits a multipart/form-data body into its parts. */
export function parseMultipart(req: Req): MultipartPart[] | undefined {
  const type = req.headers['content-type'] ?? '';
  const boundaryMatch = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(type);
  if (!/^multipart\/form-data/i.test(type) || !boundaryMatch) return undefined;
  const boundary = Buffer.from(`--${boundaryMatch[1] ?? boundaryMatch[2]}`);
  const parts: MultipartPart[] = [];
  let pos = req.body.indexOf(boundary);
  while (pos >= 0) {
    const start = pos + boundary.length;
    if (req.body.subarray(start, start + 2).toString() === '--') break;
    const next = req.body.indexOf(boundary, start);
    if (next < 0) break;
    // Each part: CRLF, headers, blank line, data, CRLF, then the next boundary.
    const chunk = req.body.subarray(start + 2, next - 2);
    const headerEnd = chunk.indexOf('\r\n\r\n');
    if (headerEnd >= 0) {
      const headers = chunk.subarray(0, headerEnd).toString('utf8');
      const disposition = /content-disposition:([^\r\n]*)/i.exec(headers)?.[1] ?? '';
      const name = /\bname="([^"]*)"/i.exec(disposition)?.[1] ?? '';
      const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
      const contentType = /content-type:\s*([^\r\n]*)/i.exec(headers)?.[1]?.trim();
      parts.push({ name, filename, contentType, data: chunk.subarray(headerEnd + 4) });
    }
    pos = next;
  }
  return parts;
}
