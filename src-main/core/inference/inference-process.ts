// The inference process: one onnxruntime session per model, created once and reused. It runs
// apart from the app (see docs/inference-process.md), so a native crash ends only this process.
// It imports from the project at run time only the two dependency-free modules of beam search,
// by its own extension, so the same file runs as compiled JS from dist and, in tests, as
// TypeScript through Node's type stripping (which does not map '.js' imports to '.ts' files).
import ort from 'onnxruntime-node';
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
import type { TokenLanguageModel } from '../speech/token-language-model.js';
import type { Extension, Hypothesis } from './beam-search.js';

type BeamModules = typeof import('./beam-search.js') &
  typeof import('../speech/token-language-model.js');
let beamModules: Promise<BeamModules> | null = null;

/**
 * Beam search's modules, loaded on first use (not at start: the message listener must be set
 * before anything awaits, or a request sent at once would be lost).
 */
function loadBeamModules(): Promise<BeamModules> {
  const own = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  beamModules ??= Promise.all([
    import(`./beam-search${own}`) as Promise<typeof import('./beam-search.js')>,
    import(`../speech/token-language-model${own}`) as Promise<
      typeof import('../speech/token-language-model.js')
    >,
  ]).then(([search, lm]) => ({ ...search, ...lm }));
  return beamModules;
}

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

interface SpeechSessions {
  decoder: ort.InferenceSession;
  encoder: ort.InferenceSession;
}
const speechSessions = new Map<string, SpeechSessions>();

async function speechSessionsFor(
  request: Extract<WorkerRequest, { type: 'speech' }>,
): Promise<SpeechSessions> {
  const existing = speechSessions.get(request.modelId);
  if (existing !== undefined) return existing;
  try {
    // Speech runs on the CPU: a caption is seconds long and the tiny model is quick there.
    const encoder = await createSession(request.encoderPath, ['cpu'], request.threads);
    const decoder = await createSession(request.decoderPath, ['cpu'], request.threads);
    const loaded = { encoder, decoder };
    speechSessions.set(request.modelId, loaded);
    return loaded;
  } catch (error) {
    throw new WorkerError(
      'MODEL_UNAVAILABLE',
      `The speech model cannot be loaded: ${messageOf(error)}`,
    );
  }
}

function argMax(values: ArrayLike<number>, except: number, bonus: Map<number, number>): number {
  let best = -1;
  let bestValue = -Infinity;
  for (let i = 0; i < values.length; i++) {
    if (i === except) continue;
    const value = (values[i] ?? -Infinity) + (bonus.get(i) ?? 0);
    if (value > bestValue) {
      bestValue = value;
      best = i;
    }
  }
  return best;
}

type Bias = NonNullable<Extract<WorkerRequest, { type: 'speech' }>['bias']>;

/** The bonus per token: a term's first token, and the next token of each term under way. */
function biasBonus(
  bias: Bias | undefined,
  underway: readonly [number, number][],
): Map<number, number> {
  const bonus = new Map<number, number>();
  if (bias === undefined) return bonus;
  for (const sequence of bias.sequences) {
    const first = sequence[0];
    if (first !== undefined) bonus.set(first, bias.startBonus);
  }
  for (const [s, at] of underway) {
    const next = bias.sequences[s]?.[at];
    if (next !== undefined) bonus.set(next, Math.max(bonus.get(next) ?? 0, bias.continueBonus));
  }
  return bonus;
}

/** The terms under way after `token`: those it continues, and those it starts. */
function advance(
  bias: Bias | undefined,
  underway: readonly [number, number][],
  token: number,
): [number, number][] {
  if (bias === undefined) return [];
  const next: [number, number][] = [];
  for (const [s, at] of underway) {
    const sequence = bias.sequences[s] ?? [];
    if (sequence[at] === token && at + 1 < sequence.length) next.push([s, at + 1]);
  }
  for (const [s, sequence] of bias.sequences.entries())
    if (sequence[0] === token && sequence.length > 1) next.push([s, 1]);
  return next;
}

type SpeechRequest = Extract<WorkerRequest, { type: 'speech' }>;
type SpeechBeam = NonNullable<SpeechRequest['beam']>;

/** The decoder's cache before the first step: empty, in the shape the merged model expects. */
function emptyCache(request: SpeechRequest): Record<string, ort.Tensor> {
  const cache: Record<string, ort.Tensor> = {};
  for (let layer = 0; layer < request.layers; layer++)
    for (const part of ['decoder', 'encoder'])
      for (const kind of ['key', 'value'])
        cache[`past_key_values.${layer}.${part}.${kind}`] = new ort.Tensor(
          'float32',
          new Float32Array(0),
          [0, request.heads, 1, request.headSize],
        );
  return cache;
}

/**
 * Greedy decoding as the Moonshine package does it (its model.ts): the encoder once, then the
 * merged decoder one token at a time; the first step fills the cross-attention cache, which is
 * kept, and every step updates the self-attention cache. One addition: the end token is not
 * taken before `minTokens`, as the tiny model sometimes ends a clearly spoken segment at once.
 */
async function greedy(
  request: SpeechRequest,
  decoder: ort.InferenceSession,
  hidden: ort.Tensor,
): Promise<number[]> {
  const cache = emptyCache(request);
  const tokens: number[] = [];
  let next = request.startToken;
  let underway: [number, number][] = [];
  for (let step = 0; step < request.maxTokens; step++) {
    const out = await decoder.run({
      input_ids: new ort.Tensor('int64', BigInt64Array.of(BigInt(next)), [1, 1]),
      encoder_hidden_states: hidden,
      use_cache_branch: new ort.Tensor('bool', [step > 0]),
      ...cache,
    });
    const logits = out['logits'];
    if (logits === undefined)
      throw new WorkerError('MODEL_UNAVAILABLE', 'The speech decoder has no logits.');
    next = argMax(
      logits.data as Float32Array,
      step < request.minTokens ? request.endToken : -1,
      biasBonus(request.bias, underway),
    );
    underway = advance(request.bias, underway, next);
    if (next === request.endToken) break;
    tokens.push(next);
    for (const [name, tensor] of Object.entries(out)) {
      if (!name.startsWith('present.')) continue;
      const past = `past_key_values.${name.slice('present.'.length)}`;
      if (step === 0 || past.includes('.decoder.')) cache[past] = tensor;
    }
  }
  return tokens;
}

const languageModels = new Map<string, TokenLanguageModel>();

function languageModelFor(
  beam: SpeechBeam,
  { tokenLanguageModel }: BeamModules,
): TokenLanguageModel | undefined {
  const data = beam.languageModel;
  if (data === undefined) return undefined;
  const existing = languageModels.get(data.id);
  if (existing !== undefined) return existing;
  const model = tokenLanguageModel(data);
  languageModels.set(data.id, model);
  return model;
}

/** A batch-of-one tensor repeated `count` times along the batch. */
function repeatRow(
  tensor: ort.Tensor,
  count: number,
  gatherRows: BeamModules['gatherRows'],
): ort.Tensor {
  const data = gatherRows(tensor.data as Float32Array, 1, new Array<number>(count).fill(0));
  return new ort.Tensor('float32', data, [count, ...tensor.dims.slice(1)]);
}

/**
 * Beam search with shallow fusion of the domain language model: the hypotheses run through the
 * decoder as one batch; each step extends each by its best tokens, scored by the speech model,
 * the language model (weighted) and the vocabulary bias, and keeps the best `width`. The
 * cross-attention cache (from the first step) is repeated per hypothesis, the self-attention
 * cache follows each hypothesis's origin. Ends when `width` hypotheses have ended and none still
 * going scores better (searchIsDone), or at the token budget.
 */
async function beamSearch(
  request: SpeechRequest,
  decoder: ort.InferenceSession,
  hidden: ort.Tensor,
  beam: SpeechBeam,
): Promise<number[]> {
  const modules = await loadBeamModules();
  const {
    bestHypothesis,
    gatherRows,
    logSoftmax,
    repeatingTokens,
    searchIsDone,
    selectExtensions,
    topTokens,
  } = modules;
  const lm = languageModelFor(beam, modules);
  const cache = emptyCache(request);
  const encoderCache: Record<string, ort.Tensor> = {};
  const repeated = new Map<number, Record<string, ort.Tensor>>();
  const repeatedFor = (batch: number): Record<string, ort.Tensor> => {
    let feeds = repeated.get(batch);
    if (feeds === undefined) {
      feeds = { encoder_hidden_states: repeatRow(hidden, batch, gatherRows) };
      for (const [name, tensor] of Object.entries(encoderCache))
        feeds[name] = repeatRow(tensor, batch, gatherRows);
      repeated.set(batch, feeds);
    }
    return feeds;
  };
  let going: Hypothesis[] = [{ tokens: [], score: 0, underway: [] }];
  const finished: Hypothesis[] = [];
  for (let step = 0; step < request.maxTokens && going.length > 0; step++) {
    const batch = going.length;
    const ids = BigInt64Array.from(going.map((h) => BigInt(h.tokens.at(-1) ?? request.startToken)));
    const out = await decoder.run({
      ...cache,
      ...(step === 0 ? { encoder_hidden_states: hidden } : repeatedFor(batch)),
      input_ids: new ort.Tensor('int64', ids, [batch, 1]),
      use_cache_branch: new ort.Tensor('bool', [step > 0]),
    });
    const logits = out['logits'];
    if (logits === undefined)
      throw new WorkerError('MODEL_UNAVAILABLE', 'The speech decoder has no logits.');
    const data = logits.data as Float32Array;
    const size = data.length / batch;
    const extensions: Extension[] = [];
    for (const [b, h] of going.entries()) {
      const scores = logSoftmax(data.subarray(b * size, (b + 1) * size));
      for (const [token, bonus] of biasBonus(request.bias, h.underway))
        if (token < size) scores[token] = (scores[token] ?? 0) + bonus;
      for (const token of repeatingTokens(h.tokens, beam.noRepeatTokens))
        if (token < size) scores[token] = -Infinity;
      const tokens = topTokens(scores, beam.candidates, request.endToken);
      // Where the speech ends is the speech model's call: a hypothesis may end only where that
      // model itself likes the end best (within endMargin), never because the language model
      // finds the rest of the caption unlikely.
      const endScore = scores[request.endToken] ?? -Infinity;
      const bestOther = scores[tokens[0] ?? request.endToken] ?? -Infinity;
      if (step >= request.minTokens && endScore >= bestOther - beam.endMargin)
        tokens.push(request.endToken);
      const history = [request.startToken, ...h.tokens];
      for (const token of tokens) {
        if (scores[token] === -Infinity) continue;
        const fused = lm === undefined ? 0 : beam.lmWeight * lm.logProb(history, token);
        extensions.push({ beam: b, token, score: h.score + (scores[token] ?? 0) + fused });
      }
    }
    const { going: next, ended } = selectExtensions(extensions, request.endToken, beam.width);
    for (const e of ended) {
      const h = going[e.beam];
      if (h !== undefined) finished.push({ ...h, score: e.score });
    }
    const origins = next.map((e) => e.beam);
    for (const [name, tensor] of Object.entries(out)) {
      if (!name.startsWith('present.')) continue;
      const past = `past_key_values.${name.slice('present.'.length)}`;
      if (past.includes('.decoder.'))
        cache[past] = new ort.Tensor(
          'float32',
          gatherRows(tensor.data as Float32Array, batch, origins),
          [origins.length, ...tensor.dims.slice(1)],
        );
      else if (step === 0) {
        encoderCache[past] = tensor;
        delete cache[past];
      }
    }
    going = next.map((e) => {
      const h = going[e.beam] ?? { tokens: [], score: 0, underway: [] };
      return {
        tokens: [...h.tokens, e.token],
        score: e.score,
        underway: advance(request.bias, h.underway, e.token),
      };
    });
    if (searchIsDone(finished, going, beam.width, beam.lengthPenalty)) break;
  }
  return bestHypothesis(finished, going, beam.lengthPenalty)?.tokens ?? [];
}

/** One segment to tokens: the encoder once, then greedy decoding or beam search. */
async function speech(request: SpeechRequest): Promise<SpeechResult> {
  const { encoder, decoder } = await speechSessionsFor(request);
  const started = performance.now();
  const audio = new ort.Tensor('float32', request.audio, [1, request.audio.length]);
  const encoded = await encoder.run({ input_values: audio });
  const hidden = encoded['last_hidden_state'];
  if (hidden === undefined)
    throw new WorkerError('MODEL_UNAVAILABLE', 'The speech encoder has no last_hidden_state.');
  const tokens =
    request.beam === undefined
      ? await greedy(request, decoder, hidden)
      : await beamSearch(request, decoder, hidden, request.beam);
  return { tokens, ms: performance.now() - started };
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
        case 'speech':
          reply({ id: request.id, ok: true, value: await speech(request) });
          break;
      }
    } catch (error) {
      // ORT rejects wrong shapes or names at run time; anything else is reported as such too.
      const code: WorkerErrorCode =
        error instanceof WorkerError
          ? error.code
          : request.type === 'run' || request.type === 'speech'
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
