import { describe, expect, it } from 'vitest';
import {
  bestHypothesis,
  gatherRows,
  logSoftmax,
  repeatingTokens,
  searchIsDone,
  selectExtensions,
  topTokens,
  type Hypothesis,
} from './beam-search.js';

describe('beam search bookkeeping', () => {
  it('turns logits into log probabilities that sum to one, in the same order', () => {
    const logp = logSoftmax([2, 0, -1, 5, 1000]);
    expect([...logp].reduce((s, x) => s + Math.exp(x), 0)).toBeCloseTo(1, 12);
    expect(logp[4]).toBeCloseTo(0, 12);
    expect(logp[3] ?? 0).toBeGreaterThan(logp[0] ?? 0);
  });

  it('finds the best tokens of a row, best first, never the excluded one', () => {
    const row = [0.1, 3, -2, 7, 3.5, 9, 0];
    expect(topTokens(row, 3, -1)).toEqual([5, 3, 4]);
    expect(topTokens(row, 3, 5)).toEqual([3, 4, 1]);
    expect(topTokens(row, 10, 5)).toEqual([3, 4, 1, 0, 6, 2]);
  });

  it('keeps the best `width` going on, and an ending only if it ranks among the best `width`', () => {
    const END = 2;
    const picked = selectExtensions(
      [
        { beam: 0, token: 10, score: -1 },
        { beam: 0, token: END, score: -1.5 },
        { beam: 1, token: 11, score: -2 },
        { beam: 1, token: 12, score: -3 },
        { beam: 0, token: 13, score: -4 },
        { beam: 1, token: END, score: -2.5 },
      ],
      END,
      2,
    );
    expect(picked.going.map((e) => e.token)).toEqual([10, 11]);
    // The second ending ranks fourth: below the beam's width, so it does not end a hypothesis.
    expect(picked.ended.map((e) => [e.beam, e.score])).toEqual([[0, -1.5]]);
  });

  it('picks the best score per token, so that a short hypothesis does not win by its length', () => {
    const h = (tokens: number[], score: number): Hypothesis => ({ tokens, score, underway: [] });
    const short = h([5], -3); // -1.5 per token (with the end)
    const long = h([5, 6, 7, 8, 9], -6); // -1 per token
    expect(bestHypothesis([short, long], [], 1)).toBe(long);
    // Length penalty 0: the plain sum, where the short one wins.
    expect(bestHypothesis([short, long], [], 0)).toBe(short);
    // Nothing finished (the token budget ran out): the best still going.
    expect(bestHypothesis([], [short, long], 1)).toBe(long);
    expect(bestHypothesis([], [], 1)).toBeNull();
  });

  it("gathers each continuing hypothesis's cache rows from the one it extends", () => {
    // Batch of 3 rows of 2 values.
    const data = Float32Array.of(1, 1, 2, 2, 3, 3);
    expect([...gatherRows(data, 3, [2, 0, 0])]).toEqual([3, 3, 1, 1, 1, 1]);
    expect([...gatherRows(Float32Array.of(4, 5), 1, [0, 0, 0])]).toEqual([4, 5, 4, 5, 4, 5]);
  });

  it('blocks the token that would write an n-gram a second time, and only that one', () => {
    // "7 8 9" was written; the hypothesis ends in "7 8" again: 9 would repeat the 3-gram.
    expect([...repeatingTokens([1, 7, 8, 9, 4, 7, 8], 3)]).toEqual([9]);
    expect([...repeatingTokens([1, 7, 8, 9, 4, 7, 8], 4)]).toEqual([]);
    expect([...repeatingTokens([7, 8, 9, 7, 8, 5, 7, 8], 3)].sort()).toEqual([5, 9]);
    expect([...repeatingTokens([7, 8], 3)]).toEqual([]);
  });

  it('stops only when enough hypotheses ended and none still going could win', () => {
    const h = (length: number, score: number): Hypothesis => ({
      tokens: new Array<number>(length).fill(5),
      score,
      underway: [],
    });
    const ended = [h(3, -4), h(3, -6)]; // -1 and -1.5 per token
    // Fewer ended than the width: go on.
    expect(searchIsDone(ended.slice(0, 1), [h(5, -30)], 2, 1)).toBe(false);
    // A hypothesis still going at -0.5 per token may still win: go on.
    expect(searchIsDone(ended, [h(9, -5)], 2, 1)).toBe(false);
    // The best going at -3 per token is below the worst kept ending (-1.5): stop.
    expect(searchIsDone(ended, [h(9, -30)], 2, 1)).toBe(true);
    expect(searchIsDone([], [], 2, 1)).toBe(true);
  });
});
