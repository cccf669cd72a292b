/** Numbered request/response messages between the engine and its inference process. */
import type { TokenLanguageModelData } from '../speech/token-language-model.js';

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
    }
  | {
      /**
       * Speech to text with a Moonshine encoder/decoder pair: the whole decoding (greedy or beam
       * search) runs here, so the decoder's cache never crosses the process boundary. Answers the
       * token ids.
       */
      id: number;
      type: 'speech';
      modelId: string;
      encoderPath: string;
      decoderPath: string;
      /** 16 kHz mono samples of one segment. */
      audio: Float32Array;
      /** The decoder's cache shape: layers, key/value heads, head size. */
      layers: number;
      heads: number;
      headSize: number;
      startToken: number;
      endToken: number;
      /** The end token is not taken before this many tokens (the tiny model sometimes ends at once). */
      minTokens: number;
      maxTokens: number;
      threads: number;
      /**
       * Vocabulary biasing: token sequences of terms whose tokens get a bonus added to their
       * logits, a small one for a term's first token and a larger one for the next token of a
       * term under way. Absent: plain greedy decoding.
       */
      bias?: { sequences: number[][]; startBonus: number; continueBonus: number };
      /** Beam search instead of greedy decoding (see SpeechBeam); absent: greedy. */
      beam?: SpeechBeam;
    };

/**
 * Beam search with shallow fusion: each hypothesis scores log p(speech model) + lmWeight ×
 * log p(language model) (+ the bias bonuses); the winner has the best score per token.
 */
export interface SpeechBeam {
  /** Hypotheses kept at each step. */
  width: number;
  /** The best tokens of each hypothesis (by the speech model) that are scored further. */
  candidates: number;
  /** 1: the winner is the best mean score per token; 0: the best sum. */
  lengthPenalty: number;
  lmWeight: number;
  /**
   * A hypothesis may end only where the speech model's log p(end) is within this of its best
   * other token (0: only where greedy decoding would end too).
   */
  endMargin: number;
  /** No n-gram of this many tokens is written twice (a loop); 0: no limit. */
  noRepeatTokens: number;
  /** The domain language model; absent: beam search on the speech model alone. */
  languageModel?: TokenLanguageModelData;
}

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

/** The speech request's answer: the decoded token ids (without the start and end tokens). */
export interface SpeechResult {
  tokens: number[];
  ms: number;
}

export type WorkerResponse =
  | { id: number; ok: true; value: LoadResult | RunResult | ProbeResult | SpeechResult | null }
  | {
      id: number;
      ok: false;
      error: {
        code: 'PROVIDER_UNAVAILABLE' | 'MODEL_UNAVAILABLE' | 'INVALID_INPUT' | 'INTERNAL';
        message: string;
      };
    };
