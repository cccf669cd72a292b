import { isEventName } from '../../../src-shared/contract/events.js';
import type { ErrorCode } from '../../../src-shared/errors.js';
import { streamOverHttp, type HttpStreamDeps, type XhrLike } from './http-stream.js';
import { reconnectDelayMs } from './reconnect.js';
import { failure, isResult } from './result-guard.js';
import type { Transport, TransportEventListener } from './transport.js';

/** The part of the browser's WebSocket this transport uses, so tests can pass a fake. */
export interface WebSocketLike {
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export interface HttpTransportOptions {
  /** Where serve mode runs, e.g. `location.origin`. */
  readonly baseUrl: string;
  readonly fetch?: typeof fetch;
  readonly openSocket?: (url: string) => WebSocketLike;
  readonly setTimer?: (callback: () => void, ms: number) => unknown;
  readonly clearTimer?: (handle: unknown) => void;
  readonly random?: () => number;
  readonly openXhr?: () => XhrLike;
}

/**
 * Close codes after which reconnecting with the same token is pointless: the server refused the
 * session (4401, serve mode's "not authenticated", or 1008 policy violation). A new token
 * starts over; any other close (server restart 1001, too slow 1013, network loss 1006)
 * reconnects with backoff.
 */
const REFUSED_CLOSE_CODES: ReadonlySet<number> = new Set([1008, 4401]);

/** Error code for an HTTP answer that carries no Result (a proxy error page, a crash). */
function codeForStatus(status: number): ErrorCode {
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'PERMISSION_DENIED';
  if (status === 404) return 'NOT_FOUND';
  if (status === 413) return 'FILE_TOO_LARGE';
  if (status === 502 || status === 503 || status === 504) return 'REMOTE_UNREACHABLE';
  return 'INTERNAL';
}

export function eventsUrl(baseUrl: string): string {
  const url = new URL('/api/events', baseUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

/**
 * Serve mode: POST /api/rpc/<method> with a Bearer token, streams over /api/stream/<name>, events
 * over WebSocket /api/events.
 */
export function createHttpTransport(options: HttpTransportOptions): Transport {
  const fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
  const openSocket =
    options.openSocket ?? ((url: string) => new WebSocket(url) as unknown as WebSocketLike);
  const setTimer = options.setTimer ?? ((callback, ms) => setTimeout(callback, ms));
  const clearTimer =
    options.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));
  const random = options.random ?? Math.random;
  const openXhr = options.openXhr ?? (() => new XMLHttpRequest() as unknown as XhrLike);
  const streamDeps: HttpStreamDeps = { baseUrl: options.baseUrl, fetch: fetchFn, openXhr };

  const listeners = new Set<TransportEventListener>();
  const resyncListeners = new Set<() => void>();
  /** Whether this token's stream was authenticated before: a later authentication is a resync. */
  let hasStreamed = false;
  let token: string | null = null;
  let socket: WebSocketLike | null = null;
  let retryTimer: unknown = null;
  let attempt = 0;
  /** Set when the server refused this token; cleared when the token changes. */
  let isRefused = false;

  function dispatch(data: unknown): void {
    if (typeof data !== 'string') return;
    let message: unknown;
    try {
      message = JSON.parse(data);
    } catch {
      return;
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message)) return;
    // Serve mode (src-main/serve/event-socket.ts) sends `{event, payload}` for contract events
    // and `{type: 'authenticated', ...}` once the token is accepted; anything else is ignored.
    const { type, event, payload } = message as Record<string, unknown>;
    if (typeof event === 'string' && isEventName(event)) {
      for (const listener of listeners) listener(event, payload);
    } else if (type === 'authenticated') {
      if (hasStreamed) for (const listener of resyncListeners) listener();
      hasStreamed = true;
    }
  }

  function disconnect(): void {
    if (retryTimer !== null) clearTimer(retryTimer);
    retryTimer = null;
    const current = socket;
    socket = null; // before close(), so its onclose sees a stale socket and does not reconnect
    current?.close(1000, 'client closed');
  }

  function scheduleReconnect(): void {
    if (retryTimer !== null) return;
    const delay = reconnectDelayMs(attempt, random);
    attempt += 1;
    retryTimer = setTimer(() => {
      retryTimer = null;
      connect();
    }, delay);
  }

  function connect(): void {
    if (socket !== null || retryTimer !== null) return;
    if (token === null || isRefused || listeners.size === 0) return;
    const sessionToken = token;
    let ws: WebSocketLike;
    try {
      ws = openSocket(eventsUrl(options.baseUrl));
    } catch {
      scheduleReconnect();
      return;
    }
    socket = ws;
    ws.onopen = () => {
      attempt = 0;
      ws.send(JSON.stringify({ type: 'auth', token: sessionToken }));
    };
    ws.onmessage = (event) => dispatch(event.data);
    ws.onerror = () => undefined; // always followed by onclose, which decides what to do
    ws.onclose = (event) => {
      if (socket !== ws) return; // closed on purpose, or replaced
      socket = null;
      if (REFUSED_CLOSE_CODES.has(event.code)) isRefused = true;
      if (!isRefused) scheduleReconnect();
    };
  }

  return {
    kind: 'http',
    async call(method, input, callToken) {
      let response: Response;
      try {
        response = await fetchFn(
          new URL(`/api/rpc/${encodeURIComponent(method)}`, options.baseUrl).toString(),
          {
            method: 'POST',
            headers: {
              'Content-Type': 'application/json',
              ...(callToken !== null && { Authorization: `Bearer ${callToken}` }),
            },
            body: JSON.stringify(input ?? {}),
            cache: 'no-store',
            credentials: 'omit',
          },
        );
      } catch {
        return failure(
          'REMOTE_UNREACHABLE',
          'Cannot reach the Neurosphere server. Check that it is running and that this computer is connected to it.',
        );
      }
      let body: unknown = undefined;
      try {
        body = await response.json();
      } catch {
        // not JSON: answered below from the status
      }
      if (isResult(body)) return body;
      return failure(
        codeForStatus(response.status),
        `The Neurosphere server answered with an unexpected response (HTTP ${response.status}).`,
      );
    },
    stream(name, params, callToken, streamOptions) {
      return streamOverHttp(streamDeps, { name, params, token: callToken }, streamOptions);
    },
    subscribe(listener) {
      listeners.add(listener);
      connect();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) disconnect();
      };
    },
    onResync(listener) {
      resyncListeners.add(listener);
      return () => {
        resyncListeners.delete(listener);
      };
    },
    setSessionToken(next) {
      if (next === token) return;
      disconnect();
      token = next;
      attempt = 0;
      isRefused = false;
      hasStreamed = false;
      connect();
    },
  };
}
