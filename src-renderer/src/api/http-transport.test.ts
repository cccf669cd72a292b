import { describe, expect, it } from 'vitest';
import type { EventName } from '../../../src-shared/contract/events.js';
import { createHttpTransport, eventsUrl, type WebSocketLike } from './http-transport.js';

const BASE = 'http://127.0.0.1:7878';

function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

class FakeSocket implements WebSocketLike {
  onopen: WebSocketLike['onopen'] = null;
  onmessage: WebSocketLike['onmessage'] = null;
  onclose: WebSocketLike['onclose'] = null;
  onerror: WebSocketLike['onerror'] = null;
  readonly sent: string[] = [];
  isClosed = false;
  constructor(readonly url: string) {}
  send(data: string): void {
    this.sent.push(data);
  }
  close(): void {
    this.isClosed = true;
    this.onclose?.({ code: 1000 });
  }
  // Test helpers: what the server would do.
  open(): void {
    this.onopen?.({});
  }
  receive(message: unknown): void {
    this.onmessage?.({ data: typeof message === 'string' ? message : JSON.stringify(message) });
  }
  drop(code = 1006): void {
    this.onclose?.({ code });
  }
}

/** A transport with fake fetch, sockets and timers that the test drives by hand. */
function setup(
  fetchImpl: typeof fetch = () => Promise.resolve(jsonResponse({ ok: true, value: 1 })),
) {
  const sockets: FakeSocket[] = [];
  const timers: Array<{ callback: () => void; ms: number; isCleared: boolean }> = [];
  const requests: Array<{ url: string; init: RequestInit | undefined }> = [];
  const transport = createHttpTransport({
    baseUrl: BASE,
    fetch: (input, init) => {
      requests.push({ url: String(input), init });
      return fetchImpl(input, init);
    },
    openSocket: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
    setTimer: (callback, ms) => {
      const timer = { callback, ms, isCleared: false };
      timers.push(timer);
      return timer;
    },
    clearTimer: (handle) => {
      (handle as { isCleared: boolean }).isCleared = true;
    },
    random: () => 0,
  });
  const runTimers = (): void => {
    for (const timer of timers.splice(0)) if (!timer.isCleared) timer.callback();
  };
  return { transport, sockets, timers, requests, runTimers };
}

describe('HTTP calls', () => {
  it('POSTs the input to /api/rpc/<method> with the Bearer token and returns the Result', async () => {
    const { transport, requests } = setup(() =>
      Promise.resolve(jsonResponse({ ok: true, value: { needsSetup: false } })),
    );
    const result = await transport.call('auth.status', {}, 'tok123');
    expect(result).toEqual({ ok: true, value: { needsSetup: false } });
    expect(requests[0]?.url).toBe(`${BASE}/api/rpc/auth.status`);
    expect(requests[0]?.init?.method).toBe('POST');
    expect(requests[0]?.init?.body).toBe('{}');
    expect((requests[0]?.init?.headers as Record<string, string>)['Authorization']).toBe(
      'Bearer tok123',
    );
  });

  it('sends no Authorization header without a session', async () => {
    const { transport, requests } = setup();
    await transport.call('auth.status', {}, null);
    expect(requests[0]?.init?.headers).not.toHaveProperty('Authorization');
  });

  it('passes error Results through whatever the HTTP status', async () => {
    const error = { code: 'PERMISSION_DENIED', message: 'Your role (viewer) may not do this.' };
    const { transport } = setup(() => Promise.resolve(jsonResponse({ ok: false, error }, 403)));
    expect(await transport.call('users.list', {}, 't')).toEqual({ ok: false, error });
  });

  it('turns a non-Neurosphere answer into an error by status', async () => {
    const { transport } = setup(() =>
      Promise.resolve(new Response('<html>Bad gateway</html>', { status: 502 })),
    );
    const result = await transport.call('scans.list', {}, 't');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.code).toBe('REMOTE_UNREACHABLE');
  });

  it('turns a network failure into REMOTE_UNREACHABLE with a message in words', async () => {
    const { transport } = setup(() => Promise.reject(new TypeError('Failed to fetch')));
    const result = await transport.call('scans.list', {}, 't');
    expect(!result.ok && result.error.code).toBe('REMOTE_UNREACHABLE');
    expect(!result.ok && result.error.message).toMatch(/Cannot reach the Neurosphere server/);
  });
});

describe('the event socket', () => {
  it('derives ws:// and wss:// URLs from the page origin', () => {
    expect(eventsUrl('http://10.0.0.5:7878')).toBe('ws://10.0.0.5:7878/api/events');
    expect(eventsUrl('https://ns.clinic.example')).toBe('wss://ns.clinic.example/api/events');
  });

  it('connects only with a session and a listener, and authenticates first', () => {
    const { transport, sockets } = setup();
    const stop = transport.subscribe(() => undefined);
    expect(sockets).toHaveLength(0); // no token yet
    transport.setSessionToken('tok');
    expect(sockets).toHaveLength(1);
    sockets[0]?.open();
    expect(sockets[0]?.sent).toEqual([JSON.stringify({ type: 'auth', token: 'tok' })]);
    stop();
    expect(sockets[0]?.isClosed).toBe(true);
  });

  it('delivers contract events and ignores anything else', () => {
    const { transport, sockets } = setup();
    const received: Array<[EventName, unknown]> = [];
    transport.setSessionToken('tok');
    transport.subscribe((name, payload) => received.push([name, payload]));
    const socket = sockets[0] as FakeSocket;
    socket.open();
    socket.receive({ type: 'authenticated', user: { id: 'u1', username: 'admin', role: 'admin' } });
    socket.receive({ event: 'jobs.updated', payload: { job: { id: 'j1' } } });
    socket.receive({ event: 'secrets.dumped', payload: {} });
    socket.receive({ event: 'toString', payload: {} });
    socket.receive('not json');
    socket.receive([1, 2, 3]);
    expect(received).toEqual([['jobs.updated', { job: { id: 'j1' } }]]);
  });

  it('reconnects after a dropped connection with growing delays, resetting once open', () => {
    const { transport, sockets, timers, runTimers } = setup();
    transport.setSessionToken('tok');
    transport.subscribe(() => undefined);
    sockets[0]?.drop();
    expect(timers.map((t) => t.ms)).toEqual([250]); // base 500 ms, equal jitter, random() = 0
    runTimers();
    expect(sockets).toHaveLength(2);
    sockets[1]?.drop();
    expect(timers.map((t) => t.ms)).toEqual([500]);
    runTimers();
    sockets[2]?.open();
    sockets[2]?.drop();
    expect(timers.map((t) => t.ms)).toEqual([250]);
  });

  it('signals a resync when a reconnected stream is authenticated again, not the first time', () => {
    const { transport, sockets, runTimers } = setup();
    let resyncs = 0;
    transport.onResync(() => resyncs++);
    transport.setSessionToken('tok');
    transport.subscribe(() => undefined);
    sockets[0]?.open();
    sockets[0]?.receive({ type: 'authenticated', user: null });
    expect(resyncs).toBe(0);
    sockets[0]?.drop();
    runTimers();
    sockets[1]?.open();
    sockets[1]?.receive({ type: 'authenticated', user: null });
    expect(resyncs).toBe(1);
  });

  it('stops reconnecting when the server refuses the session, until a new token arrives', () => {
    const { transport, sockets, timers } = setup();
    transport.setSessionToken('expired');
    transport.subscribe(() => undefined);
    sockets[0]?.open();
    sockets[0]?.drop(4401); // serve mode's close code for a refused token
    expect(timers).toHaveLength(0);
    transport.setSessionToken('fresh');
    expect(sockets).toHaveLength(2);
    sockets[1]?.open();
    expect(sockets[1]?.sent).toEqual([JSON.stringify({ type: 'auth', token: 'fresh' })]);
  });

  it('closes the socket and does not reconnect after logout', () => {
    const { transport, sockets, timers } = setup();
    transport.setSessionToken('tok');
    transport.subscribe(() => undefined);
    transport.setSessionToken(null);
    expect(sockets[0]?.isClosed).toBe(true);
    expect(timers.filter((t) => !t.isCleared)).toHaveLength(0);
    expect(sockets).toHaveLength(1);
  });
});
