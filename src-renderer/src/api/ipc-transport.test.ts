import { describe, expect, it } from 'vitest';
import { EVENT_NAMES } from '../../../src-shared/contract/events.js';
import type { NeurosphereBridge } from '../../../src-shared/bridge.js';
import { createIpcTransport } from './ipc-transport.js';

function fakeBridge(call: NeurosphereBridge['call']) {
  const subscriptions: string[] = [];
  const streamed: Array<{ name: string; params: unknown; bytes: number | null }> = [];
  const listeners = new Map<string, (payload: unknown) => void>();
  const bridge: NeurosphereBridge = {
    call,
    on(name, listener) {
      subscriptions.push(name);
      listeners.set(name, listener);
      return () => listeners.delete(name);
    },
    stream: (name, params, _token, body) => {
      streamed.push({ name, params, bytes: body === undefined ? null : body.byteLength });
      if (name === 'frames.read') return Promise.reject(new Error('No handler registered'));
      return Promise.resolve({
        ok: true,
        value: { description: { name }, data: new Uint8Array([137, 80]).buffer },
      });
    },
    desktop: {
      chooseImportPaths: () => Promise.resolve([]),
      onMenuCommand: () => () => undefined,
    },
  };
  return { bridge, subscriptions, listeners, streamed };
}

describe('createIpcTransport', () => {
  it('passes calls and Results through the preload', async () => {
    const { bridge } = fakeBridge((method, _input, token) =>
      Promise.resolve({ ok: true, value: `${method} ${String(token)}` }),
    );
    const transport = createIpcTransport(bridge);
    expect(transport.kind).toBe('ipc');
    expect(await transport.call('auth.status', {}, 'tok')).toEqual({
      ok: true,
      value: 'auth.status tok',
    });
  });

  it('turns a rejected or malformed answer into an INTERNAL error in words', async () => {
    const rejecting = createIpcTransport(
      fakeBridge(() => Promise.reject(new Error('No handler registered'))).bridge,
    );
    const result = await rejecting.call('auth.status', {}, null);
    expect(!result.ok && result.error.code).toBe('INTERNAL');
    expect(!result.ok && result.error.message).toMatch(/did not answer/);

    const malformed = createIpcTransport(
      fakeBridge(() => Promise.resolve('nonsense' as never)).bridge,
    );
    expect((await malformed.call('auth.status', {}, null)).ok).toBe(false);
  });

  it('sends an upload body as bytes and reports the whole file as sent', async () => {
    const fake = fakeBridge(() => Promise.resolve({ ok: true, value: 1 }));
    const transport = createIpcTransport(fake.bridge);
    const sent: number[] = [];
    const params = { batchId: 'b', name: 'a.dcm' };
    const result = await transport.stream('uploads.put', params, 'tok', {
      body: new Blob(['abcd']),
      onProgress: (bytes) => sent.push(bytes),
    });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.description).toEqual({ name: 'uploads.put' });
    expect(sent).toEqual([4]);
    expect(fake.streamed).toEqual([{ name: 'uploads.put', params, bytes: 4 }]);
  });

  it('passes downloads through and turns a missing or malformed answer into INTERNAL', async () => {
    const fake = fakeBridge(() => Promise.resolve({ ok: true, value: 1 }));
    const transport = createIpcTransport(fake.bridge);
    const image = await transport.stream('analysis.image', { scanId: 's', kind: 'overlay' }, 'tok');
    if (!image.ok) throw new Error(image.error.message);
    expect([...new Uint8Array(image.value.data)]).toEqual([137, 80]);
    const frame = await transport.stream('frames.read', { scanId: 's', index: 0 }, 'tok');
    expect(!frame.ok && frame.error.code).toBe('INTERNAL');
    fake.bridge.stream = () =>
      Promise.resolve({ ok: true, value: { description: null, data: 'x' } } as never);
    const text = await transport.stream('analysis.image', { scanId: 's', kind: 'heatmap' }, 'tok');
    expect(!text.ok && text.error.code).toBe('INTERNAL');
    fake.bridge.stream = () =>
      Promise.resolve({ ok: false, error: { code: 'NOT_FOUND', message: 'Not analysed.' } });
    expect(
      await transport.stream('labels.read', { scanId: 's', source: 'analysis' }, 'tok'),
    ).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'Not analysed.' },
    });
  });

  it('answers CANCELLED without calling main when the signal has already fired', async () => {
    const fake = fakeBridge(() => Promise.resolve({ ok: true, value: 1 }));
    const controller = new AbortController();
    controller.abort();
    const result = await createIpcTransport(fake.bridge).stream(
      'uploads.put',
      { batchId: 'b', name: 'a' },
      'tok',
      { body: new Blob(['x']), signal: controller.signal },
    );
    expect(!result.ok && result.error.code).toBe('CANCELLED');
    expect(fake.streamed).toEqual([]);
  });

  it('subscribes to every contract event and unsubscribes from all of them', () => {
    const fake = fakeBridge(() => Promise.resolve({ ok: true, value: null }));
    const transport = createIpcTransport(fake.bridge);
    const received: unknown[] = [];
    const stop = transport.subscribe((name, payload) => received.push([name, payload]));
    expect(fake.subscriptions).toEqual(EVENT_NAMES);
    fake.listeners.get('jobs.updated')?.({ job: 1 });
    expect(received).toEqual([['jobs.updated', { job: 1 }]]);
    stop();
    expect(fake.listeners.size).toBe(0);
  });
});
