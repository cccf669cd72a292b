import { describe, expect, it } from 'vitest';
import type { User } from '../../../src-shared/contract/entities.js';
import type { MethodName } from '../../../src-shared/contract/methods.js';
import type { StreamName } from '../../../src-shared/contract/streams.js';
import type { Result } from '../../../src-shared/errors.js';
import { ApiError, createApiClient, type SessionStorageLike } from './client.js';
import type { StreamAnswer, Transport, TransportEventListener } from './transport.js';

const USER: User = {
  id: '00000000-0000-4000-8000-000000000001',
  username: 'admin',
  displayName: 'Dr. Admin',
  role: 'admin',
  disabled: false,
  createdAt: '2025-01-01T00:00:00.000Z',
  lastLoginAt: null,
  patientId: null,
  lockedUntil: null,
};

function memoryStorage(): SessionStorageLike & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => void data.set(key, value),
    removeItem: (key) => void data.delete(key),
  };
}

type Responder = (method: MethodName, input: unknown, token: string | null) => Result<unknown>;

const SCAN = '00000000-0000-4000-8000-0000000000aa';

/** What the fake server answers for each stream. */
function streamAnswer(
  name: StreamName,
  params: Readonly<Record<string, unknown>>,
  token: string | null,
  body: Blob | undefined,
): Result<StreamAnswer> {
  if (token !== 'tok')
    return { ok: false, error: { code: 'UNAUTHENTICATED', message: 'Your session has ended.' } };
  switch (name) {
    case 'uploads.put':
      return {
        ok: true,
        value: {
          description: { name: params['name'], bytes: body?.size },
          data: new ArrayBuffer(0),
        },
      };
    case 'frames.read':
      return { ok: false, error: { code: 'NOT_FOUND', message: 'No such scan.' } };
    case 'analysis.image':
      return { ok: true, value: { description: null, data: new Uint8Array([137, 80]).buffer } };
    case 'analysis.export': {
      // A description without its warnings stands for a proxy that dropped part of the header.
      const description =
        params['scanId'] === SCAN
          ? { fileName: 'spot_analysis.zip', warnings: [] }
          : { fileName: 'spot_analysis.zip' };
      return { ok: true, value: { description, data: Uint8Array.from([0x50, 0x4b]).buffer } };
    }
    case 'measurements.csv':
      return {
        ok: true,
        value: { description: { fileName: 'm.csv', count: 0 }, data: new ArrayBuffer(0) },
      };
    case 'analysis.dicomSeg':
      return {
        ok: true,
        value: {
          description: { fileName: 'spot_seg.dcm', warnings: [] },
          data: new ArrayBuffer(0),
        },
      };
    case 'labels.read': {
      const info = { scanId: params['scanId'], source: params['source'], columns: 2, rows: 1 };
      // 'mangled' stands for a proxy that cut the header short.
      const description =
        params['source'] === 'mangled' ? info : { ...info, frames: 1, labels: [1] };
      return { ok: true, value: { description, data: Uint8Array.from([0, 1]).buffer } };
    }
    case 'labels.box': {
      const info = { scanId: params['scanId'], source: params['source'], columns: 4, rows: 3 };
      // 'mangled' stands for a box that leaves the grid: bytes that cannot be placed.
      const offset = params['source'] === 'mangled' ? [3, 0, 0] : [1, 2, 0];
      const description = { ...info, frames: 2, labels: [2], offset, size: [2, 1, 1] };
      return { ok: true, value: { description, data: Uint8Array.from([2, 0]).buffer } };
    }
    case 'reports.dicom': {
      const description = { fileName: 'report_v1_DICOM.zip', notes: [] };
      return { ok: true, value: { description, data: Uint8Array.from([0x50, 0x4b]).buffer } };
    }
    case 'dental.file': {
      const description = { fileName: 'upper.stl', mimeType: 'model/stl', size: 2, sha256: 'ab' };
      return { ok: true, value: { description, data: Uint8Array.from([0x73, 0x6f]).buffer } };
    }
    case 'reports.pdf': {
      const description = { fileName: 'report_v1_DRAFT.pdf', status: 'draft', version: 1 };
      return { ok: true, value: { description, data: Uint8Array.from([0x25, 0x50]).buffer } };
    }
    case 'deidentify.export': {
      const description = {
        fileName: 'x.zip',
        files: 0,
        pseudonymIds: [],
        burnedIn: [],
        notes: [],
      };
      return { ok: true, value: { description, data: Uint8Array.from([0x50, 0x4b]).buffer } };
    }
    case 'attachments.mesh':
      return { ok: false, error: { code: 'NOT_FOUND', message: 'No such mesh.' } };
    case 'audit.csv':
      return {
        ok: true,
        value: { description: { fileName: 'a.csv', rows: 0 }, data: new ArrayBuffer(0) },
      };
    case 'visualizations.html': {
      const description = { fileName: 'scene.html', size: 2 };
      return { ok: true, value: { description, data: Uint8Array.from([0x3c, 0x21]).buffer } };
    }
    case 'dental.voiceCaptions.upload':
      return { ok: false, error: { code: 'NOT_FOUND', message: 'No such dental case.' } };
  }
}

function fakeTransport(respond: Responder) {
  const listeners = new Set<TransportEventListener>();
  const resyncListeners = new Set<() => void>();
  const tokens: Array<string | null> = [];
  const calls: Array<{ method: MethodName | StreamName; token: string | null }> = [];
  const transport: Transport = {
    kind: 'http',
    call: (method, input, token) => {
      calls.push({ method, token });
      return Promise.resolve(respond(method, input, token));
    },
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onResync: (listener) => {
      resyncListeners.add(listener);
      return () => resyncListeners.delete(listener);
    },
    setSessionToken: (token) => tokens.push(token),
    stream: (name, params, token, options) => {
      calls.push({ method: name, token });
      return Promise.resolve(streamAnswer(name, params, token, options?.body));
    },
  };
  const resync = (): void => resyncListeners.forEach((listener) => listener());
  const emit: TransportEventListener = (name, payload) => {
    for (const listener of listeners) listener(name, payload);
  };
  return { transport, tokens, calls, emit, listeners, resync };
}

/** A backend with one account: login succeeds with the right password, whoami needs 'tok'. */
const backend: Responder = (method, input, token) => {
  switch (method) {
    case 'auth.login':
      return (input as { password: string }).password === 'right password'
        ? { ok: true, value: { token: 'tok', user: USER, idleTimeoutSeconds: 1800 } }
        : { ok: false, error: { code: 'UNAUTHENTICATED', message: 'Wrong username or password.' } };
    case 'auth.whoami':
      return token === 'tok'
        ? { ok: true, value: { user: USER, permissions: [] } }
        : { ok: false, error: { code: 'UNAUTHENTICATED', message: 'Your session has expired.' } };
    case 'auth.logout':
      return { ok: true, value: { loggedOut: true } };
    default:
      return { ok: false, error: { code: 'NOT_FOUND', message: `Unknown method "${method}".` } };
  }
};

describe('createApiClient', () => {
  it('returns the value of a successful call', async () => {
    const { transport } = fakeTransport(() => ({ ok: true, value: { needsSetup: true } }));
    const api = createApiClient({ transport, storage: memoryStorage() });
    expect(await api.call('auth.status', {})).toEqual({ needsSetup: true });
  });

  it('throws an ApiError carrying the code and the message on {ok: false}', async () => {
    const { transport } = fakeTransport(() => ({
      ok: false,
      error: { code: 'PERMISSION_DENIED', message: 'Your role (viewer) may not do this.' },
    }));
    const api = createApiClient({ transport, storage: memoryStorage() });
    const failure = await api.call('users.list', {}).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApiError);
    expect((failure as ApiError).code).toBe('PERMISSION_DENIED');
    expect((failure as ApiError).message).toBe('Your role (viewer) may not do this.');
  });

  it('logs in, sends the token with later calls and keeps the session across a reload', async () => {
    const storage = memoryStorage();
    const first = fakeTransport(backend);
    const api = createApiClient({ transport: first.transport, storage });
    await api.login('admin', 'right password');
    expect(api.getSession()?.user.username).toBe('admin');
    await api.call('auth.whoami', {});
    expect(first.calls.at(-1)).toEqual({ method: 'auth.whoami', token: 'tok' });
    expect(first.tokens.at(-1)).toBe('tok');

    // A reload builds a new client on the same sessionStorage.
    const second = fakeTransport(backend);
    const reloaded = createApiClient({ transport: second.transport, storage });
    expect(reloaded.getSession()?.token).toBe('tok');
    expect(second.tokens).toEqual(['tok']);
  });

  it('a wrong password does not end an existing session', async () => {
    const { transport } = fakeTransport(backend);
    const api = createApiClient({ transport, storage: memoryStorage() });
    await api.login('admin', 'right password');
    await expect(api.login('admin', 'wrong')).rejects.toThrow('Wrong username or password.');
    expect(api.getSession()).not.toBeNull();
  });

  it('drops an expired session and tells the app', async () => {
    const storage = memoryStorage();
    storage.setItem('neurosphere.session', JSON.stringify({ token: 'stale', user: USER }));
    const { transport } = fakeTransport(backend);
    const api = createApiClient({ transport, storage });
    const changes: unknown[] = [];
    api.onSessionChange((session) => changes.push(session));
    await expect(api.call('auth.whoami', {})).rejects.toBeInstanceOf(ApiError);
    expect(api.getSession()).toBeNull();
    expect(changes).toEqual([null]);
    expect(storage.data.size).toBe(0);
  });

  it('ignores a corrupt stored session', () => {
    const storage = memoryStorage();
    storage.setItem('neurosphere.session', '{not json');
    const api = createApiClient({ transport: fakeTransport(backend).transport, storage });
    expect(api.getSession()).toBeNull();
  });

  it('logs out locally even when the server cannot be reached', async () => {
    let isOnline = true;
    const { transport } = fakeTransport((method, input, token) =>
      isOnline
        ? backend(method, input, token)
        : { ok: false, error: { code: 'REMOTE_UNREACHABLE', message: 'offline' } },
    );
    const storage = memoryStorage();
    const api = createApiClient({ transport, storage });
    await api.login('admin', 'right password');
    isOnline = false;
    await api.logout();
    expect(api.getSession()).toBeNull();
    expect(storage.data.size).toBe(0);
  });

  it('delivers events by name, only while logged in, and unsubscribes', async () => {
    const fake = fakeTransport(backend);
    const api = createApiClient({ transport: fake.transport, storage: memoryStorage() });
    const received: unknown[] = [];
    const stop = api.on('jobs.updated', (payload) => received.push(payload));
    fake.emit('jobs.updated', { n: 1 }); // logged out: dropped
    await api.login('admin', 'right password');
    fake.emit('jobs.updated', { n: 2 });
    fake.emit('scans.changed', { n: 3 }); // another event
    stop();
    fake.emit('jobs.updated', { n: 4 });
    expect(received).toEqual([{ n: 2 }]);
    // One transport subscription for the client's life, whatever pages come and go.
    expect(fake.listeners.size).toBe(1);
  });

  it('uploads with the session token and ends an expired session on UNAUTHENTICATED', async () => {
    const fake = fakeTransport(backend);
    const api = createApiClient({ transport: fake.transport, storage: memoryStorage() });
    await api.login('admin', 'right password');
    expect(api.getSession()?.idleTimeoutSeconds).toBe(1800);
    expect(await api.upload('b', 'x.dcm', new Blob(['abc']))).toEqual({ name: 'x.dcm', bytes: 3 });
    expect(fake.calls.at(-1)).toEqual({ method: 'uploads.put', token: 'tok' });
    await expect(api.frame(SCAN, 0)).rejects.toThrow('No such scan.');
    expect(api.getSession()).not.toBeNull();
    const image = await api.analysisImage(SCAN, 'overlay');
    expect(image.type).toBe('image/png');
    fake.transport.stream = () =>
      Promise.resolve({
        ok: false,
        error: { code: 'UNAUTHENTICATED', message: 'Your session has ended.' },
      });
    await expect(api.frame(SCAN, 0)).rejects.toThrow('Your session has ended.');
    expect(api.getSession()).toBeNull();
  });

  it('asks for label volumes with the session token, checking the answer against the contract', async () => {
    const fake = fakeTransport(backend);
    const api = createApiClient({ transport: fake.transport, storage: memoryStorage() });
    await api.login('admin', 'right password');
    const volume = await api.labelVolume(SCAN, 'analysis');
    expect(volume.info).toMatchObject({ scanId: SCAN, source: 'analysis', labels: [1] });
    expect([...volume.data]).toEqual([0, 1]);
    expect(fake.calls.at(-1)).toEqual({ method: 'labels.read', token: 'tok' });
    await expect(api.labelVolume(SCAN, 'mangled')).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it('asks for the labelled box of a label volume, refusing a box that leaves the grid', async () => {
    const fake = fakeTransport(backend);
    const api = createApiClient({ transport: fake.transport, storage: memoryStorage() });
    await api.login('admin', 'right password');
    const box = await api.labelBox(SCAN, 'analysis');
    expect(box.info).toMatchObject({ columns: 4, rows: 3, frames: 2, offset: [1, 2, 0] });
    expect([...box.data]).toEqual([2, 0]);
    expect(fake.calls.at(-1)).toEqual({ method: 'labels.box', token: 'tok' });
    await expect(api.labelBox(SCAN, 'mangled')).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it('downloads an export with the name it is to be saved under, checked against the contract', async () => {
    const fake = fakeTransport(backend);
    const api = createApiClient({ transport: fake.transport, storage: memoryStorage() });
    await api.login('admin', 'right password');
    const zip = await api.stream('analysis.export', { scanId: SCAN });
    expect(zip.description).toEqual({ fileName: 'spot_analysis.zip', warnings: [] });
    expect([...new Uint8Array(zip.data)]).toEqual([0x50, 0x4b]);
    expect(fake.calls.at(-1)).toEqual({ method: 'analysis.export', token: 'tok' });
    const other = '00000000-0000-4000-8000-0000000000bb';
    await expect(api.stream('analysis.export', { scanId: other })).rejects.toMatchObject({
      code: 'INTERNAL',
    });
  });

  it('passes resync signals on only while logged in', async () => {
    const fake = fakeTransport(backend);
    const api = createApiClient({ transport: fake.transport, storage: memoryStorage() });
    let resyncs = 0;
    api.onResync(() => resyncs++);
    fake.resync();
    await api.login('admin', 'right password');
    fake.resync();
    expect(resyncs).toBe(1);
  });
});
