import type { IncomingMessage, ServerResponse } from 'node:http';
import { httpStatusFor } from '../../src-shared/errors.js';
import type { Core } from '../core/index.js';
import { failure, sendJson } from './json-response.js';
import { MAX_RPC_BODY_BYTES, readJsonBody } from './request-body.js';

/** The token of an `Authorization: Bearer <token>` header; anything else is no token. */
export function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1] ?? null;
}

/**
 * POST /api/rpc/<method>: the body is the method's input, the answer the router's Result.
 * The HTTP transport never sets a principal: every caller is whoever its token says.
 */
export async function handleRpc(
  core: Core,
  req: IncomingMessage,
  res: ServerResponse,
  method: string,
): Promise<void> {
  if (req.method !== 'POST') {
    sendJson(res, 405, failure('INVALID_INPUT', 'Call RPC methods with POST.'), { Allow: 'POST' });
    return;
  }
  const body = await readJsonBody(req, MAX_RPC_BODY_BYTES);
  if (!body.ok) {
    sendJson(res, body.status, { ok: false, error: body.error });
    return;
  }
  const result = await core.router.call(method, body.value, {
    transport: 'http',
    token: bearerToken(req.headers.authorization),
    client: `http ${req.socket.remoteAddress ?? 'unknown'}`,
  });
  sendJson(res, result.ok ? 200 : httpStatusFor(result.error.code), result);
}
