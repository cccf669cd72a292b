/**
 * The preload of the app window. It runs sandboxed, so it must be CommonJS and may require
 * nothing but 'electron': everything it needs from the contract (the method and event names)
 * it asks main for once, synchronously, before the page's scripts run.
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
import type { UploadedFile } from '../../src-shared/contract/uploads.js';
import type { AnalysisImageKind } from '../../src-shared/contract/analysis.js';
import type { BinaryFrame, LabelVolumeBytes, NeurosphereBridge } from './bridge-api.js';
import type { ContractNames, ImportPickKind, IpcChannels, MenuCommand } from './ipc-channels.js';

// Repeated literals (see ipc-channels.ts): the type makes any divergence a compile error.
const CHANNELS: IpcChannels = {
  rpc: 'neurosphere:rpc',
  contract: 'neurosphere:contract',
  event: 'neurosphere:event',
  menu: 'neurosphere:menu',
  chooseImportPaths: 'neurosphere:choose-import-paths',
  upload: 'neurosphere:upload',
  frame: 'neurosphere:frame',
  analysisImage: 'neurosphere:analysis-image',
  labelVolume: 'neurosphere:label-volume',
};
const MENU_COMMANDS: Record<MenuCommand, true> = { 'import-files': true, 'import-folder': true };
const PICK_KINDS: Record<ImportPickKind, true> = { files: true, folder: true };
// Repeated here for the same reason as CHANNELS; the Record type keeps the keys in step.
const IMAGE_KINDS: Record<AnalysisImageKind, true> = { heatmap: true, overlay: true };

const { contextBridge, ipcRenderer } = electron;

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/** Fails closed: if main does not answer with the names, no method and no event is exposed. */
function readContract(): ContractNames {
  try {
    const answer: unknown = ipcRenderer.sendSync(CHANNELS.contract);
    if (typeof answer === 'object' && answer !== null) {
      const { methods, events } = answer as Record<string, unknown>;
      if (isStringArray(methods) && isStringArray(events)) return { methods, events };
    }
  } catch {
    // fall through to the empty contract
  }
  return { methods: [], events: [] };
}

const contract = readContract();
const methodNames = new Set(contract.methods);
const eventListeners = new Map<string, Set<(payload: unknown) => void>>(
  contract.events.map((name) => [name, new Set()]),
);
const menuListeners = new Set<(command: MenuCommand) => void>();

function refuse(message: string): Promise<Result<unknown>> {
  return Promise.resolve({ ok: false, error: { code: 'NOT_FOUND', message } });
}

/** A binary call with arguments of the wrong kind is answered here, never sent to the main process. */
function refused(message: string): Promise<Result<never>> {
  return Promise.resolve({ ok: false, error: { code: 'INVALID_INPUT', message } });
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
  upload(batchId, name, bytes, token) {
    if (
      typeof batchId !== 'string' ||
      typeof name !== 'string' ||
      !(bytes instanceof ArrayBuffer)
    ) {
      return refused('An upload needs a batch, a name and the bytes.');
    }
    return ipcRenderer.invoke(CHANNELS.upload, batchId, name, bytes, tokenOf(token)) as Promise<
      Result<UploadedFile>
    >;
  },
  frame(scanId, index, token) {
    if (typeof scanId !== 'string' || typeof index !== 'number') {
      return refused('A frame needs a scan id and an index.');
    }
    return ipcRenderer.invoke(CHANNELS.frame, scanId, index, tokenOf(token)) as Promise<
      Result<BinaryFrame>
    >;
  },
  analysisImage(scanId, kind, token) {
    if (
      typeof scanId !== 'string' ||
      typeof kind !== 'string' ||
      !Object.hasOwn(IMAGE_KINDS, kind)
    ) {
      return refused('An analysis image needs a scan id and heatmap or overlay.');
    }
    return ipcRenderer.invoke(CHANNELS.analysisImage, scanId, kind, tokenOf(token)) as Promise<
      Result<ArrayBuffer>
    >;
  },
  labelVolume(scanId, source, token) {
    if (typeof scanId !== 'string' || typeof source !== 'string') {
      return refused("A label volume needs a scan id and 'analysis' or a segmentation id.");
    }
    return ipcRenderer.invoke(CHANNELS.labelVolume, scanId, source, tokenOf(token)) as Promise<
      Result<LabelVolumeBytes>
    >;
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
