import { EVENT_NAMES } from '../../../src-shared/contract/events.js';
import type { NeurosphereBridge } from '../../../src-main/electron/bridge-api.js';
import { failure, isResult } from './result-guard.js';
import type { Transport } from './transport.js';

/** The desktop app's transport: `window.neurosphere`, exposed by the preload. */
export function createIpcTransport(bridge: NeurosphereBridge): Transport {
  return {
    kind: 'ipc',
    async call(method, input, token) {
      try {
        const result: unknown = await bridge.call(method, input, token);
        if (isResult(result)) return result;
      } catch {
        // Electron rejects when main has no handler or the input cannot be cloned.
      }
      return failure(
        'INTERNAL',
        'The desktop app did not answer this request. Restart Neurosphere; if it keeps happening, contact support.',
      );
    },
    subscribe(listener) {
      // Events reach every app window; the client decides whether the user may see them.
      const stops = EVENT_NAMES.map((name) =>
        bridge.on(name, (payload) => listener(name, payload)),
      );
      return () => stops.forEach((stop) => stop());
    },
    onResync() {
      // IPC has no connection to lose: the main process delivers every event.
      return () => undefined;
    },
    setSessionToken() {
      // IPC needs no separate event authentication: the window itself is the trusted client.
    },
  };
}
