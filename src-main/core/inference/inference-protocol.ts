/** Numbered request/response messages between the engine and its inference process. */

export type ExecutionProviderName = 'cuda' | 'dml' | 'coreml' | 'cpu';

export interface TensorData {
  data: Float32Array;
  dims: number[];
}

export type WorkerRequest =
  | {
      id: number;
      type: 'load';
      modelId: string;
      path: string;
      /** In order of preference; the worker falls back to 'cpu' only if `allowCpuFallback`. */
      providers: ExecutionProviderName[];
      allowCpuFallback: boolean;
      threads: number;
    }
  | {
      id: number;
      type: 'run';
      modelId: string;
      feeds: Record<string, TensorData>;
      outputs?: string[];
    }
  | {
      /** The GPU check: one provider only, a tiny model from bytes, one run; no fallback. */
      id: number;
      type: 'probe';
      provider: ExecutionProviderName;
      model: Uint8Array;
      inputName: string;
      dims: number[];
    };

export interface LoadResult {
  provider: ExecutionProviderName;
  /** Why the preferred provider was not used, if it was not. */
  fallbackReason: string | null;
  inputNames: string[];
  outputNames: string[];
  ms: number;
}

export interface RunResult {
  outputs: Record<string, TensorData>;
  ms: number;
}

/** The GPU check's answer: `error` is why the provider could not run the model; null when it did. */
export interface ProbeResult {
  provider: ExecutionProviderName;
  error: string | null;
  ms: number;
}

export type WorkerResponse =
  | { id: number; ok: true; value: LoadResult | RunResult | ProbeResult | null }
  | {
      id: number;
      ok: false;
      error: {
        code: 'PROVIDER_UNAVAILABLE' | 'MODEL_UNAVAILABLE' | 'INVALID_INPUT' | 'INTERNAL';
        message: string;
      };
    };
