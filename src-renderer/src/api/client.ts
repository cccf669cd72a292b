import type { DesktopBridge } from '../../../src-shared/bridge.js';
import type { AnalysisImageKind } from '../../../src-shared/contract/analysis.js';
import type { User } from '../../../src-shared/contract/entities.js';
import type { EventName, EventPayload } from '../../../src-shared/contract/events.js';
import type { BinaryFrame } from '../../../src-shared/contract/frames.js';
import {
  parseLabelBox,
  parseLabelVolume,
  type BinaryLabelBox,
  type BinaryLabelVolume,
  type LabelSource,
} from '../../../src-shared/contract/labels.js';
import type {
  MethodInput,
  MethodName,
  MethodOutput,
} from '../../../src-shared/contract/methods.js';
import {
  parseStreamDescription,
  STREAM_CONTENT_TYPES,
  type StreamDescription,
  type StreamName,
  type StreamParams,
} from '../../../src-shared/contract/streams.js';
import type { UploadedFile } from '../../../src-shared/contract/uploads.js';
import type { AppErrorData, ErrorCode, Result } from '../../../src-shared/errors.js';
import { createHttpTransport } from './http-transport.js';
import { createIpcTransport } from './ipc-transport.js';
import type { StreamAnswer, StreamOptions, Transport, TransportKind } from './transport.js';

export type { BinaryFrame } from '../../../src-shared/contract/frames.js';
export type { BinaryLabelVolume, LabelSource } from '../../../src-shared/contract/labels.js';

/** An upload's progress and cancel; the file itself is the body. */
export type UploadOptions = Omit<StreamOptions, 'body'>;

/** A stream's answer once the client has checked its description against the contract. */
export interface StreamReceived<S extends StreamName> {
  readonly description: StreamDescription<S>;
  readonly data: ArrayBuffer;
}

/** A failed call: the core's error code and its message, written for the user. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly data: AppErrorData;

  constructor(data: AppErrorData) {
    super(data.message);
    this.name = 'ApiError';
    this.code = data.code;
    this.data = data;
  }
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}

/** The message to show for anything a call threw. */
export function errorMessage(error: unknown): string {
  if (isApiError(error)) return error.message;
  return 'Something went wrong in the app. Reload the page; if it keeps happening, contact support.';
}

export interface Session {
  readonly token: string;
  readonly user: User;
  /** After this long without activity the core ends the session; the app logs off before. */
  readonly idleTimeoutSeconds: number;
}

/** For sessions stored by an older build, which did not record the timeout. */
const DEFAULT_IDLE_TIMEOUT_SECONDS = 30 * 60;

/** The slice of the Web Storage API the client needs (sessionStorage in the app). */
export interface SessionStorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface ApiClient {
  readonly transportKind: TransportKind;
  /** Native dialogs and menus; null outside the desktop app. */
  readonly desktop: DesktopBridge | null;
  /** Calls a contract method with the current session; throws ApiError on `{ok: false}`. */
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
  /** Listens to a contract event while someone is logged in; returns the unsubscribe function. */
  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void;
  /** Called when events may have been missed (the event stream reconnected): reload live data. */
  onResync(listener: () => void): () => void;
  getSession(): Session | null;
  /**
   * Takes a session another tab of this browser logged in with (or ends this one when that tab
   * logged out): see tab-session.ts.
   */
  adoptSession(session: Session | null): void;
  onSessionChange(listener: (session: Session | null) => void): () => void;
  /**
   * Any binary call of the contract (`streams`) with the current session: the description
   * checked against the stream's spec, and the bytes. Uploads pass the file as `options.body`.
   * Throws ApiError (CANCELLED when aborted).
   */
  stream<S extends StreamName>(
    name: S,
    params: StreamParams<S>,
    options?: StreamOptions,
  ): Promise<StreamReceived<S>>;
  /** Sends one file of an upload batch; throws ApiError (CANCELLED when aborted). */
  upload(batchId: string, name: string, file: Blob, options?: UploadOptions): Promise<UploadedFile>;
  /** One decoded frame of a scan for the viewer; throws ApiError. */
  frame(scanId: string, index: number): Promise<BinaryFrame>;
  /** The latest analysis's heatmap or overlay PNG; throws ApiError (NOT_FOUND when absent). */
  analysisImage(scanId: string, kind: AnalysisImageKind): Promise<Blob>;
  /**
   * A whole label volume on the scan's frame grid for the viewer's overlay: `'analysis'` for the
   * latest analysis's mask, or a segmentation id (from `scans.get`). Throws ApiError: NOT_FOUND
   * when the scan has no analysis or no such segmentation, INVALID_INPUT when a label map's grid
   * is not the scan's.
   */
  labelVolume(scanId: string, source: LabelSource): Promise<BinaryLabelVolume>;
  /**
   * Only the labelled box of that label volume, with its offset on the frame grid (the 3D view's
   * read: a few KB where labelVolume sends the whole grid). Throws ApiError as labelVolume does.
   */
  labelBox(scanId: string, source: LabelSource): Promise<BinaryLabelBox>;
  setup(input: MethodInput<'auth.setup'>): Promise<Session>;
  login(username: string, password: string): Promise<Session>;
  logout(): Promise<void>;
}

const SESSION_KEY = 'neurosphere.session';

/** Bytes or a description that do not match the contract (a proxy that mangled them). */
const MANGLED_ANSWER: AppErrorData = {
  code: 'INTERNAL',
  message:
    'The Neurosphere server answered with data that does not match the request. Reload the page; if it keeps happening, contact support.',
};

/** Methods that answer UNAUTHENTICATED for a wrong password, not for an expired session. */
const LOGIN_METHODS: ReadonlySet<MethodName> = new Set(['auth.login', 'auth.setup']);

function readStoredSession(storage: SessionStorageLike): Session | null {
  try {
    const raw = storage.getItem(SESSION_KEY);
    if (raw === null) return null;
    const parsed = JSON.parse(raw) as Partial<Session> | null;
    if (typeof parsed?.token !== 'string' || typeof parsed.user?.id !== 'string') return null;
    const idleTimeoutSeconds =
      typeof parsed.idleTimeoutSeconds === 'number' && parsed.idleTimeoutSeconds > 0
        ? parsed.idleTimeoutSeconds
        : DEFAULT_IDLE_TIMEOUT_SECONDS;
    return { token: parsed.token, user: parsed.user, idleTimeoutSeconds };
  } catch {
    return null;
  }
}

export interface ApiClientOptions {
  readonly transport: Transport;
  /**
   * sessionStorage: a reload keeps the user logged in, closing the window (or the app) does not.
   * The core's idle timeout still ends sessions left open.
   */
  readonly storage: SessionStorageLike;
  readonly desktop?: DesktopBridge | null;
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const { transport, storage } = options;
  let session = readStoredSession(storage);
  const sessionListeners = new Set<(session: Session | null) => void>();
  const eventListeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const resyncListeners = new Set<() => void>();
  // One subscription for the client's whole life, not one per page: with HTTP, a page switch
  // would otherwise close and reopen the socket and lose the events sent in between.
  transport.subscribe((name, payload) => {
    if (session === null) return; // nothing reaches a logged-out screen
    for (const listener of eventListeners.get(name) ?? []) listener(payload);
  });
  transport.onResync(() => {
    if (session === null) return;
    for (const listener of resyncListeners) listener();
  });
  transport.setSessionToken(session?.token ?? null);

  function setSession(next: Session | null): void {
    if (next === null && session === null) return;
    session = next;
    try {
      if (next === null) storage.removeItem(SESSION_KEY);
      else storage.setItem(SESSION_KEY, JSON.stringify(next));
    } catch {
      // Storage can be full or disabled; the session then lasts until the page reloads.
    }
    transport.setSessionToken(next?.token ?? null);
    for (const listener of sessionListeners) listener(next);
  }

  /** The value of a Result; on failure an ApiError, and an expired session ends here. */
  function unwrap<T>(result: Result<unknown>, token: string | null, isLogin: boolean): T {
    // The router validated the input and the core's tests validate outputs against the contract.
    if (result.ok) return result.value as T;
    // A session that expired (idle timeout) or was revoked: back to the login screen.
    if (
      result.error.code === 'UNAUTHENTICATED' &&
      token !== null &&
      token === session?.token &&
      !isLogin
    ) {
      setSession(null);
    }
    throw new ApiError(result.error);
  }

  async function call<M extends MethodName>(
    method: M,
    input: MethodInput<M>,
  ): Promise<MethodOutput<M>> {
    const token = session?.token ?? null;
    const result = await transport.call(method, input, token);
    return unwrap<MethodOutput<M>>(result, token, LOGIN_METHODS.has(method));
  }

  async function stream<S extends StreamName>(
    name: S,
    params: StreamParams<S>,
    streamOptions?: StreamOptions,
  ): Promise<StreamReceived<S>> {
    const token = session?.token ?? null;
    const result = await transport.stream(name, params, token, streamOptions);
    const answer = unwrap<StreamAnswer>(result, token, false);
    const checked = parseStreamDescription(name, answer.description);
    if (checked === undefined) throw new ApiError(MANGLED_ANSWER);
    return { description: checked.description, data: answer.data };
  }

  return {
    transportKind: transport.kind,
    desktop: options.desktop ?? null,
    call,
    on(name, listener) {
      const set = eventListeners.get(name) ?? new Set();
      eventListeners.set(name, set);
      const untyped = listener as (payload: unknown) => void;
      set.add(untyped);
      return () => {
        set.delete(untyped);
      };
    },
    onResync(listener) {
      resyncListeners.add(listener);
      return () => {
        resyncListeners.delete(listener);
      };
    },
    stream,
    async upload(batchId, name, file, uploadOptions) {
      const params = { batchId, name };
      return (await stream('uploads.put', params, { ...uploadOptions, body: file })).description;
    },
    async frame(scanId, index) {
      const { description, data } = await stream('frames.read', { scanId, index });
      return { info: description, data };
    },
    async analysisImage(scanId, kind) {
      const { data } = await stream('analysis.image', { scanId, kind });
      // Typed explicitly: the <img> must get a PNG whatever a proxy did to the header.
      return new Blob([data], { type: STREAM_CONTENT_TYPES.image });
    },
    async labelVolume(scanId, source) {
      const { description, data } = await stream('labels.read', { scanId, source });
      const volume = parseLabelVolume(description, data);
      if (volume === null) throw new ApiError(MANGLED_ANSWER);
      return volume;
    },
    async labelBox(scanId, source) {
      const { description, data } = await stream('labels.box', { scanId, source });
      const box = parseLabelBox(description, data);
      if (box === null) throw new ApiError(MANGLED_ANSWER);
      return box;
    },
    getSession: () => session,
    adoptSession: (next) => setSession(next),
    onSessionChange(listener) {
      sessionListeners.add(listener);
      return () => {
        sessionListeners.delete(listener);
      };
    },
    async setup(input) {
      const { token, user, idleTimeoutSeconds } = await call('auth.setup', input);
      const next = { token, user, idleTimeoutSeconds };
      setSession(next);
      return next;
    },
    async login(username, password) {
      const { token, user, idleTimeoutSeconds } = await call('auth.login', { username, password });
      const next = { token, user, idleTimeoutSeconds };
      setSession(next);
      return next;
    },
    async logout() {
      try {
        if (session !== null) await call('auth.logout', {});
      } catch {
        // Logging out locally must always work, even if the server is gone or the session expired.
      } finally {
        setSession(null);
      }
    },
  };
}

/** The page's globals the client is built from; a parameter so nothing else reads them. */
export interface ClientEnvironment {
  readonly neurosphere?: Window['neurosphere'];
  readonly location: { readonly origin: string };
  readonly sessionStorage: SessionStorageLike;
}

/** IPC when the desktop preload is present, HTTP to the page's own origin otherwise. */
export function createDefaultApiClient(env: ClientEnvironment): ApiClient {
  const bridge = env.neurosphere;
  return bridge === undefined
    ? createApiClient({
        transport: createHttpTransport({ baseUrl: env.location.origin }),
        storage: env.sessionStorage,
      })
    : createApiClient({
        transport: createIpcTransport(bridge),
        storage: env.sessionStorage,
        desktop: bridge.desktop,
      });
}
