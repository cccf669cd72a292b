import type { NeurosphereBridge } from '../../../src-shared/bridge.js';
import { EVENT_NAMES } from '../../../src-shared/contract/events.js';
import { failure, isResult } from './result-guard.js';
import type { Transport } from './transport.js';

const NO_ANSWER =
  'The desktop app did not answer this request. Restart Neurosphere; if it keeps happening, contact support.';

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
      return failure('INTERNAL', NO_ANSWER);
    },
    async stream(name, params, token, options = {}) {
      const { body, signal, onProgress } = options;
      if (signal?.aborted === true) return failure('CANCELLED', 'The transfer was cancelled.');
      try {
        // Whole files over IPC: DICOM files are small, and the core enforces the size limit.
        const bytes = body === undefined ? undefined : await body.arrayBuffer();
        const result: unknown = await bridge.stream(name, params, token, bytes);
        if (isResult(result)) {
          if (!result.ok) return result;
          // Main answers {description, data: ArrayBuffer} (ipc-router.ts); anything else is broken.
          const { description, data } = (result.value ?? {}) as Record<string, unknown>;
          if (data instanceof ArrayBuffer) {
            if (body !== undefined) onProgress?.(body.size);
            return { ok: true, value: { description: description ?? null, data } };
          }
        }
      } catch {
        // as for call(): main did not answer
      }
      return failure('INTERNAL', NO_ANSWER);
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
