import { AppError } from '../../../src-shared/errors.js';
import type { InferenceEngine } from '../inference/inference-engine.js';
import type { SpeechBeam } from '../inference/inference-protocol.js';
import {
  decodeMoonshineTokens,
  moonshineTermTokens,
  type MoonshineModel,
} from './moonshine-model.js';
import { SPEECH_SAMPLE_RATE } from './webm-audio.js';

/**
 * Captions are cut at pauses into pieces of 4–10 s, about a sentence or two: the tiny model and
 * the sentence-trained language model read those best (on development captions of four
 * sentences: 10–20 s pieces 29.4 % WER with beam search, 4–10 s 16.5 %; docs/voice-captions.md).
 */
const MAX_SEGMENT_SECONDS = 10;
const MIN_SEGMENT_SECONDS = 4;
/** The package bounds the tokens by the audio's length: six per second (model.ts). */
const TOKENS_PER_SECOND = 6;
const EDGE_PADDING = SPEECH_SAMPLE_RATE / 2;
/**
 * Speech carries at least about one token a second: fewer means the model ended too early (it
 * answered nothing for 2 of 30 clearly spoken test sentences), so the end is held off until then.
 */
const MIN_TOKENS_PER_SECOND = 1;

export interface TranscribeOptions {
  /**
   * Terms the decoder leans towards (vocabulary biasing); absent: plain greedy decoding.
   * The bonuses are added to the logits of a term's tokens.
   */
  bias?: { terms: readonly string[]; startBonus: number; continueBonus: number };
  /** Beam search with the domain language model fused in (domain-language-model.ts); absent: greedy. */
  beam?: SpeechBeam;
  /** Called after each segment with the share done (0–1). */
  onProgress?: (fraction: number) => void;
  /** Checked between segments: a cancelled transcription stops there. */
  isCancelled?: () => boolean;
}

export interface SpeechTranscript {
  text: string;
  segments: number;
  ms: number;
}

/** Where to cut: the quietest 100 ms window between the minimum and maximum segment length. */
function cutPoint(samples: Float32Array, start: number): number {
  const min = start + MIN_SEGMENT_SECONDS * SPEECH_SAMPLE_RATE;
  const max = Math.min(samples.length, start + MAX_SEGMENT_SECONDS * SPEECH_SAMPLE_RATE);
  if (max >= samples.length) return samples.length;
  const window = SPEECH_SAMPLE_RATE / 10;
  let best = max;
  let bestEnergy = Infinity;
  for (let at = min; at + window <= max; at += window / 2) {
    let energy = 0;
    for (let i = at; i < at + window; i++) energy += (samples[i] ?? 0) ** 2;
    if (energy < bestEnergy) {
      bestEnergy = energy;
      best = at + window / 2;
    }
  }
  return best;
}

/** Seconds of the segment with sound in them (20 ms windows above a quiet floor). */
function voicedSeconds(samples: Float32Array): number {
  const window = SPEECH_SAMPLE_RATE / 50;
  let voiced = 0;
  for (let at = 0; at + window <= samples.length; at += window) {
    let energy = 0;
    for (let i = at; i < at + window; i++) energy += (samples[i] ?? 0) ** 2;
    if (Math.sqrt(energy / window) > 0.01) voiced++;
  }
  return (voiced * window) / SPEECH_SAMPLE_RATE;
}

/** Cuts speech into segments the model reads well, at pauses. */
export function speechSegments(samples: Float32Array): Float32Array[] {
  const segments: Float32Array[] = [];
  for (let start = 0; start < samples.length;) {
    const end = cutPoint(samples, start);
    segments.push(samples.subarray(start, end));
    start = end;
  }
  return segments;
}

/**
 * Speech to text in the inference process: the samples are cut at pauses into segments, each
 * decoded by the Moonshine model (greedily, or by beam search); progress after each segment, cancel between them.
 */
export function createSpeechRecognizer(engine: InferenceEngine, model: () => MoonshineModel) {
  return {
    async transcribe(
      samples: Float32Array,
      options: TranscribeOptions = {},
    ): Promise<SpeechTranscript> {
      const chosen = model();
      const bias =
        options.bias === undefined
          ? undefined
          : {
              sequences: options.bias.terms.flatMap(moonshineTermTokens),
              startBonus: options.bias.startBonus,
              continueBonus: options.bias.continueBonus,
            };
      const segments = speechSegments(samples).filter((s) => s.length >= SPEECH_SAMPLE_RATE / 10);
      const texts: string[] = [];
      let ms = 0;
      for (const [index, segment] of segments.entries()) {
        if (options.isCancelled?.() === true)
          throw new AppError('CANCELLED', 'The transcription was cancelled.');
        // Half a second of silence either side: the model drops words at a segment's very edge
        // (measured: 46 % → 41 % WER on the development sentences). A copy, too: the segment
        // is a view of the whole recording, which should not cross whole.
        const audio = new Float32Array(segment.length + 2 * EDGE_PADDING);
        audio.set(segment, EDGE_PADDING);
        const result = await engine.speech({
          modelId: chosen.id,
          encoderPath: chosen.encoderPath,
          decoderPath: chosen.decoderPath,
          audio,
          layers: chosen.layers,
          heads: chosen.heads,
          headSize: chosen.headSize,
          startToken: chosen.startToken,
          endToken: chosen.endToken,
          minTokens: Math.floor(voicedSeconds(segment) * MIN_TOKENS_PER_SECOND),
          ...(bias !== undefined && { bias }),
          ...(options.beam !== undefined && { beam: options.beam }),
          maxTokens: Math.max(
            8,
            Math.ceil((audio.length / SPEECH_SAMPLE_RATE) * TOKENS_PER_SECOND),
          ),
        });
        ms += result.ms;
        const text = decodeMoonshineTokens(result.tokens);
        if (text !== '') texts.push(text);
        options.onProgress?.((index + 1) / segments.length);
      }
      return { text: texts.join(' ').replace(/\s+/g, ' ').trim(), segments: segments.length, ms };
    },
  };
}
export type SpeechRecognizer = ReturnType<typeof createSpeechRecognizer>;
