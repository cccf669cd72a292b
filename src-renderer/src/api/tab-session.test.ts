import { describe, expect, it } from 'vitest';
import type { Result } from '../../../src-shared/errors.js';
import type { StreamAnswer } from '../../../src-shared/bridge.js';
import { createApiClient, type SessionStorageLike } from './client.js';
import { shareSessionBetweenTabs, type ChannelLike } from './tab-session.js';
import type { Transport } from './transport.js';

/** BroadcastChannels of one browser: a message reaches every other channel, asynchronously. */
function browser() {
  const channels = new Set<FakeChannel>();
  class FakeChannel implements ChannelLike {
    private readonly listeners = new Set<(event: { data: unknown }) => void>();
    constructor() {
      channels.add(this);
    }
    postMessage(message: unknown): void {
      const copy = structuredClone(message);
      for (const other of channels) if (other !== this) queueMicrotask(() => other.deliver(copy));
    }
    deliver(data: unknown): void {
      for (const listener of this.listeners) listener({ data });
    }
    addEventListener(_type: 'message', listener: (event: { data: unknown }) => void): void {
      this.listeners.add(listener);
    }
    removeEventListener(_type: 'message', listener: (event: { data: unknown }) => void): void {
      this.listeners.delete(listener);
    }
    close(): void {
      channels.delete(this);
    }
  }
  return { channel: () => new FakeChannel() };
}

const USER = {
  id: '00000000-0000-4000-8000-000000000001',
  username: 'reader',
  displayName: 'reader',
  role: 'radiologist' as const,
  disabled: false,
  createdAt: '2024-01-01T00:00:00.000Z',
  lastLoginAt: null,
};

function memoryStorage(): SessionStorageLike {
  const data = new Map<string, string>();
  return {
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => void data.set(key, value),
    removeItem: (key) => void data.delete(key),
  };
}

/** A tab: its own sessionStorage and client over a transport that logs in anyone. */
function tab(channel: ChannelLike) {
  const ok = <T>(value: T): Promise<Result<T>> => Promise.resolve({ ok: true, value });
  const transport: Transport = {
    kind: 'http',
    call: (method: string) =>
      method === 'auth.login'
        ? ok({ token: `token-${Math.random()}`, user: USER, idleTimeoutSeconds: 1800 })
        : ok({}),
    stream: () => ok({ description: null, data: new ArrayBuffer(0) } as StreamAnswer),
    subscribe: () => () => undefined,
    onResync: () => () => undefined,
    setSessionToken: () => undefined,
  } as unknown as Transport;
  const client = createApiClient({ transport, storage: memoryStorage() });
  const shared = shareSessionBetweenTabs(client, channel);
  return { client, shared };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('one login for the tabs of a browser', () => {
  it('a new tab takes the session of an open one; logout in any tab logs out all', async () => {
    const b = browser();
    const first = tab(b.channel());
    const session = await first.client.login('reader', 'pw');
    const second = tab(b.channel());
    await settle();
    expect(second.client.getSession()?.token).toBe(session.token);

    await second.client.logout();
    await settle();
    expect(first.client.getSession()).toBeNull();
    expect(second.client.getSession()).toBeNull();
  });

  it('a login in one tab logs in the tabs at the login screen, but never replaces a session', async () => {
    const b = browser();
    const first = tab(b.channel());
    const second = tab(b.channel());
    const third = tab(b.channel());
    const session = await third.client.login('reader', 'pw');
    await settle();
    expect(first.client.getSession()?.token).toBe(session.token);
    expect(second.client.getSession()?.token).toBe(session.token);
    // A login in a tab that has a session (another account, say) leaves the others as they are.
    const other = await second.client.login('reader', 'pw');
    await settle();
    expect(other.token).not.toBe(session.token);
    expect(first.client.getSession()?.token).toBe(session.token);
    expect(third.client.getSession()?.token).toBe(session.token);
  });

  it('passes activity on, at most once per interval, and ignores foreign messages', async () => {
    const b = browser();
    const first = tab(b.channel());
    await first.client.login('reader', 'pw');
    const second = tab(b.channel());
    await settle();
    let heard = 0;
    second.shared.onActivity(() => heard++);
    first.shared.announceActivity();
    first.shared.announceActivity();
    await settle();
    expect(heard).toBe(1);
    const stranger = b.channel();
    stranger.postMessage({ type: 'session', session: { token: 42 } });
    stranger.postMessage({ type: 'logout' });
    await settle();
    expect(second.client.getSession()).not.toBeNull();
  });
});
