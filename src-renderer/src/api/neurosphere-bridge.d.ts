// `window.neurosphere` exists only in the desktop app, where the preload exposes it. Its type is
// the preload's own (src-main/electron/bridge-api.ts, types only, no Electron or Node imports),
// so the preload and the renderer are checked against one definition.
import type { NeurosphereBridge } from '../../../src-main/electron/bridge-api.js';

declare global {
  interface Window {
    readonly neurosphere?: NeurosphereBridge;
  }
}

export {};
