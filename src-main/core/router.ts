import type { z } from 'zod';
import {
  isMethodName,
  methods,
  type Access,
  type MethodName,
  type MethodOutput,
  type MethodParsedInput,
} from '../../src-shared/contract/methods.js';
import { hasDescription, type StreamSpec } from '../../src-shared/contract/streams.js';
import { AppError, isAppError, type AppErrorData, type Result } from '../../src-shared/errors.js';
import { roleHasPermission } from '../../src-shared/roles.js';
import type { IdGenerator } from './platform/ids.js';
import type { Logger } from './platform/logger.js';
import { roleOf, type Principal } from './auth/principal.js';
import type { StreamBody, StreamReply, StreamTable } from './streams/stream-types.js';
import type { CallContext, HandlerCall } from './call-context.js';

export type { CallContext, HandlerCall, Transport } from './call-context.js';

export type Handlers = {
  [M in MethodName]: (
    input: MethodParsedInput<M>,
    call: HandlerCall,
  ) => MethodOutput<M> | Promise<MethodOutput<M>>;
};

/** A call the router refused before any handler ran (no or bad session, missing permission). */
export interface Refusal {
  name: string;
  code: 'UNAUTHENTICATED' | 'PERMISSION_DENIED';
  call: Pick<HandlerCall, 'principal' | 'context'>;
}

export interface RouterDeps {
  handlers: Handlers;
  /** The binary calls: the contract's streams (tests may extend the table). */
  streams: StreamTable;
  authenticate: (token: string | null | undefined) => Principal;
  /**
   * A role's data scope (a patient account sees only its own records): checks a permitted call
   * and answers the input to run it with. Absent: every role sees all records.
   */
  scope?: {
    /** Refuses a call the role's scope never allows, before its input is looked at. */
    admits(name: string, principal: Principal): void;
    apply(name: string, principal: Principal, input: unknown): unknown;
  };
  /** Audits a call refused for want of a session or a permission (the audit trail's refusals). */
  recordRefusal?: (refusal: Refusal) => void;
  logger: Logger;
  ids: IdGenerator;
  /** Tests turn this on so a handler returning the wrong shape fails loudly. */
  validateOutput?: boolean;
}

export interface Router {
  call(method: string, input: unknown, context: CallContext): Promise<Result<unknown>>;
  /**
   * A binary call: the same checks as `call` (authenticate, validate params, authorise), then
   * the stream's handler. `body` is an upload's request body; other streams take none.
   */
  stream(
    name: string,
    params: unknown,
    context: CallContext,
    body?: StreamBody,
  ): Promise<Result<StreamReply>>;
  /** The spec of a stream this router serves (shells choose HTTP verbs and headers by it). */
  streamSpec(name: string): StreamSpec | undefined;
  streamNames(): string[];
}

/** What `admit` needs of a method or stream spec. */
interface Gate {
  readonly access: Access;
  readonly summary: string;
  readonly schema: z.ZodType;
}

function describeIssues(error: z.ZodError): {
  message: string;
  issues: Array<{ path: string; message: string }>;
} {
  const issues = error.issues.map((issue) => ({
    path: issue.path.join('.') || '(input)',
    message: issue.message,
  }));
  const first = issues[0];
  const message =
    first === undefined
      ? 'The request is malformed.'
      : `Invalid ${first.path}: ${first.message}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}`;
  return { message, issues };
}

/**
 * The one entry point of every transport: authenticate, validate input, check permission,
 * call the handler, and return errors as data. Internal errors are logged under a
 * correlation id; callers never see stack traces. JSON methods (`call`) and binary streams
 * (`stream`) pass the same gate and the same error handling.
 */
export function createRouter(deps: RouterDeps): Router {
  function internal(method: string, error: unknown): AppErrorData {
    const correlationId = deps.ids();
    deps.logger.error('internal error', { method, correlationId, error });
    return {
      code: 'INTERNAL',
      message: `Something went wrong inside Neurosphere (reference ${correlationId}). The details were logged for support.`,
      correlationId,
    };
  }

  /** Runs a call, turning every failure into data. */
  async function settle<T>(name: string, work: () => Promise<T>): Promise<Result<T>> {
    try {
      return { ok: true, value: await work() };
    } catch (error) {
      if (isAppError(error)) return { ok: false, error: error.toData() };
      return { ok: false, error: internal(name, error) };
    }
  }

  /**
   * Authenticate, authorise, validate, scope, in that order: an anonymous caller learns nothing
   * from the input, and a role learns nothing about the inputs of calls it may not make.
   */
  function admit(
    name: string,
    gate: Gate,
    input: unknown,
    context: CallContext,
  ): HandlerCall & { data: unknown } {
    let principal: Principal | null = null;
    if (gate.access !== 'public') {
      try {
        principal = context.principal ?? deps.authenticate(context.token);
      } catch (error) {
        if (isAppError(error) && error.code === 'UNAUTHENTICATED')
          deps.recordRefusal?.({ name, code: error.code, call: { principal: null, context } });
        throw error;
      }
    } else if (context.principal !== undefined) {
      principal = context.principal;
    }
    const permitted = gate.access !== 'public' && gate.access !== 'authenticated';
    if (permitted) {
      const role = roleOf(principal as Principal);
      if (!roleHasPermission(role, gate.access)) {
        deps.recordRefusal?.({ name, code: 'PERMISSION_DENIED', call: { principal, context } });
        throw new AppError(
          'PERMISSION_DENIED',
          `Your role (${role}) may not do this (${gate.summary.toLowerCase()}).`,
          { permission: gate.access },
        );
      }
      deps.scope?.admits(name, principal as Principal);
    }
    const parsed = gate.schema.safeParse(input ?? {});
    if (!parsed.success) {
      const { message, issues } = describeIssues(parsed.error);
      throw new AppError('INVALID_INPUT', message, { issues });
    }
    const data =
      permitted && deps.scope !== undefined
        ? deps.scope.apply(name, principal as Principal, parsed.data)
        : parsed.data;
    return { principal, context, data };
  }

  function checkOutput(name: string, schema: z.ZodType, value: unknown): void {
    if (deps.validateOutput !== true) return;
    const checked = schema.safeParse(value);
    if (!checked.success)
      throw new Error(`Output of ${name} violates the contract: ${checked.error.message}`);
  }

  function streamSpec(name: string): StreamSpec | undefined {
    return Object.hasOwn(deps.streams.specs, name) ? deps.streams.specs[name] : undefined;
  }

  return {
    call(method, input, context) {
      return settle(method, async () => {
        if (!isMethodName(method)) throw new AppError('NOT_FOUND', `Unknown method "${method}".`);
        const spec = methods[method];
        const { data, ...call } = admit(method, { ...spec, schema: spec.input }, input, context);
        const handler = deps.handlers[method] as (input: unknown, call: HandlerCall) => unknown;
        const value = await handler(data, call);
        checkOutput(method, spec.output, value);
        return value;
      });
    },

    stream(name, params, context, body) {
      return settle(name, async () => {
        const spec = streamSpec(name);
        const handler = deps.streams.handlers[name];
        if (spec === undefined || handler === undefined)
          throw new AppError('NOT_FOUND', `Unknown stream "${name}".`);
        const { data, ...call } = admit(name, { ...spec, schema: spec.params }, params, context);
        const isUpload = spec.response.kind === 'upload';
        if (isUpload && body === undefined)
          throw new AppError('INVALID_INPUT', 'Send the file as the request body.');
        const reply = await handler(data, call, isUpload ? body : undefined);
        if (hasDescription(spec.response))
          checkOutput(name, spec.response.description, reply.description);
        return reply;
      });
    },

    streamSpec,
    streamNames: () => Object.keys(deps.streams.specs),
  };
}
