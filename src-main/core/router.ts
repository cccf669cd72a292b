import type { z } from 'zod';
import {
  isMethodName,
  methods,
  type MethodName,
  type MethodOutput,
  type MethodParsedInput,
} from '../../src-shared/contract/methods.js';
import { AppError, isAppError, type AppErrorData, type Result } from '../../src-shared/errors.js';
import { roleHasPermission } from '../../src-shared/roles.js';
import type { IdGenerator } from './platform/ids.js';
import type { Logger } from './platform/logger.js';
import { roleOf, type Principal } from './auth/principal.js';

export type Transport = 'ipc' | 'http' | 'cli' | 'test';

export interface CallContext {
  readonly transport: Transport;
  /** Bearer session token from the client. */
  readonly token?: string | null | undefined;
  /** Set only by trusted local transports (the CLI), which act as the operator. */
  readonly principal?: Principal | undefined;
  /** Free text for the session record: e.g. "http 127.0.0.1" or "electron". */
  readonly client?: string | undefined;
}

export interface HandlerCall {
  readonly principal: Principal | null;
  readonly context: CallContext;
}

export type Handlers = {
  [M in MethodName]: (
    input: MethodParsedInput<M>,
    call: HandlerCall,
  ) => MethodOutput<M> | Promise<MethodOutput<M>>;
};

export interface RouterDeps {
  handlers: Handlers;
  authenticate: (token: string | null | undefined) => Principal;
  logger: Logger;
  ids: IdGenerator;
  /** Tests turn this on so a handler returning the wrong shape fails loudly. */
  validateOutput?: boolean;
}

export interface Router {
  call(method: string, input: unknown, context: CallContext): Promise<Result<unknown>>;
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
 * correlation id; callers never see stack traces.
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

  return {
    async call(method, input, context) {
      try {
        if (!isMethodName(method)) throw new AppError('NOT_FOUND', `Unknown method "${method}".`);
        const spec = methods[method];
        let principal: Principal | null = null;
        if (spec.access !== 'public') {
          principal = context.principal ?? deps.authenticate(context.token);
        } else if (context.principal !== undefined) {
          principal = context.principal;
        }
        const parsed = spec.input.safeParse(input ?? {});
        if (!parsed.success) {
          const { message, issues } = describeIssues(parsed.error);
          throw new AppError('INVALID_INPUT', message, { issues });
        }
        if (spec.access !== 'public' && spec.access !== 'authenticated') {
          const role = roleOf(principal as Principal);
          if (!roleHasPermission(role, spec.access)) {
            throw new AppError(
              'PERMISSION_DENIED',
              `Your role (${role}) may not do this (${spec.summary.toLowerCase()}).`,
              {
                permission: spec.access,
              },
            );
          }
        }
        const handler = deps.handlers[method] as (input: unknown, call: HandlerCall) => unknown;
        const value = await handler(parsed.data, { principal, context });
        if (deps.validateOutput === true) {
          const checked = spec.output.safeParse(value);
          if (!checked.success)
            throw new Error(`Output of ${method} violates the contract: ${checked.error.message}`);
        }
        return { ok: true, value };
      } catch (error) {
        if (isAppError(error)) return { ok: false, error: error.toData() };
        return { ok: false, error: internal(method, error) };
      }
    },
  };
}
