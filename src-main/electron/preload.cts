/**
 * The preload of the app window. It runs sandboxed, so it must be CommonJS and may require
 * nothing but 'electron': everything it needs from the contract (the method, stream and event
 * names) it asks main for once, synchronously, before the page's scripts run.
 *
 * It exposes `window.neurosphere` with purpose-built functions only. ipcRenderer itself, its
 * event objects (which carry `sender`) and arbitrary channels never reach the page.
 */
// CommonJS by necessity (see above); with verbatimModuleSyntax, `import … = require` is how a
// .cts file imports a value.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import electron = require('electron');
import type { IpcRendererEvent } from 'electron';
import type { Result } from '../../src-shared/errors.js';
import type {
  ImportPickKind,
  MenuCommand,
  NeurosphereBridge,
  StreamAnswer,
} from '../../src-shared/bridge.js';
import type { ContractNames, IpcChannels } from './ipc-channels.js';

// Repeated literals (see ipc-channels.ts): the type makes any divergence a compile error.
const CHANNELS: IpcChannels = {
  rpc: 'neurosphere:rpc',
  contract: 'neurosphere:contract',
  event: 'neurosphere:event',
  menu: 'neurosphere:menu',
  chooseImportPaths: 'neurosphere:choose-import-paths',
  stream: 'neurosphere:stream',
};
const MENU_COMMANDS: Record<MenuCommand, true> = { 'import-files': true, 'import-folder': true };
const PICK_KINDS: Record<ImportPickKind, true> = { files: true, folder: true };

const { contextBridge, ipcRenderer } = electron;

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/** Fails closed: if main does not answer with the names, no method, stream or event is exposed. */
function readContract(): ContractNames {
  try {
    const answer: unknown = ipcRenderer.sendSync(CHANNELS.contract);
    if (typeof answer === 'object' && answer !== null) {
      const { methods, streams, events } = answer as Record<string, unknown>;
      if (isStringArray(methods) && isStringArray(streams) && isStringArray(events))
        return { methods, streams, events };
    }
  } catch {
    // fall through to the empty contract
  }
  return { methods: [], streams: [], events: [] };
}

const contract = readContract();
const methodNames = new Set(contract.methods);
const streamNames = new Set(contract.streams);
const eventListeners = new Map<string, Set<(payload: unknown) => void>>(
  contract.events.map((name) => [name, new Set()]),
);
const menuListeners = new Set<(command: MenuCommand) => void>();

function refuse(message: string): Promise<Result<never>> {
  return Promise.resolve({ ok: false, error: { code: 'NOT_FOUND', message } });
}

/** A stream call with arguments of the wrong kind is answered here, never sent to the main process. */
function refused(message: string): Promise<Result<never>> {
  return Promise.resolve({ ok: false, error: { code: 'INVALID_INPUT', message } });
}

/** By its tag, not instanceof: an ArrayBuffer from another realm (world) is still one. */
function isArrayBuffer(value: unknown): value is ArrayBuffer {
  return Object.prototype.toString.call(value) === '[object ArrayBuffer]';
}

function isParams(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The session token as the main process expects it: a string or null, nothing else. */
function tokenOf(token: unknown): string | null {
  return typeof token === 'string' ? token : null;
}

// One IPC listener per channel, dispatching to the page's listeners by name, so the page can
// subscribe as often as it likes without piling up ipcRenderer listeners.
ipcRenderer.on(CHANNELS.event, (_event: IpcRendererEvent, name: unknown, payload: unknown) => {
  if (typeof name !== 'string') return;
  for (const listener of eventListeners.get(name) ?? []) listener(payload);
});
ipcRenderer.on(CHANNELS.menu, (_event: IpcRendererEvent, command: unknown) => {
  if (typeof command !== 'string' || !Object.hasOwn(MENU_COMMANDS, command)) return;
  for (const listener of menuListeners) listener(command as MenuCommand);
});

const bridge: NeurosphereBridge = {
  call(method, input, token) {
    if (typeof method !== 'string' || !methodNames.has(method)) {
      return refuse(`Unknown method "${String(method)}".`);
    }
    return ipcRenderer.invoke(CHANNELS.rpc, method, input, tokenOf(token)) as Promise<
      Result<unknown>
    >;
  },
  stream(name, params, token, body) {
    if (typeof name !== 'string' || !streamNames.has(name)) {
      return refuse(`Unknown stream "${String(name)}".`);
    }
    if (!isParams(params)) return refused('A stream needs its params as an object.');
    if (body !== undefined && !isArrayBuffer(body)) {
      return refused('An upload body must be an ArrayBuffer.');
    }
    const answer =
      body === undefined
        ? ipcRenderer.invoke(CHANNELS.stream, name, params, tokenOf(token))
        : ipcRenderer.invoke(CHANNELS.stream, name, params, tokenOf(token), body);
    return answer as Promise<Result<StreamAnswer>>;
  },
  on(eventName, listener) {
    const listeners = typeof eventName === 'string' ? eventListeners.get(eventName) : undefined;
    if (listeners === undefined) throw new TypeError(`Unknown event "${String(eventName)}".`);
    if (typeof listener !== 'function') throw new TypeError('The listener must be a function.');
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  },
  desktop: {
    chooseImportPaths(kind) {
      if (typeof kind !== 'string' || !Object.hasOwn(PICK_KINDS, kind)) {
        return Promise.reject(new TypeError(`Unknown import kind "${String(kind)}".`));
      }
      return ipcRenderer.invoke(CHANNELS.chooseImportPaths, kind) as Promise<string[]>;
    },
    onMenuCommand(listener) {
      if (typeof listener !== 'function') throw new TypeError('The listener must be a function.');
      menuListeners.add(listener);
      return () => {
        menuListeners.delete(listener);
      };
    },
  },
};

contextBridge.exposeInMainWorld('neurosphere', bridge);
