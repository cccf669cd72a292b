import type { IncomingMessage, ServerResponse } from 'node:http';
import { EVENT_NAMES } from '../../src-shared/contract/events.js';
import { METHOD_NAMES, methods } from '../../src-shared/contract/methods.js';
import { STREAM_PATH_PREFIX } from '../../src-shared/contract/streams.js';
import type { Core } from '../core/index.js';
import { failure, sendJson } from './json-response.js';
import { handleRpc } from './rpc-route.js';
import { handleStream } from './stream-route.js';

const RPC_PREFIX = '/api/rpc/';

/** The contract in a form a client (or a person with curl) can read: names, access, summary. */
export function describeContract(router: Core['router']): {
  methods: Array<{ name: string; access: string; summary: string }>;
  streams: Array<{ name: string; access: string; summary: string; kind: string }>;
  events: string[];
} {
  return {
    methods: METHOD_NAMES.map((name) => ({
      name,
      access: methods[name].access,
      summary: methods[name].summary,
    })),
    streams: router.streamNames().flatMap((name) => {
      const spec = router.streamSpec(name);
      return spec === undefined
        ? []
        : [{ name, access: spec.access, summary: spec.summary, kind: spec.response.kind }];
    }),
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
    if (allowOnlyGet(req, res)) sendJson(res, 200, describeContract(core.router));
    return;
  }
  if (path.startsWith(STREAM_PATH_PREFIX) && path.length > STREAM_PATH_PREFIX.length) {
    await handleStream(core, req, res, path.slice(STREAM_PATH_PREFIX.length));
    return;
  }
  if (path.startsWith(RPC_PREFIX) && path.length > RPC_PREFIX.length) {
    await handleRpc(core, req, res, path.slice(RPC_PREFIX.length));
    return;
  }
  sendJson(res, 404, failure('NOT_FOUND', `There is no API endpoint ${path}.`));
}
