import type { IncomingMessage, ServerResponse } from 'node:http';
import { httpStatusFor, isAppError } from '../../src-shared/errors.js';
import { type Core, authorizeBinaryCall } from '../core/index.js';
import { failure, sendJson } from './json-response.js';
import { bearerToken } from './rpc-route.js';

/**
 * The frame, analysis-image and label routes alike: GET or HEAD only; bearer token and
 * `scans.read` checked before the path is looked at, so an anonymous caller learns nothing from
 * it; AppErrors answered as the JSON router would. `respond` writes the binary answer.
 */
export async function serveScanRead(
  core: Core,
  req: IncomingMessage,
  res: ServerResponse,
  what: string,
  respond: () => Promise<void>,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendJson(res, 405, failure('INVALID_INPUT', `Read ${what} with GET.`), {
      Allow: 'GET, HEAD',
    });
    return;
  }
  try {
    authorizeBinaryCall(
      core.auth,
      bearerToken(req.headers.authorization),
      'scans.read',
      'view scans',
    );
    await respond();
  } catch (error) {
    if (!isAppError(error)) throw error;
    sendJson(res, httpStatusFor(error.code), { ok: false, error: error.toData() });
  }
}
