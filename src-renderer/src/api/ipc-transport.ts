import { EVENT_NAMES } from '../../../src-shared/contract/events.js';
import { parseLabelVolume } from '../../../src-shared/contract/labels.js';
import type { NeurosphereBridge } from '../../../src-main/electron/bridge-api.js';
import type { UploadedFile } from '../../../src-shared/contract/uploads.js';
import type { Result } from '../../../src-shared/errors.js';
import { failure, isResult } from './result-guard.js';
import type { BinaryFrame, Transport } from './transport.js';

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
    async upload(batchId, name, file, token, options = {}) {
      if (options.signal?.aborted === true)
        return failure('CANCELLED', 'The upload was cancelled.');
      try {
        // Whole files over IPC: DICOM files are small, and the core enforces the size limit.
        const result: unknown = await bridge.upload(batchId, name, await file.arrayBuffer(), token);
        if (isResult(result)) {
          if (result.ok) options.onProgress?.(file.size);
          return result as Result<UploadedFile>;
        }
      } catch {
        // as for call(): main did not answer
      }
      return failure('INTERNAL', NO_ANSWER);
    },
    async frame(scanId, index, token) {
      try {
        const result: unknown = await bridge.frame(scanId, index, token);
        if (isResult(result)) return result as Result<BinaryFrame>;
      } catch {
        // as for call(): main did not answer
      }
      return failure('INTERNAL', NO_ANSWER);
    },
    async analysisImage(scanId, kind, token) {
      try {
        const result: unknown = await bridge.analysisImage(scanId, kind, token);
        if (isResult(result)) {
          if (!result.ok) return result;
          // Main answers an ArrayBuffer (binary-ipc.ts); anything else is not a picture.
          if (result.value instanceof ArrayBuffer)
            return { ok: true, value: new Blob([result.value], { type: 'image/png' }) };
        }
      } catch {
        // as for call(): main did not answer
      }
      return failure('INTERNAL', NO_ANSWER);
    },
    async labelVolume(scanId, source, token) {
      try {
        const result: unknown = await bridge.labelVolume(scanId, source, token);
        if (isResult(result)) {
          if (!result.ok) return result;
          // Main answers {info, data: ArrayBuffer} (binary-ipc.ts); checked like the HTTP answer.
          const { info, data } = (result.value ?? {}) as { info?: unknown; data?: unknown };
          const volume = data instanceof ArrayBuffer ? parseLabelVolume(info, data) : null;
          if (volume !== null) return { ok: true, value: volume };
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
