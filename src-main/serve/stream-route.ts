import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError, isAppError } from '../../src-shared/errors.js';
import type { Core } from '../core/index.js';
import { bearerToken } from './rpc-route.js';
import { queryParams, refuse, requestBody } from './stream-request.js';
import { sendStreamReply } from './stream-response.js';

const UPLOAD_VERBS = ['PUT', 'POST'];
const DOWNLOAD_VERBS = ['GET', 'HEAD'];

/**
 * `/api/stream/<name>?<params>`: every stream of the contract. Downloads with GET or HEAD,
 * uploads with PUT or POST and the file as the raw body; bearer token as for RPC. The router
 * checks everything (session, params, permission) before a handler runs, and errors come back
 * as the JSON Result the RPC route answers, with the same status codes.
 */
export async function handleStream(
  core: Core,
  req: IncomingMessage,
  res: ServerResponse,
  name: string,
): Promise<void> {
  const spec = core.router.streamSpec(name);
  const isUpload = spec?.response.kind === 'upload';
  if (spec !== undefined) {
    const verbs = isUpload ? UPLOAD_VERBS : DOWNLOAD_VERBS;
    if (!verbs.includes(req.method ?? '')) {
      const message = isUpload ? 'Send this file with PUT or POST.' : 'Read this with GET.';
      refuse(
        req,
        res,
        { code: 'INVALID_INPUT', message },
        {
          status: 405,
          headers: { Allow: verbs.join(', ') },
        },
      );
      return;
    }
  }
  let params: Record<string, string>;
  try {
    params = queryParams(req.url);
  } catch (error) {
    if (!isAppError(error)) throw error;
    refuse(req, res, error.toData());
    return;
  }
  const result = await core.router.stream(
    name,
    params,
    {
      transport: 'http',
      token: bearerToken(req.headers.authorization),
      client: `http ${req.socket.remoteAddress ?? 'unknown'}`,
    },
    isUpload ? requestBody(req) : undefined,
  );
  if (isUpload && !req.complete && (req.destroyed || res.destroyed)) {
    // The client went away mid-upload: nobody is left to answer, and nothing was kept.
    core.logger.info('upload aborted by the client', { stream: name });
    res.destroy();
    return;
  }
  if (!result.ok) {
    refuse(req, res, result.error);
    return;
  }
  if (spec === undefined) throw new AppError('INTERNAL', `The stream "${name}" has no spec.`);
  await sendStreamReply(req, res, name, spec, result.value);
}
