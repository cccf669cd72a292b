// `window.neurosphere` exists only in the desktop app, where the preload exposes it. Its type is
// the preload's own (src-shared/bridge.ts, types only), so the preload and the renderer are
// checked against one definition.
import type { NeurosphereBridge } from '../../../src-shared/bridge.js';

declare global {
  interface Window {
    readonly neurosphere?: NeurosphereBridge;
  }
}

export {};
