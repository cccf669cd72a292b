import type { IncomingMessage, ServerResponse } from 'node:http';
import { httpStatusFor, isAppError, type AppErrorData } from '../../src-shared/errors.js';
import { type Core, authorizeBinaryCall, uploadOwnerOf } from '../core/index.js';
import { failure, sendJson } from './json-response.js';
import { bearerToken } from './rpc-route.js';

export const UPLOADS_PATH = '/api/uploads';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A refused request's body is read and dropped up to this size (so the client sees the answer). */
const DRAIN_LIMIT_BYTES = 16 * 1024 * 1024;

function declaredLength(req: IncomingMessage): number | null {
  const value = Number(req.headers['content-length'] ?? Number.NaN);
  return Number.isFinite(value) && value >= 0 ? value : null;
}

/**
 * Answers an error while the body may still be arriving. A browser that is still sending does
 * not read the answer, so a small rest is drained; a large one is cut off once answered.
 */
function refuse(req: IncomingMessage, res: ServerResponse, error: AppErrorData): void {
  const status = httpStatusFor(error.code);
  if (req.complete) {
    sendJson(res, status, { ok: false, error });
    return;
  }
  const rest = declaredLength(req);
  const isSmall = rest !== null && rest <= DRAIN_LIMIT_BYTES;
  sendJson(res, status, { ok: false, error }, isSmall ? {} : { Connection: 'close' });
  if (isSmall) req.resume();
  else res.once('finish', () => req.destroy());
}

/**
 * `POST /api/uploads?batch=<uuid>&name=<relative path>`: the raw body is one file of an upload
 * batch opened with `uploads.begin`, streamed to the staging folder. Bearer token and the
 * `import.run` permission, as for `import.files`.
 */
export async function handleUpload(
  core: Core,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (req.method !== 'POST') {
    sendJson(res, 405, failure('INVALID_INPUT', 'Upload files with POST.'), { Allow: 'POST' });
    req.resume();
    return;
  }
  const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
  const batchId = query.get('batch') ?? '';
  const name = query.get('name') ?? '';
  try {
    const principal = authorizeBinaryCall(
      core.auth,
      bearerToken(req.headers.authorization),
      'import.run',
      'import scans',
    );
    if (!UUID.test(batchId)) {
      refuse(req, res, {
        code: 'INVALID_INPUT',
        message: 'The upload batch id is missing or malformed.',
      });
      return;
    }
    const file = await core.uploads.receive(
      batchId,
      name,
      uploadOwnerOf(principal),
      req,
      declaredLength(req),
    );
    sendJson(res, 200, { ok: true, value: file });
  } catch (error) {
    if (isAppError(error)) {
      refuse(req, res, error.toData());
      return;
    }
    // The client went away mid-upload: nobody is left to answer, and nothing was kept.
    if (!req.complete && (req.destroyed || res.destroyed)) {
      core.logger.info('upload aborted by the client', { batchId });
      res.destroy();
      return;
    }
    throw error;
  }
}
