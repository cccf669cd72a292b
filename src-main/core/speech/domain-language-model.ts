// The domain language model the app fuses into beam search: a token n-gram model of the
// dental and radiology corpus (domain-corpus.ts), counted once when first needed (milliseconds).
import llamaTokenizer from 'llama-tokenizer-js';
import type { SpeechBeam } from '../inference/inference-protocol.js';
import { DOMAIN_CORPUS } from './domain-corpus.js';
import {
  buildTokenLanguageModel,
  tokenLanguageModel,
  type TokenLanguageModel,
  type TokenLanguageModelData,
} from './token-language-model.js';

/** Moonshine's start and end tokens and the size of its output layer. */
const START_TOKEN = 1;
const END_TOKEN = 2;
const VOCABULARY_SIZE = 32_768;

export const DOMAIN_LANGUAGE_MODEL_VERSION = 'dental-radiology-lm-1';

let built: TokenLanguageModelData | null = null;

/** The corpus as token sequences: start token, the text as the model writes it, end token. */
export function domainLanguageModel(): TokenLanguageModelData {
  if (built !== null) return built;
  // Each sentence alone, and each with the next: a caption often holds several sentences, and
  // the model must learn that one may follow a full stop as well as the caption's end.
  const captions = DOMAIN_CORPUS.flatMap((sentence, i) => {
    const next = DOMAIN_CORPUS[i + 1];
    return next === undefined ? [sentence] : [sentence, `${sentence} ${next}`];
  });
  built = buildTokenLanguageModel(
    captions.map((caption) => [
      START_TOKEN,
      ...llamaTokenizer.encode(caption, false, true, false),
      END_TOKEN,
    ]),
    { id: DOMAIN_LANGUAGE_MODEL_VERSION, order: 4, discount: 0.7, vocabularySize: VOCABULARY_SIZE },
  );
  return built;
}

let scorer: TokenLanguageModel | null = null;

/** A caption's log probability under the domain model (post-correction's context check). */
export function domainCaptionScore(text: string): number {
  scorer ??= tokenLanguageModel(domainLanguageModel());
  const tokens = [START_TOKEN, ...llamaTokenizer.encode(text, false, true, false), END_TOKEN];
  let sum = 0;
  for (let i = 1; i < tokens.length; i++)
    sum += scorer.logProb(tokens.slice(0, i), tokens[i] ?? END_TOKEN);
  return sum;
}

/** Beam search as the app runs it; tuned on the development sentences only (docs/voice-captions.md). */
export function appBeamSearch(): SpeechBeam {
  return {
    width: 4,
    candidates: 16,
    lengthPenalty: 1,
    lmWeight: 0.4,
    noRepeatTokens: 8,
    endMargin: 0,
    languageModel: domainLanguageModel(),
  };
}
