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
import type { Transport, TransportKind } from './transport.js';

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
}

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
    return { token: parsed.token, user: parsed.user };
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

  async function call<M extends MethodName>(
    method: M,
    input: MethodInput<M>,
  ): Promise<MethodOutput<M>> {
    const token = session?.token ?? null;
    const result = await transport.call(method, input, token);
    if (result.ok) {
      // The router validated the input and the core's tests validate outputs against the contract.
      return result.value as MethodOutput<M>;
    }
    // A session that expired (idle timeout) or was revoked: back to the login screen.
    if (
      result.error.code === 'UNAUTHENTICATED' &&
      token !== null &&
      token === session?.token &&
      !LOGIN_METHODS.has(method)
    ) {
      setSession(null);
    }
    throw new ApiError(result.error);
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
    getSession: () => session,
    onSessionChange(listener) {
      sessionListeners.add(listener);
      return () => {
        sessionListeners.delete(listener);
      };
    },
    async setup(input) {
      const { token, user } = await call('auth.setup', input);
      setSession({ token, user });
      return { token, user };
    },
    async login(username, password) {
      const { token, user } = await call('auth.login', { username, password });
      setSession({ token, user });
      return { token, user };
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
