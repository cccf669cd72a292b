import { parentPort } from 'node:worker_threads';
import { isAppError, type AppErrorData } from '../../../../src-shared/errors.js';
import type { ResultMessage, TaskMessage } from './worker-pool.js';

/** Turns any thrown value into error data: AppErrors keep their code, the rest become INTERNAL. */
export function toErrorData(error: unknown): AppErrorData {
  if (isAppError(error)) return error.toData();
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message: `Unexpected failure while reading the file: ${message}` };
}

/**
 * The worker side of the pool: answers each numbered request with the handler's result or its
 * error. Anything thrown (strings, numbers from WebAssembly, objects) is caught and reported.
 */
export function serveTasks<Req, Res>(
  handler: (request: Req) => Promise<{ result: Res; transfer?: ArrayBuffer[] }>,
): void {
  const port = parentPort;
  if (port === null) throw new Error('serveTasks must run inside a worker thread');
  port.on('message', (message: TaskMessage<Req>) => {
    void (async () => {
      let reply: ResultMessage<Res>;
      let transfer: ArrayBuffer[] = [];
      try {
        const answer = await handler(message.request);
        reply = { id: message.id, ok: true, result: answer.result };
        transfer = answer.transfer ?? [];
      } catch (error) {
        reply = { id: message.id, ok: false, error: toErrorData(error) };
      }
      port.postMessage(reply, transfer);
    })();
  });
}
