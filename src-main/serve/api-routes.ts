import type { IncomingMessage, ServerResponse } from 'node:http';
import { EVENT_NAMES } from '../../src-shared/contract/events.js';
import { METHOD_NAMES, methods } from '../../src-shared/contract/methods.js';
import type { Core } from '../core/index.js';
import { ANALYSES_PREFIX, handleAnalysisImage } from './analysis-image-route.js';
import { failure, sendJson } from './json-response.js';
import { FRAMES_PREFIX, handleFrame } from './frame-route.js';
import { handleLabels, LABELS_PREFIX } from './label-route.js';
import { handleRpc } from './rpc-route.js';
import { handleUpload, UPLOADS_PATH } from './upload-route.js';

const RPC_PREFIX = '/api/rpc/';

/** The contract in a form a client (or a person with curl) can read: names, access, summary. */
export function describeContract(): {
  methods: Array<{ name: string; access: string; summary: string }>;
  events: string[];
} {
  return {
    methods: METHOD_NAMES.map((name) => ({
      name,
      access: methods[name].access,
      summary: methods[name].summary,
    })),
    events: [...EVENT_NAMES],
  };
}

function allowOnlyGet(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method === 'GET' || req.method === 'HEAD') return true;
  sendJson(res, 405, failure('INVALID_INPUT', 'Use GET here.'), { Allow: 'GET, HEAD' });
  return false;
}

/** Everything under /api except the event socket (an upgrade, handled by the socket server). */
export async function handleApi(
  core: Core,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<void> {
  if (path === '/api/health') {
    // Public, as in the seed API: monitoring must work without an account.
    if (allowOnlyGet(req, res)) sendJson(res, 200, core.health());
    return;
  }
  if (path === '/api/methods') {
    if (allowOnlyGet(req, res)) sendJson(res, 200, describeContract());
    return;
  }
  if (path === UPLOADS_PATH) {
    await handleUpload(core, req, res);
    return;
  }
  if (path.startsWith(FRAMES_PREFIX)) {
    await handleFrame(core, req, res, path);
    return;
  }
  if (path.startsWith(LABELS_PREFIX)) {
    await handleLabels(core, req, res, path);
    return;
  }
  if (path.startsWith(ANALYSES_PREFIX)) {
    await handleAnalysisImage(core, req, res, path);
    return;
  }
  if (path.startsWith(RPC_PREFIX) && path.length > RPC_PREFIX.length) {
    await handleRpc(core, req, res, path.slice(RPC_PREFIX.length));
    return;
  }
  sendJson(res, 404, failure('NOT_FOUND', `There is no API endpoint ${path}.`));
}
