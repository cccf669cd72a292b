import type { IncomingMessage, ServerResponse } from 'node:http';
import { httpStatusFor, AppError, type AppErrorData } from '../../src-shared/errors.js';
import type { StreamBody } from '../core/index.js';
import { sendJson } from './json-response.js';

/** A refused request's body is read and dropped up to this size (so the client sees the answer). */
const DRAIN_LIMIT_BYTES = 16 * 1024 * 1024;

export function declaredLength(req: IncomingMessage): number | null {
  const value = Number(req.headers['content-length'] ?? Number.NaN);
  return Number.isFinite(value) && value >= 0 ? value : null;
}

/**
 * A stream's params from the query string: each name once, values as text (the params schema
 * accepts the text of numbers). A repeated name is refused rather than guessed at.
 */
export function queryParams(rawUrl: string | undefined): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [name, value] of new URL(rawUrl ?? '/', 'http://localhost').searchParams) {
    if (Object.hasOwn(params, name))
      throw new AppError('INVALID_INPUT', `The parameter "${name}" is given more than once.`);
    params[name] = value;
  }
  return params;
}

/**
 * An upload's body as the core reads it. A client that goes away mid-upload ends it with
 * CANCELLED (an expected event, not a bug to log as INTERNAL).
 */
export function requestBody(req: IncomingMessage): StreamBody {
  const interrupted = (): AppError =>
    new AppError('CANCELLED', 'The upload was interrupted before all its bytes arrived.');
  async function* chunks(): AsyncGenerator<Uint8Array> {
    try {
      for await (const chunk of req) yield chunk as Uint8Array;
    } catch (error) {
      if (!req.complete) throw interrupted();
      throw error;
    }
    if (!req.complete) throw interrupted();
  }
  return { chunks: chunks(), declaredBytes: declaredLength(req) };
}

/**
 * Answers an error while a request body may still be arriving. A browser that is still sending
 * does not read the answer, so a small rest is drained; a large one is cut off once answered.
 */
export function refuse(
  req: IncomingMessage,
  res: ServerResponse,
  error: AppErrorData,
  options: { status?: number; headers?: Record<string, string> } = {},
): void {
  const status = options.status ?? httpStatusFor(error.code);
  const headers = options.headers ?? {};
  if (req.complete) {
    sendJson(res, status, { ok: false, error }, headers);
    return;
  }
  const rest = declaredLength(req);
  const isSmall = rest !== null && rest <= DRAIN_LIMIT_BYTES;
  sendJson(
    res,
    status,
    { ok: false, error },
    isSmall ? headers : { ...headers, Connection: 'close' },
  );
  if (isSmall) req.resume();
  else res.once('finish', () => req.destroy());
}
