import type { z } from 'zod';
import type {
  DescriptionOf,
  StreamResponse,
  StreamSpec,
  Streams,
} from '../../../src-shared/contract/streams.js';
import type { HandlerCall } from '../call-context.js';

/** A stream's bytes: whole, or as chunks (a large file is then never held in memory at once). */
export type StreamData = Uint8Array | AsyncIterable<Uint8Array>;

/** The request body of an `upload` stream, as the shell received it. */
export interface StreamBody {
  readonly chunks: AsyncIterable<Uint8Array>;
  /** What the client announced (Content-Length, or the IPC buffer's size); null when unknown. */
  readonly declaredBytes: number | null;
}

/** What a handler answers for a response of kind R. */
export type StreamReplyOf<R extends StreamResponse> = R extends { kind: 'bytes' }
  ? { readonly description: DescriptionOf<R>; readonly data: StreamData }
  : R extends { kind: 'upload' }
    ? { readonly description: DescriptionOf<R> }
    : R extends { kind: 'file' }
      ? {
          readonly description: DescriptionOf<R>;
          readonly data: StreamData;
          readonly filename: string;
          /** The stored file's own MIME type (model/stl, audio/webm, …). */
          readonly contentType: string;
        }
      : R extends { description: z.ZodType }
        ? {
            readonly description: DescriptionOf<R>;
            readonly data: StreamData;
            /** The name a browser saves a download under (pdf, mesh, html, zip). */
            readonly filename?: string;
          }
        : {
            readonly data: StreamData;
            /** The name a browser saves a download under (pdf, mesh, html, zip). */
            readonly filename?: string;
          };

/** Any handler's answer, as the router and the shells see it. */
export interface StreamReply {
  readonly description?: unknown;
  readonly data?: StreamData;
  readonly filename?: string;
  /** A `file` stream's Content-Type, chosen by its handler. */
  readonly contentType?: string;
}

/** A handler for one spec: uploads get the body, the others do not. */
export type StreamHandlerOf<Spec extends StreamSpec> = (
  params: z.output<Spec['params']>,
  call: HandlerCall,
  body: Spec['response'] extends { kind: 'upload' } ? StreamBody : undefined,
) => StreamReplyOf<Spec['response']> | Promise<StreamReplyOf<Spec['response']>>;

/** Handlers for every stream of a table (the contract's, or a table extended by a test). */
export type StreamHandlersOf<T extends Record<string, StreamSpec>> = {
  [S in keyof T]: StreamHandlerOf<T[S]>;
};

/** One handler per stream of the contract, checked by the compiler like `Handlers`. */
export type StreamHandlers = StreamHandlersOf<Streams>;

/** A handler with its types erased, as the router calls it after validating the params. */
export type AnyStreamHandler = (
  params: unknown,
  call: HandlerCall,
  body: StreamBody | undefined,
) => StreamReply | Promise<StreamReply>;

/** Streams a core serves: specs and handlers by name. */
export interface StreamTable {
  readonly specs: Readonly<Record<string, StreamSpec>>;
  readonly handlers: Readonly<Record<string, AnyStreamHandler>>;
}
