import type { StreamAnswer } from '../../../src-shared/bridge.js';
import type { EventName } from '../../../src-shared/contract/events.js';
import type { MethodName } from '../../../src-shared/contract/methods.js';
import type { StreamName } from '../../../src-shared/contract/streams.js';
import type { Result } from '../../../src-shared/errors.js';

export type { StreamAnswer } from '../../../src-shared/bridge.js';

export interface StreamOptions {
  /** An upload's file: sent as the body (streams of kind `upload` only). */
  readonly body?: Blob;
  /** Aborts the transfer; the answer is then a CANCELLED error. */
  readonly signal?: AbortSignal;
  /** Bytes of the body sent so far (HTTP reports as it goes, IPC once at the end). */
  readonly onProgress?: (sentBytes: number) => void;
}

export type TransportKind = 'ipc' | 'http';

export type TransportEventListener = (name: EventName, payload: unknown) => void;

/**
 * How the renderer reaches the core: Electron IPC in the desktop app, HTTP and a WebSocket in
 * serve mode. Both carry the same contract, so nothing above this interface knows which one runs.
 */
export interface Transport {
  readonly kind: TransportKind;
  /** Never rejects: a core that cannot be reached comes back as a Result error too. */
  call(method: MethodName, input: unknown, token: string | null): Promise<Result<unknown>>;
  /**
   * Every binary call (`streams` in the contract): frames, label volumes, pictures, downloads,
   * and uploads when `options.body` is given. The answer's description is not checked here
   * (the client checks it against the stream's spec). Never rejects.
   */
  stream(
    name: StreamName,
    params: Readonly<Record<string, unknown>>,
    token: string | null,
    options?: StreamOptions,
  ): Promise<Result<StreamAnswer>>;
  /** Receives every contract event; returns the function that stops listening. */
  subscribe(listener: TransportEventListener): () => void;
  /**
   * Called when the event stream is back after a gap (a dropped socket reconnected): events may
   * have been missed, so whoever shows live data loads it again. Returns the unsubscribe function.
   */
  onResync(listener: () => void): () => void;
  /** The session the event stream authenticates with (HTTP); null after logout. */
  setSessionToken(token: string | null): void;
}
