import { describe, expect, it } from 'vitest';
import { EVENT_NAMES } from '../../../src-shared/contract/events.js';
import type { NeurosphereBridge } from '../../../src-main/electron/bridge-api.js';
import { createIpcTransport } from './ipc-transport.js';

function fakeBridge(call: NeurosphereBridge['call']) {
  const subscriptions: string[] = [];
  const listeners = new Map<string, (payload: unknown) => void>();
  const bridge: NeurosphereBridge = {
    call,
    on(name, listener) {
      subscriptions.push(name);
      listeners.set(name, listener);
      return () => listeners.delete(name);
    },
    upload: (_batchId, name) => Promise.resolve({ ok: true, value: { name, bytes: 1 } }),
    frame: () => Promise.reject(new Error('No handler registered')),
    analysisImage: () => Promise.resolve({ ok: true, value: new Uint8Array([137, 80]).buffer }),
    labelVolume: (scanId, source) =>
      Promise.resolve({
        ok: true,
        value: {
          info: { scanId, source, columns: 2, rows: 2, frames: 1, labels: [4] },
          data: new Uint8Array([0, 4, 4, 0]).buffer,
        },
      }),
    desktop: {
      chooseImportPaths: () => Promise.resolve([]),
      onMenuCommand: () => () => undefined,
    },
  };
  return { bridge, subscriptions, listeners };
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

  it('uploads a Blob as bytes and reports the whole file as sent', async () => {
    const transport = createIpcTransport(
      fakeBridge(() => Promise.resolve({ ok: true, value: 1 })).bridge,
    );
    const sent: number[] = [];
    const result = await transport.upload('b', 'a.dcm', new Blob(['abcd']), 'tok', {
      onProgress: (bytes) => sent.push(bytes),
    });
    expect(result).toEqual({ ok: true, value: { name: 'a.dcm', bytes: 1 } });
    expect(sent).toEqual([4]);
    const frame = await transport.frame('s', 0, 'tok');
    expect(!frame.ok && frame.error.code).toBe('INTERNAL');
  });

  it('turns analysis image bytes from main into an image/png Blob', async () => {
    const transport = createIpcTransport(
      fakeBridge(() => Promise.resolve({ ok: true, value: 1 })).bridge,
    );
    const image = await transport.analysisImage('s', 'overlay', 'tok');
    if (!image.ok) throw new Error(image.error.message);
    expect(image.value.type).toBe('image/png');
    expect([...new Uint8Array(await image.value.arrayBuffer())]).toEqual([137, 80]);
  });

  it('turns a label volume from main into info and Uint8Array labels, checking both', async () => {
    const scanId = '00000000-0000-4000-8000-000000000001';
    const fake = fakeBridge(() => Promise.resolve({ ok: true, value: 1 }));
    const transport = createIpcTransport(fake.bridge);
    const volume = await transport.labelVolume(scanId, 'analysis', 'tok');
    if (!volume.ok) throw new Error(volume.error.message);
    expect(volume.value.info).toEqual({
      scanId,
      source: 'analysis',
      columns: 2,
      rows: 2,
      frames: 1,
      labels: [4],
    });
    expect(volume.value.data).toBeInstanceOf(Uint8Array);
    expect([...volume.value.data]).toEqual([0, 4, 4, 0]);

    // Bytes that do not match their description, or a refusal, are not passed off as labels.
    fake.bridge.labelVolume = () =>
      Promise.resolve({
        ok: true,
        value: {
          info: { scanId, source: 'analysis', columns: 3, rows: 2, frames: 1, labels: [] },
          data: new ArrayBuffer(4),
        },
      });
    const short = await transport.labelVolume(scanId, 'analysis', 'tok');
    expect(!short.ok && short.error.code).toBe('INTERNAL');
    fake.bridge.labelVolume = () =>
      Promise.resolve({ ok: false, error: { code: 'NOT_FOUND', message: 'Not analysed.' } });
    expect(await transport.labelVolume(scanId, 'analysis', 'tok')).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'Not analysed.' },
    });
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
