/** Words as WER compares them: lower case, punctuation dropped, hyphens split, digits kept. */
export function normaliseWords(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[’']/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter((w) => w !== '');
}

/** Word-level edit distance (substitutions, insertions, deletions). */
export function wordEdits(reference: readonly string[], hypothesis: readonly string[]): number {
  let previous = Array.from({ length: hypothesis.length + 1 }, (_, j) => j);
  for (let i = 1; i <= reference.length; i++) {
    const current = [i];
    for (let j = 1; j <= hypothesis.length; j++) {
      const same = reference[i - 1] === hypothesis[j - 1];
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (same ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[hypothesis.length] ?? 0;
}

/**
 * Word error rate over a set of sentences: all edits over all reference words (the corpus
 * WER, so long sentences weigh as much as their words).
 */
export function wordErrorRate(pairs: readonly { reference: string; hypothesis: string }[]): number {
  let edits = 0;
  let words = 0;
  for (const { reference, hypothesis } of pairs) {
    const ref = normaliseWords(reference);
    edits += wordEdits(ref, normaliseWords(hypothesis));
    words += ref.length;
  }
  return words === 0 ? 0 : edits / words;
}
