import { Worker } from 'node:worker_threads';
import { AppError, type AppErrorData } from '../../../../src-shared/errors.js';

/** Why a task failed without an answer from its worker. */
export type WorkerFailure = 'timeout' | 'out-of-memory' | 'crashed';

/** A task that did not finish: the worker was stopped (timeout) or died (memory, crash). */
export class WorkerTaskError extends Error {
  readonly failure: WorkerFailure;
  constructor(failure: WorkerFailure, message: string) {
    super(message);
    this.name = 'WorkerTaskError';
    this.failure = failure;
  }
}

export interface WorkerPoolOptions {
  /** The worker's entry module (a compiled .js file, or a .ts file when running from source). */
  script: URL;
  /** Most workers running at once. */
  size: number;
  /** A task running longer is abandoned and its worker replaced. */
  taskTimeoutMs: number;
  /** V8 heap limit per worker (resourceLimits.maxOldGenerationSizeMb). */
  maxHeapMb: number;
}

/** Request/response messages are numbered so a late answer can never be taken for another. */
export interface TaskMessage<Req> {
  id: number;
  request: Req;
}
export type ResultMessage<Res> =
  { id: number; ok: true; result: Res } | { id: number; ok: false; error: AppErrorData };

interface PendingTask<Req, Res> {
  id: number;
  request: Req;
  transfer: readonly ArrayBuffer[];
  resolve: (value: Res) => void;
  reject: (error: Error) => void;
}

interface Slot<Req, Res> {
  worker: Worker;
  task: PendingTask<Req, Res> | null;
  timer: NodeJS.Timeout | null;
}

export interface WorkerPool<Req, Res> {
  run(request: Req, transfer?: readonly ArrayBuffer[]): Promise<Res>;
  /** Workers replaced after a timeout, a crash or running out of memory. */
  readonly restarts: number;
  close(): Promise<void>;
}

const BOOTSTRAP = new URL('./ts-worker-bootstrap.mjs', import.meta.url);

/** Under Vitest the core runs from .ts sources: a small bootstrap lets Node load them. */
function spawn(script: URL, maxHeapMb: number): Worker {
  const isSource = script.pathname.endsWith('.ts');
  return new Worker(isSource ? BOOTSTRAP : script, {
    workerData: { entry: script.href },
    resourceLimits: { maxOldGenerationSizeMb: maxHeapMb, maxYoungGenerationSizeMb: 32 },
    stdout: false,
    stderr: false,
  });
}

/**
 * A fixed-size pool of worker threads for untrusted work (parsing and decoding files): each
 * task has a timeout after which its worker is terminated and replaced, each worker a memory
 * cap, and a crashed worker fails only its own task.
 */
export function createWorkerPool<Req, Res>(options: WorkerPoolOptions): WorkerPool<Req, Res> {
  const slots: Array<Slot<Req, Res>> = [];
  const queue: Array<PendingTask<Req, Res>> = [];
  let nextId = 1;
  let restarts = 0;
  let isClosed = false;

  function finish(slot: Slot<Req, Res>): PendingTask<Req, Res> | null {
    const task = slot.task;
    if (slot.timer !== null) clearTimeout(slot.timer);
    slot.task = null;
    slot.timer = null;
    return task;
  }

  function replace(slot: Slot<Req, Res>, failure: WorkerFailure, message: string): void {
    const task = finish(slot);
    const index = slots.indexOf(slot);
    if (index >= 0) slots.splice(index, 1);
    slot.worker.removeAllListeners();
    slot.worker.on('error', () => undefined);
    void slot.worker.terminate();
    restarts++;
    task?.reject(new WorkerTaskError(failure, message));
    pump();
  }

  function start(): Slot<Req, Res> {
    const worker = spawn(options.script, options.maxHeapMb);
    const slot: Slot<Req, Res> = { worker, task: null, timer: null };
    worker.on('message', (message: ResultMessage<Res>) => {
      if (slot.task === null || message.id !== slot.task.id) return;
      const task = finish(slot)!;
      if (message.ok) task.resolve(message.result);
      else
        task.reject(new AppError(message.error.code, message.error.message, message.error.details));
      pump();
    });
    worker.on('error', (error: Error & { code?: string }) => {
      const isMemory = error.code === 'ERR_WORKER_OUT_OF_MEMORY';
      replace(
        slot,
        isMemory ? 'out-of-memory' : 'crashed',
        isMemory
          ? `needed more than the ${options.maxHeapMb} MB memory limit`
          : `the worker crashed (${error.message})`,
      );
    });
    worker.on('exit', (code) => {
      if (!isClosed && slots.includes(slot))
        replace(slot, 'crashed', `the worker exited (${code})`);
    });
    worker.unref();
    slots.push(slot);
    return slot;
  }

  function pump(): void {
    while (!isClosed && queue.length > 0) {
      const slot =
        slots.find((s) => s.task === null) ?? (slots.length < options.size ? start() : undefined);
      if (slot === undefined) return;
      const task = queue.shift()!;
      slot.task = task;
      slot.timer = setTimeout(
        () =>
          replace(
            slot,
            'timeout',
            `took longer than ${Math.round(options.taskTimeoutMs / 1000)} s`,
          ),
        options.taskTimeoutMs,
      );
      slot.worker.ref();
      const message: TaskMessage<Req> = { id: task.id, request: task.request };
      slot.worker.postMessage(message, [...task.transfer]);
    }
    for (const slot of slots) if (slot.task === null) slot.worker.unref();
  }

  return {
    get restarts() {
      return restarts;
    },
    run(request, transfer = []) {
      if (isClosed) return Promise.reject(new AppError('CANCELLED', 'The worker pool is closed'));
      return new Promise<Res>((resolve, reject) => {
        queue.push({ id: nextId++, request, transfer, resolve, reject });
        pump();
      });
    },
    async close() {
      isClosed = true;
      for (const task of queue.splice(0)) task.reject(new AppError('CANCELLED', 'Shutting down'));
      await Promise.all(
        slots.splice(0).map((slot) => {
          finish(slot)?.reject(new AppError('CANCELLED', 'Shutting down'));
          return slot.worker.terminate();
        }),
      );
    },
  };
}
