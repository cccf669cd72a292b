import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { createGzip, gzip } from 'node:zlib';
import {
  hasDescription,
  isCompressible,
  isDownload,
  STREAM_CONTENT_TYPES,
  STREAM_DESCRIPTION_HEADER,
  STREAM_FILE_EXTENSIONS,
  type StreamSpec,
} from '../../src-shared/contract/streams.js';
import type { StreamData, StreamReply } from '../core/index.js';
import { acceptsGzip } from './accept-encoding.js';
import { sendJson } from './json-response.js';

const gzipAsync = promisify(gzip);

/** JSON with every non-ASCII character escaped: header values must be plain ASCII. */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value ?? null).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** `attachment` with an ASCII fallback name and the exact name in RFC 5987 form. */
function attachment(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

function closeUnread(data: StreamData): void {
  if (data instanceof Uint8Array) return;
  // A handler's generator may hold a file open; HEAD reads none of it.
  void data[Symbol.asyncIterator]().return?.();
}

/**
 * Writes a stream's successful answer: an upload's JSON Result, or the bytes with the kind's
 * Content-Type, the description header, gzip where the kind allows it and the client accepts
 * it, and `attachment` for downloads (an exported HTML page must never run on the app's origin).
 */
export async function sendStreamReply(
  req: IncomingMessage,
  res: ServerResponse,
  name: string,
  spec: StreamSpec,
  reply: StreamReply,
): Promise<void> {
  const { response } = spec;
  if (response.kind === 'upload') {
    sendJson(res, 200, { ok: true, value: reply.description });
    return;
  }
  const headers: OutgoingHttpHeaders = {
    'Content-Type':
      response.kind === 'file'
        ? (reply.contentType ?? STREAM_CONTENT_TYPES.file)
        : STREAM_CONTENT_TYPES[response.kind],
    'Cache-Control': 'no-store',
  };
  if (hasDescription(response)) headers[STREAM_DESCRIPTION_HEADER] = asciiJson(reply.description);
  if (isDownload(response))
    headers['Content-Disposition'] = attachment(
      reply.filename ?? `${name}${STREAM_FILE_EXTENSIONS[response.kind]}`,
    );
  if (response.kind === 'html') headers['Content-Security-Policy'] = 'sandbox';
  const isGzip = isCompressible(response) && acceptsGzip(req.headers['accept-encoding']);
  if (isCompressible(response)) headers['Vary'] = 'Accept-Encoding';
  if (isGzip) headers['Content-Encoding'] = 'gzip';
  const data = reply.data ?? new Uint8Array(0);
  const isHead = req.method === 'HEAD';

  if (data instanceof Uint8Array) {
    const body = isGzip
      ? await gzipAsync(data)
      : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    res.writeHead(200, { ...headers, 'Content-Length': body.byteLength });
    res.end(isHead ? undefined : body);
    return;
  }
  res.writeHead(200, headers);
  if (isHead) {
    closeUnread(data);
    res.end();
    return;
  }
  const source = Readable.from(data, { objectMode: false });
  await (isGzip ? pipeline(source, createGzip(), res) : pipeline(source, res));
}
