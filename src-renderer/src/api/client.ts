import type { AnalysisImageKind } from '../../../src-shared/contract/analysis.js';
import type { User } from '../../../src-shared/contract/entities.js';
import type { EventName, EventPayload } from '../../../src-shared/contract/events.js';
import type {
  MethodInput,
  MethodName,
  MethodOutput,
} from '../../../src-shared/contract/methods.js';
import type { AppErrorData, ErrorCode } from '../../../src-shared/errors.js';
import type { DesktopBridge } from '../../../src-main/electron/bridge-api.js';
import { createHttpTransport } from './http-transport.js';
import { createIpcTransport } from './ipc-transport.js';
import type { UploadedFile } from '../../../src-shared/contract/uploads.js';
import type { Result } from '../../../src-shared/errors.js';
import type {
  BinaryFrame,
  BinaryLabelVolume,
  LabelSource,
  Transport,
  TransportKind,
  UploadOptions,
} from './transport.js';

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
  onSessionChange(listener: (session: Session | null) => void): () => void;
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
  setup(input: MethodInput<'auth.setup'>): Promise<Session>;
  login(username: string, password: string): Promise<Session>;
  logout(): Promise<void>;
}

const SESSION_KEY = 'neurosphere.session';

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
    async upload(batchId, name, file, uploadOptions) {
      const token = session?.token ?? null;
      const result = await transport.upload(batchId, name, file, token, uploadOptions);
      return unwrap<UploadedFile>(result, token, false);
    },
    async frame(scanId, index) {
      const token = session?.token ?? null;
      return unwrap<BinaryFrame>(await transport.frame(scanId, index, token), token, false);
    },
    async analysisImage(scanId, kind) {
      const token = session?.token ?? null;
      return unwrap<Blob>(await transport.analysisImage(scanId, kind, token), token, false);
    },
    async labelVolume(scanId, source) {
      const token = session?.token ?? null;
      const result = await transport.labelVolume(scanId, source, token);
      return unwrap<BinaryLabelVolume>(result, token, false);
    },
    getSession: () => session,
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
