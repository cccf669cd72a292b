import type { MeshReply, MeshRequest } from './mesh-protocol.js';

type Done<K extends MeshReply['kind']> = Extract<MeshReply, { kind: K }>;

/**
 * Starts a mesh worker before its job is known: its script loads and compiles while the mask is
 * still on its way. Terminated when `signal` aborts (the caller's job was cancelled).
 */
export function startMeshWorker(signal: AbortSignal): Worker {
  const worker = new Worker(new URL('./mesh.worker.ts', import.meta.url), { type: 'module' });
  signal.addEventListener('abort', () => worker.terminate(), { once: true });
  return worker;
}

/**
 * Runs one request in a mesh worker (`options.worker`, started early, or a fresh one) and
 * answers its result; the worker is terminated after. Aborting terminates it at once (marching
 * cubes cannot be interrupted from outside otherwise) and rejects with an AbortError.
 */
export function runMeshWorker<K extends 'lesions' | 'head'>(
  request: MeshRequest & { kind: K },
  options: {
    signal: AbortSignal;
    onProgress?: (done: number, total: number) => void;
    worker?: Worker;
  },
): Promise<Done<K>> {
  return new Promise((resolve, reject) => {
    if (options.signal.aborted) {
      options.worker?.terminate();
      reject(new DOMException('Cancelled', 'AbortError'));
      return;
    }
    const worker =
      options.worker ??
      new Worker(new URL('./mesh.worker.ts', import.meta.url), { type: 'module' });
    const finish = (): void => {
      worker.terminate();
      options.signal.removeEventListener('abort', abort);
    };
    const abort = (): void => {
      finish();
      reject(new DOMException('Cancelled', 'AbortError'));
    };
    options.signal.addEventListener('abort', abort);
    worker.onmessage = (event: MessageEvent<MeshReply>) => {
      const reply = event.data;
      if (reply.kind === 'progress') {
        options.onProgress?.(reply.done, reply.total);
        return;
      }
      finish();
      if (reply.kind === 'error') reject(new Error(reply.message));
      else if (reply.kind === request.kind) resolve(reply as Done<K>);
      else reject(new Error(`The mesh worker answered ${reply.kind} to ${request.kind}.`));
    };
    worker.onerror = (event) => {
      finish();
      reject(new Error(event.message || 'The mesh worker failed to start.'));
    };
    const message: MeshRequest = request;
    const transfer = message.kind === 'lesions' ? message.mask.buffer : message.field.buffer;
    worker.postMessage(message, [transfer as ArrayBuffer]);
  });
}
