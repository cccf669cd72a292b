/**
 * Runs the real preload source, compiled to CommonJS as tsc does, in a VM context with a fake
 * 'electron' module: checks what the page can and cannot reach through `window.neurosphere`.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { EVENT_NAMES } from '../../src-shared/contract/events.js';
import { METHOD_NAMES } from '../../src-shared/contract/methods.js';
import { STREAM_NAMES } from '../../src-shared/contract/streams.js';
import type { NeurosphereBridge } from '../../src-shared/bridge.js';
import { IPC_CHANNELS } from './ipc-channels.js';

type IpcListener = (event: unknown, ...args: unknown[]) => void;

const source = readFileSync(fileURLToPath(new URL('./preload.cts', import.meta.url)), 'utf8');
const compiled = ts.transpileModule(source, {
  compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
}).outputText;

function loadPreload(
  contractAnswer: unknown = { methods: METHOD_NAMES, streams: STREAM_NAMES, events: EVENT_NAMES },
) {
  const required: string[] = [];
  const invoked: unknown[][] = [];
  const listeners = new Map<string, IpcListener[]>();
  const exposed = new Map<string, unknown>();
  const ipcRenderer = {
    sendSync(channel: string) {
      if (channel !== IPC_CHANNELS.contract) throw new Error(`unexpected sendSync ${channel}`);
      return contractAnswer;
    },
    invoke(...args: unknown[]) {
      invoked.push(args);
      return Promise.resolve({ ok: true, value: 'from main' });
    },
    on(channel: string, listener: IpcListener) {
      listeners.set(channel, [...(listeners.get(channel) ?? []), listener]);
    },
  };
  const electron = {
    ipcRenderer,
    contextBridge: {
      exposeInMainWorld: (key: string, value: unknown) => exposed.set(key, value),
    },
  };
  const module = { exports: {} };
  runInNewContext(compiled, {
    module,
    exports: module.exports,
    require: (id: string) => {
      required.push(id);
      if (id === 'electron') return electron;
      // A sandboxed preload cannot require local files; loading one must fail here too.
      throw new Error(`a sandboxed preload cannot require ${id}`);
    },
  });
  const emit = (channel: string, ...args: unknown[]): void => {
    const event = { sender: ipcRenderer };
    for (const listener of listeners.get(channel) ?? []) listener(event, ...args);
  };
  return {
    bridge: exposed.get('neurosphere') as NeurosphereBridge,
    exposed,
    required,
    invoked,
    emit,
  };
}

describe('the preload', () => {
  it('requires only electron and exposes only window.neurosphere', () => {
    const { exposed, required, bridge } = loadPreload();
    expect(required).toEqual(['electron']);
    expect([...exposed.keys()]).toEqual(['neurosphere']);
    expect(Object.keys(bridge).sort()).toEqual(['call', 'desktop', 'on', 'stream']);
    expect(Object.keys(bridge.desktop).sort()).toEqual(['chooseImportPaths', 'onMenuCommand']);
    // Nothing that leads back to ipcRenderer.
    expect(JSON.stringify(Object.keys(bridge))).not.toContain('ipc');
  });

  it('forwards contract methods to main with the token', async () => {
    const { bridge, invoked } = loadPreload();
    const result = await bridge.call('auth.status', {}, 'tok');
    expect(result).toEqual({ ok: true, value: 'from main' });
    expect(invoked).toEqual([[IPC_CHANNELS.rpc, 'auth.status', {}, 'tok']]);
  });

  it('refuses unknown methods without reaching main', async () => {
    const { bridge, invoked } = loadPreload();
    const result = await bridge.call('system.shutdown' as 'auth.status', {}, null);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.code).toBe('NOT_FOUND');
    expect(invoked).toEqual([]);
  });

  it('exposes nothing when main does not answer with the contract (fails closed)', async () => {
    const { bridge, invoked } = loadPreload(null);
    expect((await bridge.call('auth.status', {}, null)).ok).toBe(false);
    expect((await bridge.stream('frames.read', {}, null)).ok).toBe(false);
    expect(() => bridge.on('jobs.updated', () => undefined)).toThrow(/Unknown event/);
    expect(invoked).toEqual([]);
  });

  it('delivers known events to their listeners, without the IPC event, until unsubscribed', () => {
    const { bridge, emit } = loadPreload();
    const received: unknown[][] = [];
    const stop = bridge.on('jobs.updated', (...args: unknown[]) => received.push(args));
    emit(IPC_CHANNELS.event, 'jobs.updated', { job: 1 });
    emit(IPC_CHANNELS.event, 'scans.changed', { scanIds: [] });
    stop();
    emit(IPC_CHANNELS.event, 'jobs.updated', { job: 2 });
    expect(received).toEqual([[{ job: 1 }]]);
  });

  it('refuses to subscribe to unknown events', () => {
    const { bridge } = loadPreload();
    expect(() => bridge.on('secrets.leaked' as 'jobs.updated', () => undefined)).toThrow(
      /Unknown event/,
    );
  });

  it('passes on only known menu commands', () => {
    const { bridge, emit } = loadPreload();
    const commands: unknown[] = [];
    bridge.desktop.onMenuCommand((command) => commands.push(command));
    emit(IPC_CHANNELS.menu, 'import-files');
    emit(IPC_CHANNELS.menu, 'format-disk');
    expect(commands).toEqual(['import-files']);
  });

  it('forwards streams of the contract with their params, token and body only', async () => {
    const { bridge, invoked } = loadPreload();
    await bridge.stream('frames.read', { scanId: 's', index: 2 }, 'tok');
    const body = new ArrayBuffer(3);
    await bridge.stream('uploads.put', { batchId: 'b', name: 'a.png' }, 'tok', body);
    expect(invoked).toEqual([
      [IPC_CHANNELS.stream, 'frames.read', { scanId: 's', index: 2 }, 'tok'],
      [IPC_CHANNELS.stream, 'uploads.put', { batchId: 'b', name: 'a.png' }, 'tok', body],
    ]);
  });

  it('refuses unknown streams, params that are no object and bodies that are no bytes', async () => {
    const { bridge, invoked } = loadPreload();
    const unknown = await bridge.stream('files.steal' as 'frames.read', {}, 'tok');
    expect(!unknown.ok && unknown.error.code).toBe('NOT_FOUND');
    const list = await bridge.stream(
      'frames.read',
      [] as unknown as Record<string, unknown>,
      'tok',
    );
    expect(!list.ok && list.error.code).toBe('INVALID_INPUT');
    const text = await bridge.stream('uploads.put', {}, 'tok', 'x' as unknown as ArrayBuffer);
    expect(!text.ok && text.error.code).toBe('INVALID_INPUT');
    expect(invoked).toEqual([]);
  });

  it('asks main for import paths only for a known kind', async () => {
    const { bridge, invoked } = loadPreload();
    await bridge.desktop.chooseImportPaths('folder');
    await expect(bridge.desktop.chooseImportPaths('anything' as 'files')).rejects.toThrow();
    expect(invoked).toEqual([[IPC_CHANNELS.chooseImportPaths, 'folder']]);
  });
});
