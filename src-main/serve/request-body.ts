import type { IncomingMessage } from 'node:http';
import type { AppErrorData } from '../../src-shared/errors.js';

/** RPC inputs are small (ids, filters, paths); anything bigger is a mistake or an attack. */
export const MAX_RPC_BODY_BYTES = 1024 * 1024;

/** How far past the limit a body is still read (and discarded) before the connection is cut. */
const DRAIN_FACTOR = 16;

export type BodyResult =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly status: number; readonly error: AppErrorData };

function tooLarge(limit: number): BodyResult {
  return {
    ok: false,
    status: 413,
    error: {
      code: 'FILE_TOO_LARGE',
      message: `The request body is larger than ${Math.round(limit / 1024)} KiB.`,
    },
  };
}

function isJsonContentType(header: string | undefined): boolean {
  const mediaType = header?.split(';')[0]?.trim().toLowerCase();
  return mediaType === 'application/json';
}

/**
 * Reads a JSON request body of at most `limit` bytes. An empty body is `undefined`, so
 * methods without input can be called with a bare POST.
 */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  // Refuse before reading when the client announces the size; Node discards the rest.
  if (Number.isFinite(declared) && declared > limit) return tooLarge(limit);

  const chunks: Buffer[] = [];
  let size = 0;
  let isOverLimit = false;
  for await (const chunk of req) {
    const bytes = chunk as Buffer;
    size += bytes.byteLength;
    // Keep draining without storing, so the client can still read the 413 answer,
    // but not forever: an endless upload is cut off.
    if (size > limit * DRAIN_FACTOR) {
      req.destroy();
      return tooLarge(limit);
    }
    if (size > limit) isOverLimit = true;
    else chunks.push(bytes);
  }
  if (isOverLimit) return tooLarge(limit);
  if (size === 0) return { ok: true, value: undefined };

  if (!isJsonContentType(req.headers['content-type'])) {
    return {
      ok: false,
      status: 415,
      error: { code: 'INVALID_INPUT', message: 'Send the request body as application/json.' },
    };
  }
  try {
    return { ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown };
  } catch {
    return {
      ok: false,
      status: 400,
      error: { code: 'INVALID_INPUT', message: 'The request body is not valid JSON.' },
    };
  }
}
