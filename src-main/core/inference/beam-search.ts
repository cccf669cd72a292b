// The bookkeeping of beam search for the speech decoder, apart from the model so that it can be
// tested on its own: which hypotheses a step keeps, which ended, and which one wins.
// It imports nothing at run time: the inference process runs it as it is.

export interface Hypothesis {
  /** The tokens written so far (without the start token). */
  tokens: number[];
  /** Sum of log p(speech model) + weight × log p(language model) + bias bonuses. */
  score: number;
  /** Vocabulary terms under way: [term index, next token position] (see biasBonus). */
  underway: [number, number][];
}

/** One way to extend a hypothesis: its row in the batch, the token, and the new score. */
export interface Extension {
  beam: number;
  token: number;
  score: number;
}

/** Log-softmax of one row of logits: log p per token. */
export function logSoftmax(logits: ArrayLike<number>): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i] ?? -Infinity);
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += Math.exp((logits[i] ?? -Infinity) - max);
  const shift = max + Math.log(sum);
  const out = new Float64Array(logits.length);
  for (let i = 0; i < logits.length; i++) out[i] = (logits[i] ?? -Infinity) - shift;
  return out;
}

/** The `count` best tokens of a row (highest first), never `except`. */
export function topTokens(values: ArrayLike<number>, count: number, except: number): number[] {
  const best: number[] = [];
  for (let i = 0; i < values.length; i++) {
    if (i === except) continue;
    const value = values[i] ?? -Infinity;
    if (best.length === count && value <= (values[best[count - 1] ?? 0] ?? -Infinity)) continue;
    let at = best.length;
    while (at > 0 && (values[best[at - 1] ?? 0] ?? -Infinity) < value) at--;
    best.splice(at, 0, i);
    if (best.length > count) best.pop();
  }
  return best;
}

/**
 * Keeps the best extensions: those that write the end token finish, the others go on, at most
 * `width` of them. An ending counts only if it ranks among the best `width` of the step (as in
 * the usual beam search): an unlikely ending, taken because the beam had room, would otherwise
 * win by its short length.
 */
export function selectExtensions(
  extensions: readonly Extension[],
  endToken: number,
  width: number,
): { going: Extension[]; ended: Extension[] } {
  const sorted = [...extensions].sort((a, b) => b.score - a.score).slice(0, 2 * width);
  const going: Extension[] = [];
  const ended: Extension[] = [];
  for (const [rank, extension] of sorted.entries()) {
    if (extension.token === endToken) {
      if (rank < width) ended.push(extension);
    } else if (going.length < width) going.push(extension);
  }
  return { going, ended };
}

/**
 * The winner: the best score per token (score / (tokens + 1)^lengthPenalty; 1 is the mean, 0
 * the plain sum), among the finished ones, or the ones still going if none finished.
 */
export function bestHypothesis(
  finished: readonly Hypothesis[],
  going: readonly Hypothesis[],
  lengthPenalty: number,
): Hypothesis | null {
  const pool = finished.length > 0 ? finished : going;
  let best: Hypothesis | null = null;
  let bestValue = -Infinity;
  for (const h of pool) {
    const value = h.score / (h.tokens.length + 1) ** lengthPenalty;
    if (value > bestValue) {
      bestValue = value;
      best = h;
    }
  }
  return best;
}

/**
 * Rows of a [batch, ...] tensor's data picked (and repeated) by index: the cache of each
 * hypothesis that goes on comes from the row of the one it extends.
 */
export function gatherRows(
  data: Float32Array,
  batch: number,
  rows: readonly number[],
): Float32Array {
  const size = data.length / batch;
  const out = new Float32Array(size * rows.length);
  rows.forEach((row, i) => out.set(data.subarray(row * size, (row + 1) * size), i * size));
  return out;
}

/**
 * The tokens that would repeat an n-gram already written: those that followed, earlier, the
 * last n − 1 tokens. Beam search with a language model can fall into writing a sentence over and
 * over (the language model likes it more each time); a repeat this long is never dictated.
 */
export function repeatingTokens(tokens: readonly number[], n: number): Set<number> {
  const blocked = new Set<number>();
  const k = n - 1;
  if (k < 1 || tokens.length < n) return blocked;
  const tail = tokens.slice(tokens.length - k);
  for (let start = 0; start + k < tokens.length; start++) {
    let same = true;
    for (let j = 0; j < k && same; j++) same = tokens[start + j] === tail[j];
    if (same) blocked.add(tokens[start + k] ?? -1);
  }
  return blocked;
}

/** A hypothesis's score per token (score / (tokens + 1)^lengthPenalty), as the winner is chosen. */
export function normalisedScore(h: Hypothesis, lengthPenalty: number): number {
  return h.score / (h.tokens.length + 1) ** lengthPenalty;
}

/**
 * Whether the search can stop: `width` hypotheses have ended and the best one still going scores
 * (per token, as it stands) below the worst of the best `width` ended. Stopping as soon as
 * `width` have ended would drop the hypotheses still reading the rest of a long caption.
 */
export function searchIsDone(
  finished: readonly Hypothesis[],
  going: readonly Hypothesis[],
  width: number,
  lengthPenalty: number,
): boolean {
  if (going.length === 0) return true;
  if (finished.length < width) return false;
  const kept = finished
    .map((h) => normalisedScore(h, lengthPenalty))
    .sort((a, b) => b - a)
    .slice(0, width);
  const worstKept = kept[kept.length - 1] ?? -Infinity;
  const bestGoing = Math.max(...going.map((h) => normalisedScore(h, lengthPenalty)));
  return bestGoing < worstKept;
}
