// The inference process: one onnxruntime session per model, created once and reused. It runs
// apart from the app (see docs/inference-process.md), so a native crash ends only this process.
// It imports nothing from the project at run time (only types), so the same file runs as
// compiled JS from dist and, in tests, as TypeScript through Node's type stripping.
import ort from 'onnxruntime-node';
import type {
  ExecutionProviderName,
  LoadResult,
  ProbeResult,
  RunResult,
  TensorData,
  WorkerRequest,
  WorkerResponse,
} from './inference-protocol.js';

interface LoadedSession {
  session: ort.InferenceSession;
  provider: ExecutionProviderName;
}

const sessions = new Map<string, LoadedSession>();
// Provider probes that fail are expected on machines without a GPU: keep the log quiet.
ort.env.logLevel = 'fatal';

type WorkerErrorCode = Extract<WorkerResponse, { ok: false }>['error']['code'];

/** A failure with the code the engine turns into an AppError. */
class WorkerError extends Error {
  readonly code: WorkerErrorCode;
  constructor(code: WorkerErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** Electron's utilityProcess offers a MessagePort-like parentPort; a Node child has process.send. */
interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}
const electronPort = (process as NodeJS.Process & { parentPort?: ParentPort }).parentPort;

function reply(message: WorkerResponse): void {
  if (electronPort !== undefined) electronPort.postMessage(message);
  else process.send?.(message);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function createSession(
  path: string,
  providers: ExecutionProviderName[],
  threads: number,
): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(path, {
    executionProviders: providers,
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3,
  });
}

async function load(request: Extract<WorkerRequest, { type: 'load' }>): Promise<LoadResult> {
  const started = performance.now();
  const existing = sessions.get(request.modelId);
  if (existing !== undefined) await existing.session.release();
  const preferred = request.providers[0] ?? 'cpu';
  let session: ort.InferenceSession;
  let provider: ExecutionProviderName = preferred;
  let fallbackReason: string | null = null;
  try {
    // A GPU provider that cannot load throws instead of falling back (ENVIRONMENT.md).
    session = await createSession(request.path, request.providers, request.threads);
  } catch (error) {
    if (preferred === 'cpu') {
      throw new WorkerError(
        'MODEL_UNAVAILABLE',
        `The model file cannot be loaded: ${messageOf(error)}`,
      );
    }
    if (!request.allowCpuFallback) {
      throw new WorkerError(
        'PROVIDER_UNAVAILABLE',
        `${preferred.toUpperCase()} could not be used: ${messageOf(error).split('\n')[0]}`,
      );
    }
    fallbackReason = `${preferred.toUpperCase()} could not be used (${messageOf(error).split('\n')[0]}); running on the CPU.`;
    try {
      session = await createSession(request.path, ['cpu'], request.threads);
    } catch (cpuError) {
      throw new WorkerError(
        'MODEL_UNAVAILABLE',
        `The model file cannot be loaded: ${messageOf(cpuError)}`,
      );
    }
    provider = 'cpu';
  }
  sessions.set(request.modelId, { session, provider });
  return {
    provider,
    fallbackReason,
    inputNames: [...session.inputNames],
    outputNames: [...session.outputNames],
    ms: performance.now() - started,
  };
}

async function run(request: Extract<WorkerRequest, { type: 'run' }>): Promise<RunResult> {
  const loaded = sessions.get(request.modelId);
  if (loaded === undefined)
    throw new WorkerError('MODEL_UNAVAILABLE', `Model ${request.modelId} is not loaded.`);
  const feeds: Record<string, ort.Tensor> = {};
  for (const [name, tensor] of Object.entries(request.feeds))
    feeds[name] = new ort.Tensor('float32', tensor.data, tensor.dims);
  const started = performance.now();
  const results = await loaded.session.run(feeds, request.outputs ?? loaded.session.outputNames);
  const ms = performance.now() - started;
  const outputs: Record<string, TensorData> = {};
  for (const [name, tensor] of Object.entries(results)) {
    const data =
      tensor.data instanceof Float32Array
        ? tensor.data
        : Float32Array.from(tensor.data as ArrayLike<number>);
    outputs[name] = { data, dims: [...tensor.dims] };
  }
  return { outputs, ms };
}

/** Creates a session on one provider only and runs it once; the failure is the answer. */
async function probe(request: Extract<WorkerRequest, { type: 'probe' }>): Promise<ProbeResult> {
  const started = performance.now();
  try {
    const session = await ort.InferenceSession.create(request.model, {
      executionProviders: [request.provider],
      logSeverityLevel: 3,
    });
    try {
      const size = request.dims.reduce((a, b) => a * b, 1);
      const input = new ort.Tensor('float32', new Float32Array(size), request.dims);
      await session.run({ [request.inputName]: input });
    } finally {
      await session.release();
    }
    return { provider: request.provider, error: null, ms: performance.now() - started };
  } catch (error) {
    return {
      provider: request.provider,
      error: messageOf(error).split('\n')[0] ?? 'unknown error',
      ms: performance.now() - started,
    };
  }
}

function handle(request: WorkerRequest): void {
  void (async () => {
    try {
      switch (request.type) {
        case 'load':
          reply({ id: request.id, ok: true, value: await load(request) });
          break;
        case 'run':
          reply({ id: request.id, ok: true, value: await run(request) });
          break;
        case 'probe':
          reply({ id: request.id, ok: true, value: await probe(request) });
          break;
      }
    } catch (error) {
      // ORT rejects wrong shapes or names at run time; anything else is reported as such too.
      const code: WorkerErrorCode =
        error instanceof WorkerError
          ? error.code
          : request.type === 'run'
            ? 'INVALID_INPUT'
            : 'INTERNAL';
      reply({ id: request.id, ok: false, error: { code, message: messageOf(error) } });
    }
  })();
}

if (electronPort !== undefined)
  electronPort.on('message', (event) => handle(event.data as WorkerRequest));
else process.on('message', (request) => handle(request as WorkerRequest));
// The app went away (its IPC channel closed): nothing is left to answer.
process.on('disconnect', () => process.exit(0));
