// A small n-gram language model over the speech model's tokens, for shallow fusion in the beam
// search (inference/beam-search.ts): it learns which token follows which in dental and
// radiology dictation, so the decoder prefers "periapical radiolucency" to "pary a pickle".
// Interpolated absolute discounting: each order's counts, less a fixed discount, with the rest of
// the probability passed on to the next shorter context, down to a uniform floor over the
// vocabulary, so every token keeps a probability and the probabilities sum to one.
// It imports nothing at run time: the inference process runs it as it is.

/** The model as it crosses to the inference process (plain arrays, structured-clone friendly). */
export interface TokenLanguageModelData {
  /** Names the corpus and settings; the inference process keeps one scorer per id. */
  id: string;
  /** Tokens of context plus one: 3 is a trigram model. */
  order: number;
  /** Subtracted from every count (0–1); what it frees goes to the shorter context. */
  discount: number;
  /** Tokens the decoder can write: the floor is one over this. */
  vocabularySize: number;
  /** Per context (its token ids joined by ','; '' for none): the tokens seen next and their counts. */
  contexts: [context: string, tokens: number[], counts: number[]][];
}

export interface LanguageModelOptions {
  id: string;
  order: number;
  discount: number;
  vocabularySize: number;
}

/** Counts the n-grams of token sequences (each already starting with the start token). */
export function buildTokenLanguageModel(
  sequences: readonly (readonly number[])[],
  options: LanguageModelOptions,
): TokenLanguageModelData {
  const table = new Map<string, Map<number, number>>();
  for (const sequence of sequences)
    for (let i = 1; i < sequence.length; i++) {
      const token = sequence[i] ?? 0;
      for (let k = 0; k < options.order && i - k >= 0; k++) {
        const context = sequence.slice(i - k, i).join(',');
        const next = table.get(context) ?? new Map<number, number>();
        next.set(token, (next.get(token) ?? 0) + 1);
        table.set(context, next);
      }
    }
  return {
    ...options,
    contexts: [...table].map(([context, next]) => [context, [...next.keys()], [...next.values()]]),
  };
}

interface Context {
  total: number;
  types: number;
  counts: Map<number, number>;
}

export interface TokenLanguageModel {
  readonly order: number;
  /** log p(token | the tokens so far), natural log; `history` starts with the start token. */
  logProb(history: readonly number[], token: number): number;
}

export function tokenLanguageModel(data: TokenLanguageModelData): TokenLanguageModel {
  const contexts = new Map<string, Context>();
  for (const [context, tokens, counts] of data.contexts) {
    const map = new Map<number, number>();
    let total = 0;
    tokens.forEach((token, i) => {
      const count = counts[i] ?? 0;
      map.set(token, count);
      total += count;
    });
    contexts.set(context, { total, types: map.size, counts: map });
  }
  const floor = 1 / data.vocabularySize;
  return {
    order: data.order,
    logProb(history, token) {
      let p = floor;
      // From the empty context up to the longest: each order interpolates with the shorter one.
      for (let k = 0; k < data.order && k <= history.length; k++) {
        const context = contexts.get(history.slice(history.length - k).join(','));
        if (context === undefined) break;
        const seen = Math.max((context.counts.get(token) ?? 0) - data.discount, 0);
        p = seen / context.total + ((data.discount * context.types) / context.total) * p;
      }
      return Math.log(p);
    },
  };
}
