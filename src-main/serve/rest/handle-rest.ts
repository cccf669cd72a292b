import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Job } from '../../../src-shared/contract/entities.js';
import type { AppErrorData } from '../../../src-shared/errors.js';
import { beginReadRequest, type AuditScope, type Core } from '../../core/index.js';
import { sendJson } from '../json-response.js';
import { MAX_RPC_BODY_BYTES, readJsonBody } from '../request-body.js';
import { bearerToken } from '../rpc-route.js';
import { sendStreamReply } from '../stream-response.js';
import { applyCors } from './cors.js';
import { errorBody, restStatusFor } from './error-formats.js';
import { readForm } from './multipart.js';
import { createRateLimiter, DEFAULT_RATE_LIMIT_PER_MINUTE } from './rate-limit.js';
import { matchRoute } from './route-match.js';
import {
  RestFailure,
  type RestCall,
  type RestReply,
  type RestRoute,
  type SeedName,
} from './rest-types.js';

/** The Neurosphere seed's "Should handle files up to 50MB"; a site may raise it. */
export const DEFAULT_REST_UPLOAD_BYTES = 50 * 1024 * 1024;
const JOB_POLL_MS = 100;
/** A refused request's body is read and dropped up to this size, as the stream route does. */
const DRAIN_LIMIT_BYTES = 16 * 1024 * 1024;
const ENDED: ReadonlySet<Job['status']> = new Set(['completed', 'failed', 'cancelled']);

export interface RestOptions {
  /** Requests per user (or per client address without a valid token) per minute. */
  rateLimitPerMinute?: number;
  /** Origins whose web pages may call the REST API (CORS); empty by default. */
  corsOrigins?: readonly string[];
  /** Largest multipart body (an upload with its form fields). */
  maxUploadBytes?: number;
}

export interface RestApi {
  readonly routes: readonly RestRoute[];
  /** Answers a request for one of the routes; false when no route has this path. */
  handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean>;
}

/**
 * The seed documents' REST API as an adapter over the router: each route reads its request,
 * calls contract methods and streams with the caller's token (so validation, permissions, audit
 * and errors are the contract's), and writes the seed's shapes. Around it: CORS, a per-user rate
 * limit, body limits, and errors in each seed's format.
 */
export function createRestApi(
  core: Core,
  routes: readonly RestRoute[],
  options: RestOptions = {},
): RestApi {
  const limiter = createRateLimiter(options.rateLimitPerMinute ?? DEFAULT_RATE_LIMIT_PER_MINUTE);
  const corsOrigins = options.corsOrigins ?? [];
  const maxUploadBytes = options.maxUploadBytes ?? DEFAULT_REST_UPLOAD_BYTES;

  /** Rate limits count per user: a valid token's user, else the client's address. */
  function rateKey(req: IncomingMessage, token: string | null): string {
    if (token !== null) {
      try {
        const principal = core.auth.authenticate(token, { touch: false });
        if (principal.kind === 'user') return `user:${principal.user.id}`;
      } catch {
        // An invalid token is counted by address, like no token.
      }
    }
    return `address:${req.socket.remoteAddress ?? 'unknown'}`;
  }

  function sendError(
    res: ServerResponse,
    seed: SeedName,
    error: AppErrorData,
    status?: number,
    headers: Record<string, string> = {},
  ): void {
    const code = restStatusFor(seed, error, status);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    sendJson(res, code, errorBody(seed, code, error, new Date().toISOString()), headers);
    // A refused body may still be arriving: a small rest is drained (so the client reads the
    // answer), a large or endless one is cut off once answered.
    const req = res.req;
    if (req.complete) return;
    const declared = Number(req.headers['content-length'] ?? Number.NaN);
    if (Number.isFinite(declared) && declared <= DRAIN_LIMIT_BYTES) req.resume();
    else res.once('finish', () => req.destroy());
  }

  async function readBody(
    req: IncomingMessage,
    route: RestRoute,
  ): Promise<{ body: unknown; form: FormData | undefined }> {
    if (route.body === undefined || req.method === 'GET')
      return { body: undefined, form: undefined };
    if (route.body === 'json') {
      const read = await readJsonBody(req, MAX_RPC_BODY_BYTES);
      if (!read.ok) throw new RestFailure(read.error, read.status);
      return { body: read.value, form: undefined };
    }
    const type = (req.headers['content-type'] ?? '').toLowerCase();
    // A form route (the doctor/patient seed's login) takes JSON too.
    if (route.body === 'form' && type.startsWith('application/json')) {
      const read = await readJsonBody(req, MAX_RPC_BODY_BYTES);
      if (!read.ok) throw new RestFailure(read.error, read.status);
      return { body: read.value, form: undefined };
    }
    const limit = route.body === 'form' ? MAX_RPC_BODY_BYTES : maxUploadBytes;
    const form = await readForm(req, limit, route.body === 'form');
    return { body: route.body === 'form' ? Object.fromEntries(form.entries()) : undefined, form };
  }

  function restCall(
    req: IncomingMessage,
    res: ServerResponse,
    route: RestRoute,
    params: Record<string, string>,
    token: string | null,
    read: { body: unknown; form: FormData | undefined },
    auditScope: AuditScope | undefined,
  ): RestCall {
    const context = {
      transport: 'http' as const,
      token,
      client: `http ${req.socket.remoteAddress ?? 'unknown'}`,
      auditScope,
    };
    const call: RestCall['call'] = async (method, input) => {
      const result = await core.router.call(method, input, context);
      if (!result.ok) throw new RestFailure(result.error);
      return result.value as never;
    };
    return {
      params,
      query: new URL(req.url ?? '/', 'http://localhost').searchParams,
      body: read.body,
      form: read.form,
      token,
      call,
      async stream(name, streamParams, body) {
        const result = await core.router.stream(name, streamParams, context, body);
        if (!result.ok) throw new RestFailure(result.error);
        return result.value;
      },
      async whenJobEnds(jobId) {
        for (;;) {
          const job = await call('jobs.get', { id: jobId });
          if (ENDED.has(job.status)) return job;
          if (res.destroyed)
            throw new RestFailure({ code: 'CANCELLED', message: 'The client went away.' });
          await new Promise((resolve) => setTimeout(resolve, JOB_POLL_MS));
        }
      },
    };
  }

  async function send(req: IncomingMessage, res: ServerResponse, reply: RestReply): Promise<void> {
    if (reply.kind === 'json') {
      sendJson(res, reply.status ?? 200, reply.body);
      return;
    }
    const spec = core.router.streamSpec(reply.name);
    if (spec === undefined) throw new Error(`The stream ${reply.name} has no spec.`);
    await sendStreamReply(req, res, reply.name, spec, reply.reply);
  }

  return {
    routes,
    async handle(req, res, path) {
      const match = matchRoute(routes, req.method ?? 'GET', path);
      if (match === undefined) return false;
      if (applyCors(req, res, corsOrigins)) return true;
      if (match.kind === 'wrong-verb') {
        sendError(
          res,
          match.seed,
          { code: 'INVALID_INPUT', message: `Use ${match.allowed.join(' or ')} here.` },
          405,
          { Allow: match.allowed.join(', ') },
        );
        return true;
      }
      const { route, params } = match;
      const token = bearerToken(req.headers.authorization);
      const decision = limiter.take(rateKey(req, token));
      if (!decision.allowed) {
        sendError(
          res,
          route.seed,
          {
            code: 'CONFLICT',
            message: `Too many requests: at most ${options.rateLimitPerMinute ?? DEFAULT_RATE_LIMIT_PER_MINUTE} a minute. Try again in ${decision.retryAfterSeconds} s.`,
            details: { retryAfterSeconds: decision.retryAfterSeconds },
          },
          429,
          { 'Retry-After': String(decision.retryAfterSeconds) },
        );
        return true;
      }
      // A GET changes nothing: its calls are audited as one row, committed with the other reads
      // of the next few milliseconds (core/audit/request-audit.ts, docs/rest-api.md).
      const auditScope = route.verb === 'GET' ? beginReadRequest(core.audit) : undefined;
      try {
        const read = await readBody(req, route);
        const reply = await route.handle(
          restCall(req, res, route, params, token, read, auditScope),
        );
        await send(req, res, reply);
      } catch (error) {
        if (error instanceof RestFailure) {
          sendError(res, route.seed, error.error, error.status);
          return true;
        }
        const correlationId = randomUUID();
        core.logger.error('rest request failed', {
          correlationId,
          route: `${route.verb} ${route.path}`,
          error,
        });
        sendError(res, route.seed, {
          code: 'INTERNAL',
          message: `Something went wrong inside Neurosphere (reference ${correlationId}). The details were logged.`,
          correlationId,
        });
      } finally {
        // Also after a failure: what was read before it is written down.
        auditScope?.end();
      }
      return true;
    },
  };
}
