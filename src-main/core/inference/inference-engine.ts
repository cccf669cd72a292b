import { availableParallelism } from 'node:os';
import { AppError } from '../../../src-shared/errors.js';
import type { ModelManifest } from '../../../src-shared/model-manifest.js';
import type { Logger } from '../platform/logger.js';
import {
  defaultThreadCount,
  planProviders,
  type ProviderPreference,
} from './execution-providers.js';
import {
  forkNodeProcess,
  inferenceEntry,
  type InferenceLauncher,
  type InferenceProcess,
  type ProcessEnd,
} from './inference-launcher.js';
import type {
  ExecutionProviderName,
  LoadResult,
  ProbeResult,
  RunResult,
  SpeechResult,
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
  /** A request that takes longer is abandoned and the inference process restarted. */
  requestTimeoutMs?: number;
  /** How the inference process is started (default: a Node child process). */
  launcher?: InferenceLauncher;
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

/** What a user reads when the inference process died under a request. */
function crashMessage(end: ProcessEnd): string {
  const how =
    end.signal !== null
      ? `was stopped (${end.signal})`
      : end.code !== null
        ? `exited (code ${end.code})`
        : 'could not be started';
  return (
    `The analysis engine ${how} while it worked on this request, so this analysis did not ` +
    'finish. It restarts by itself: analyse the scan again; if it fails the same way, the ' +
    'input may be what the engine cannot read (see the log).'
  );
}

/**
 * Runs ONNX models in a long-lived, supervised process of its own: one session per model,
 * created once, on the platform's GPU provider with a fallback to the CPU (the provider used is
 * reported). If the process dies (a native crash, out of memory, killed), only the requests
 * in flight fail, with a reason; the next request starts a fresh process.
 */
export function createInferenceEngine(options: InferenceEngineOptions) {
  const threads = options.threads ?? defaultThreadCount(availableParallelism());
  const timeoutMs = options.requestTimeoutMs ?? 120_000;
  const launch = options.launcher ?? forkNodeProcess;
  let preference: ProviderPreference = options.preference ?? 'auto';
  let child: InferenceProcess | null = null;
  let nextId = 1;
  const pending = new Map<number, Pending>();
  const loaded = new Map<string, Promise<LoadedModel>>();
  let lastProvider: ExecutionProviderName | null = null;
  /** Why the last model loaded is not on the preferred (GPU) provider; null when it is. */
  let lastFallbackReason: string | null = null;
  let restarts = 0;

  function failAll(error: AppError): void {
    for (const [, p] of pending) {
      clearTimeout(p.timer);
      p.reject(error);
    }
    pending.clear();
    loaded.clear();
  }

  /** Stops the process (its sessions with it); the next request starts a new one. */
  function discard(p: InferenceProcess, reason: string): void {
    if (child !== p) return;
    child = null;
    failAll(new AppError('INTERNAL', reason));
    p.kill();
  }

  function startProcess(): InferenceProcess {
    const p = launch(inferenceEntry());
    p.onMessage((response: WorkerResponse) => {
      const entry = pending.get(response.id);
      if (entry === undefined) return;
      pending.delete(response.id);
      clearTimeout(entry.timer);
      if (response.ok) entry.resolve(response.value);
      else entry.reject(new AppError(response.error.code, response.error.message));
    });
    p.onExit((end) => {
      if (child !== p) return;
      child = null;
      restarts++;
      options.logger.error('inference process ended', { ...end, pending: pending.size });
      failAll(new AppError('MODEL_UNAVAILABLE', crashMessage(end)));
    });
    return p;
  }

  function request<T>(message: RequestWithoutId): Promise<T> {
    child ??= startProcess();
    const p = child;
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(
          new AppError(
            'INTERNAL',
            `Inference did not answer within ${Math.round(timeoutMs / 1000)} s; the analysis engine was restarted.`,
          ),
        );
        // A stuck native call cannot be interrupted: replace the whole process.
        discard(p, 'Another inference request did not answer in time; analyse again.');
      }, timeoutMs);
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject, timer });
      p.setBusy(true);
      p.send({ ...message, id } as WorkerRequest);
    }).finally(() => {
      if (pending.size === 0) p.setBusy(false);
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
    lastFallbackReason = result.fallbackReason;
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

    /** Runs one batch in the inference process (the inputs are copied there). */
    async run(
      modelId: string,
      feeds: Record<string, TensorData>,
      outputs?: string[],
    ): Promise<RunResult> {
      await this.prepare(modelId);
      return request<RunResult>({
        type: 'run',
        modelId,
        feeds,
        ...(outputs !== undefined && { outputs }),
      });
    },

    /** Transcribes one speech segment with a Moonshine model (see speech/moonshine-model.ts). */
    speech(
      segment: Omit<Extract<WorkerRequest, { type: 'speech' }>, 'id' | 'type' | 'threads'>,
    ): Promise<SpeechResult> {
      return request<SpeechResult>({ type: 'speech', ...segment, threads });
    },

    /**
     * The GPU check: tries one provider with a tiny model in a process of its own (started the
     * same way as the inference process), so a driver that crashes it cannot end an analysis.
     */
    probe(
      provider: ExecutionProviderName,
      model: Uint8Array,
      feed: { inputName: string; dims: number[] },
      probeTimeoutMs = 60_000,
    ): Promise<ProbeResult> {
      const p = launch(inferenceEntry());
      return new Promise<ProbeResult>((resolve) => {
        const finish = (result: ProbeResult): void => {
          clearTimeout(timer);
          resolve(result);
          p.kill();
        };
        const timer = setTimeout(
          () =>
            finish({
              provider,
              error: `the check did not finish within ${Math.round(probeTimeoutMs / 1000)} s`,
              ms: probeTimeoutMs,
            }),
          probeTimeoutMs,
        );
        p.onMessage((response) => {
          if (response.ok) finish(response.value as ProbeResult);
          else finish({ provider, error: response.error.message, ms: 0 });
        });
        p.onExit((end) =>
          finish({
            provider,
            error: `the check's process ended (${end.signal ?? `exit code ${String(end.code)}`}), which a failing graphics driver can cause`,
            ms: 0,
          }),
        );
        p.setBusy(true);
        p.send({ id: 1, type: 'probe', provider, model, ...feed });
      });
    },

    /** The inference process's id while one runs (for supervision and tests). */
    processId(): number | undefined {
      return child?.pid;
    },

    /** How many times the inference process died and was replaced. */
    restarts: (): number => restarts,

    /** The provider of the last model loaded: 'unknown' until one is. */
    providerInUse(): string {
      return lastProvider ?? 'unknown';
    },

    /** Why the last model loaded runs on the CPU instead of the GPU; null when it does not. */
    providerNote(): string | null {
      return lastFallbackReason;
    },

    preference: (): ProviderPreference => preference,

    /** Changing the preference reloads models on their next use. */
    setPreference(next: ProviderPreference): void {
      if (next === preference) return;
      preference = next;
      if (child !== null) discard(child, 'The execution provider was changed; analyse again.');
    },

    async close(): Promise<void> {
      const p = child;
      child = null;
      failAll(new AppError('CANCELLED', 'Neurosphere is closing.'));
      if (p === null) return;
      const ended = new Promise<void>((resolve) => p.onExit(() => resolve()));
      // Held until it has exited, so the caller's await does not outlive the event loop.
      p.setBusy(true);
      p.kill();
      await ended;
    },
  };
}
export type InferenceEngine = ReturnType<typeof createInferenceEngine>;
