import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppError } from '../../../src-shared/errors.js';
import type { ModelManifest } from '../../../src-shared/model-manifest.js';
import type { Logger } from '../platform/logger.js';
import {
  defaultThreadCount,
  planProviders,
  type ProviderPreference,
} from './execution-providers.js';
import type {
  ExecutionProviderName,
  LoadResult,
  RunResult,
  TensorData,
  WorkerRequest,
  WorkerResponse,
} from './inference-protocol.js';
import type { ModelRegistry } from './model-registry.js';

export interface LoadedModel {
  manifest: ModelManifest;
  provider: ExecutionProviderName;
  fallbackReason: string | null;
  loadMs: number;
}

export interface InferenceEngineOptions {
  registry: ModelRegistry;
  logger: Logger;
  preference?: ProviderPreference;
  threads?: number;
  /** A request that takes longer is abandoned and the worker restarted. */
  requestTimeoutMs?: number;
}

/** Omit distributed over the union of request kinds. */
type RequestWithoutId = WorkerRequest extends infer R
  ? R extends unknown
    ? Omit<R, 'id'>
    : never
  : never;

type Pending = {
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  timer: NodeJS.Timeout;
};

/** The compiled worker in dist, or the TypeScript source when running from src (tests). */
function workerUrl(): URL {
  const js = new URL('./inference-worker.js', import.meta.url);
  return existsSync(fileURLToPath(js)) ? js : new URL('./inference-worker.ts', import.meta.url);
}

/**
 * Runs ONNX models in a long-lived worker thread: one session per model, created once, on the
 * platform's GPU provider with a fallback to the CPU. The provider actually used is reported.
 */
export function createInferenceEngine(options: InferenceEngineOptions) {
  const threads = options.threads ?? defaultThreadCount(availableParallelism());
  const timeoutMs = options.requestTimeoutMs ?? 120_000;
  let preference: ProviderPreference = options.preference ?? 'auto';
  let worker: Worker | null = null;
  let nextId = 1;
  const pending = new Map<number, Pending>();
  const loaded = new Map<string, Promise<LoadedModel>>();
  let lastProvider: ExecutionProviderName | null = null;

  function failAll(error: AppError): void {
    for (const [, p] of pending) {
      clearTimeout(p.timer);
      p.reject(error);
    }
    pending.clear();
    loaded.clear();
  }

  function startWorker(): Worker {
    const w = new Worker(workerUrl());
    w.on('message', (response: WorkerResponse) => {
      const p = pending.get(response.id);
      if (p === undefined) return;
      pending.delete(response.id);
      clearTimeout(p.timer);
      if (response.ok) p.resolve(response.value);
      else p.reject(new AppError(response.error.code, response.error.message));
    });
    w.on('error', (error) => {
      options.logger.error('inference worker crashed', { error });
      if (worker === w) worker = null;
      failAll(
        new AppError(
          'INTERNAL',
          'The inference worker stopped unexpectedly; it will restart with the next analysis.',
        ),
      );
    });
    w.on('exit', (code) => {
      if (worker === w) worker = null;
      if (pending.size > 0)
        failAll(
          new AppError(
            'INTERNAL',
            `The inference worker exited (code ${code}); it will restart with the next analysis.`,
          ),
        );
    });
    w.unref();
    return w;
  }

  function request<T>(message: RequestWithoutId, transfer: ArrayBuffer[] = []): Promise<T> {
    worker ??= startWorker();
    const w = worker;
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(
          new AppError(
            'INTERNAL',
            `Inference did not answer within ${Math.round(timeoutMs / 1000)} s; the worker was restarted.`,
          ),
        );
        // A stuck native call cannot be interrupted: replace the whole worker.
        if (worker === w) worker = null;
        loaded.clear();
        void w.terminate();
      }, timeoutMs);
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject, timer });
      w.ref();
      w.postMessage({ ...message, id } as WorkerRequest, transfer);
    }).finally(() => {
      if (pending.size === 0) w.unref();
    });
  }

  async function loadModel(modelId: string): Promise<LoadedModel> {
    const { manifest, modelPath } = await options.registry.verify(modelId);
    const plan = planProviders(preference);
    const result = await request<LoadResult>({
      type: 'load',
      modelId,
      path: modelPath,
      providers: plan.providers,
      allowCpuFallback: plan.allowCpuFallback,
      threads,
    });
    if (!result.inputNames.includes(manifest.input.name)) {
      throw new AppError(
        'MODEL_UNAVAILABLE',
        `Model "${modelId}" has no input named "${manifest.input.name}" as its manifest says.`,
      );
    }
    if (result.fallbackReason !== null)
      options.logger.warn('execution provider fallback', {
        modelId,
        reason: result.fallbackReason,
      });
    lastProvider = result.provider;
    return {
      manifest,
      provider: result.provider,
      fallbackReason: result.fallbackReason,
      loadMs: result.ms,
    };
  }

  return {
    threads,

    /** Verifies and loads a model once; later calls reuse the session. */
    prepare(modelId: string): Promise<LoadedModel> {
      let promise = loaded.get(modelId);
      if (promise === undefined) {
        promise = loadModel(modelId);
        loaded.set(modelId, promise);
        promise.catch(() => loaded.delete(modelId));
      }
      return promise;
    },

    /** Runs one batch. The input arrays are transferred to the worker (do not reuse them). */
    async run(
      modelId: string,
      feeds: Record<string, TensorData>,
      outputs?: string[],
    ): Promise<RunResult> {
      await this.prepare(modelId);
      const transfer = Object.values(feeds).map((t) => t.data.buffer as ArrayBuffer);
      return request<RunResult>(
        { type: 'run', modelId, feeds, ...(outputs !== undefined && { outputs }) },
        transfer,
      );
    },

    /** The provider of the last model loaded: 'unknown' until one is. */
    providerInUse(): string {
      return lastProvider ?? 'unknown';
    },

    preference: (): ProviderPreference => preference,

    /** Changing the preference reloads models on their next use. */
    setPreference(next: ProviderPreference): void {
      if (next === preference) return;
      preference = next;
      loaded.clear();
      if (worker !== null) void worker.terminate();
      worker = null;
    },

    async close(): Promise<void> {
      const w = worker;
      worker = null;
      failAll(new AppError('CANCELLED', 'Neurosphere is closing.'));
      if (w !== null) await w.terminate();
    },
  };
}
export type InferenceEngine = ReturnType<typeof createInferenceEngine>;
