import type { z } from 'zod';
import type { Job } from '../../../src-shared/contract/entities.js';
import type {
  MethodInput,
  MethodName,
  MethodOutput,
} from '../../../src-shared/contract/methods.js';
import type { StreamName, StreamParams } from '../../../src-shared/contract/streams.js';
import type { AppErrorData } from '../../../src-shared/errors.js';
import type { StreamBody, StreamReply } from '../../core/index.js';

/** The seed document a route comes from: it decides the paths, the shapes and the error format. */
export type SeedName =
  'neurosphere' | 'brain-tumor-detection' | 'medical-imaging-ai' | 'doctor-patient';

export type HttpVerb = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** A parameter a route reads from its path or query string (for the OpenAPI document). */
export interface RestParam {
  readonly name: string;
  readonly in: 'path' | 'query';
  readonly type: 'string' | 'integer';
  readonly description: string;
  readonly required?: boolean;
}

/** What a route's handler sees: its params, its body, and the contract (through the router). */
export interface RestCall {
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** The parsed JSON (or form) body; undefined without one. */
  readonly body: unknown;
  /** The parts of a multipart/form-data body. */
  readonly form: FormData | undefined;
  /** The bearer token the request carried (a refresh route reads it as the refresh token). */
  readonly token: string | null;
  /** A contract method through the router: the same validation, permissions, audit, errors. */
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
  /** A contract stream through the router. */
  stream<S extends StreamName>(
    name: S,
    params: StreamParams<S>,
    body?: StreamBody,
  ): Promise<StreamReply>;
  /** Resolves when a job the caller started has ended (polled through `jobs.get`). */
  whenJobEnds(jobId: string): Promise<Job>;
}

export type RestReply =
  | { readonly kind: 'json'; readonly status?: number; readonly body: unknown }
  | { readonly kind: 'stream'; readonly name: StreamName; readonly reply: StreamReply };

/** One REST route: a seed's path over contract methods and streams, with no logic of its own. */
export interface RestRoute {
  readonly verb: HttpVerb;
  /** With `{name}` placeholders, as the seed writes it (OpenAPI's syntax too). */
  readonly path: string;
  readonly seed: SeedName;
  readonly summary: string;
  /** The contract methods and streams it adapts (listed in the OpenAPI document). */
  readonly uses: readonly string[];
  /** `public` routes need no token (health, login); every other route needs a bearer token. */
  readonly access: 'public' | 'bearer';
  readonly body?: 'json' | 'multipart' | 'form';
  readonly params?: readonly RestParam[];
  /** 201 for routes that create something, 202 for those that start work; 200 otherwise. */
  readonly successStatus?: 201 | 202;
  /** When the route answers 409 Conflict, in words (documented in the OpenAPI document). */
  readonly conflict?: string;
  /** The JSON answer's shape, or the file type a download answers with. */
  readonly response: z.ZodType | { readonly file: string };
  handle(call: RestCall): Promise<RestReply>;
}

/** A failure on its way to the seed's error format. */
export class RestFailure extends Error {
  readonly error: AppErrorData;
  readonly status: number | undefined;

  constructor(error: AppErrorData, status?: number) {
    super(error.message);
    this.name = 'RestFailure';
    this.error = error;
    this.status = status;
  }
}

export function json(body: unknown, status?: number): RestReply {
  return status === undefined ? { kind: 'json', body } : { kind: 'json', body, status };
}
