import llamaTokenizer from 'llama-tokenizer-js';
import { describe, expect, it } from 'vitest';
import { DOMAIN_CORPUS } from './domain-corpus.js';
import { domainLanguageModel } from './domain-language-model.js';
import { HELD_OUT_SENTENCES, RADIOLOGY_SENTENCES } from './testing/radiology-sentences.js';
import { buildTokenLanguageModel, tokenLanguageModel } from './token-language-model.js';
import { normaliseWords } from './word-error-rate.js';

const sumOver = (size: number, p: (token: number) => number): number => {
  let sum = 0;
  for (let token = 0; token < size; token++) sum += Math.exp(p(token));
  return sum;
};

describe('the token n-gram language model', () => {
  // Tokens 1 (start) and 2 (end) frame toy sentences over a vocabulary of 20.
  const toy = tokenLanguageModel(
    buildTokenLanguageModel(
      [
        [1, 5, 6, 7, 2],
        [1, 5, 6, 8, 2],
        [1, 9, 6, 7, 2],
      ],
      { id: 'toy', order: 3, discount: 0.7, vocabularySize: 20 },
    ),
  );

  it('gives every token a probability, and they sum to one after seen and unseen contexts', () => {
    for (const history of [[1], [1, 5], [1, 5, 6], [1, 9, 6], [1, 12, 13], []]) {
      expect(sumOver(20, (t) => toy.logProb(history, t))).toBeCloseTo(1, 10);
      for (let t = 0; t < 20; t++) expect(toy.logProb(history, t)).toBeGreaterThan(-Infinity);
    }
  });

  it('prefers the token seen after a context, and backs off to shorter contexts when unseen', () => {
    // After "5 6": 7 and 8 were each seen once, 9 never.
    expect(toy.logProb([1, 5, 6], 7)).toBeGreaterThan(toy.logProb([1, 5, 6], 9));
    // After "9 6" only 7 was seen: it beats 8, which "5 6" allowed.
    expect(toy.logProb([1, 9, 6], 7)).toBeGreaterThan(toy.logProb([1, 9, 6], 8));
    // "13 6" was never seen: the model answers as after "6" alone.
    expect(toy.logProb([13, 6], 8)).toBeCloseTo(toy.logProb([6], 8), 12);
    expect(toy.logProb([12, 13], 7)).toBeCloseTo(toy.logProb([], 7), 12);
    // A token never seen anywhere still gets the floor's share, and less than any seen token.
    expect(toy.logProb([1, 5, 6], 15)).toBeLessThan(toy.logProb([1, 5, 6], 9));
  });

  it('the domain model sums to one over the speech model vocabulary', () => {
    const lm = tokenLanguageModel(domainLanguageModel());
    const history = [1, ...llamaTokenizer.encode('Deep caries in the', false, true, false)];
    expect(sumOver(32_768, (t) => lm.logProb(history, t))).toBeCloseTo(1, 6);
  });

  it('the domain model prefers dental and radiology wording to what sounds alike', () => {
    const lm = tokenLanguageModel(domainLanguageModel());
    const score = (text: string): number => {
      const tokens = [1, ...llamaTokenizer.encode(text, false, true, false), 2];
      let sum = 0;
      for (let i = 1; i < tokens.length; i++) sum += lm.logProb(tokens.slice(0, i), tokens[i] ?? 0);
      return sum;
    };
    expect(score('Periapical radiolucency near the apex.')).toBeGreaterThan(
      score('Period of the opportunity near the apex.'),
    );
    expect(score('Restricted diffusion in the left hemisphere.')).toBeGreaterThan(
      score('Restricted the fusion in the left hemisphere.'),
    );
    expect(score('The ventricles are enlarged.')).toBeGreaterThan(
      score('The men trickle are enlarged.'),
    );
  });
});

describe('the domain corpus', () => {
  /** Shared words (with repeats) over the longer sentence's word count. */
  const overlap = (a: string, b: string): number => {
    const x = normaliseWords(a);
    const y = normaliseWords(b);
    const left = new Map<string, number>();
    for (const w of x) left.set(w, (left.get(w) ?? 0) + 1);
    let shared = 0;
    for (const w of y) {
      const n = left.get(w) ?? 0;
      if (n > 0) {
        shared++;
        left.set(w, n - 1);
      }
    }
    return shared / Math.max(x.length, y.length);
  };

  it('holds over two hundred sentences, none of them a benchmark sentence or a near-copy of one', () => {
    expect(DOMAIN_CORPUS.length).toBeGreaterThanOrEqual(200);
    expect(overlap('The lesion is small.', 'The lesion is small today.')).toBe(0.8);
    const near: string[] = [];
    for (const bench of [...RADIOLOGY_SENTENCES, ...HELD_OUT_SENTENCES])
      for (const sentence of DOMAIN_CORPUS)
        if (overlap(bench, sentence) >= 0.8) near.push(`${sentence} ~ ${bench}`);
    expect(near).toEqual([]);
  });
});
