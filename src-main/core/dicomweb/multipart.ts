import { randomBytes } from 'node:crypto';

/** One body part of a multipart/related message: its headers (lower-case names) and bytes. */
export interface BodyPart {
  headers: Record<string, string>;
  body: Buffer;
}

const CRLF = Buffer.from('\r\n');

/** The value of a Content-Type parameter (`boundary`, `type`), quoted or not; null if absent. */
export function contentTypeParam(contentType: string, name: string): string | null {
  const pattern = new RegExp(`;\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i');
  const match = pattern.exec(contentType);
  return match === null ? null : (match[1] ?? match[2] ?? null);
}

/**
 * A multipart/related body of DICOM instances (STOW-RS, PS3.18 10.5): each part is one Part 10
 * file. The boundary is random, long enough never to occur inside a file by chance.
 */
export function buildMultipart(
  parts: readonly Buffer[],
  partType = 'application/dicom',
): { contentType: string; chunks: Buffer[]; bytes: number } {
  const boundary = `neurosphere-${randomBytes(16).toString('hex')}`;
  const chunks: Buffer[] = [];
  const head = Buffer.from(`--${boundary}\r\nContent-Type: ${partType}\r\n\r\n`);
  for (const part of parts) chunks.push(head, part, CRLF);
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    contentType: `multipart/related; type="${partType}"; boundary=${boundary}`,
    chunks,
    bytes: chunks.reduce((sum, c) => sum + c.length, 0),
  };
}

function parseHeaders(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0)
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

/**
 * Splits a multipart body (RFC 2046 5.1) into its parts. Delimiters are CRLF "--boundary" (the
 * first may open the body); the preamble and the epilogue are ignored; a body without its
 * closing delimiter is an error (a transfer cut short), never a silently shorter list.
 */
export function parseMultipart(body: Buffer, contentType: string): BodyPart[] {
  const boundary = contentTypeParam(contentType, 'boundary');
  if (boundary === null || !/^multipart\//i.test(contentType))
    throw new Error(`The answer is not multipart (Content-Type: ${contentType || 'none'}).`);
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  // The first delimiter may be at the very start (no CRLF before it).
  let at = body.subarray(0, delimiter.length - 2).equals(delimiter.subarray(2))
    ? 0
    : body.indexOf(delimiter);
  if (at < 0) throw new Error('The multipart answer has no part (its boundary never occurs).');
  let next = at === 0 ? delimiter.length - 2 : at + delimiter.length;
  const parts: BodyPart[] = [];
  for (;;) {
    // After a delimiter: "--" closes the body; otherwise optional spaces, then CRLF.
    if (body[next] === 0x2d && body[next + 1] === 0x2d) return parts;
    const lineEnd = body.indexOf(CRLF, next);
    if (lineEnd < 0) break;
    const start = lineEnd + 2;
    at = body.indexOf(delimiter, start);
    if (at < 0) break;
    const part = body.subarray(start, at);
    const split = part.subarray(0, 2).equals(CRLF) ? 0 : part.indexOf('\r\n\r\n');
    if (split < 0) throw new Error('A part of the multipart answer has no end of headers.');
    parts.push(
      split === 0
        ? { headers: {}, body: part.subarray(2) }
        : {
            headers: parseHeaders(part.subarray(0, split).toString('latin1')),
            body: part.subarray(split + 4),
          },
    );
    next = at + delimiter.length;
  }
  throw new Error(
    `The multipart answer was cut short after ${parts.length} parts (no closing boundary).`,
  );
}
