// The custom vocabulary for voice captions: dental and radiology terms the speech model rarely
// spells right (it was trained on everyday speech). After transcription, runs of one to three
// words that sound like a term (a phonetic key and the letters compared) are replaced by it.
// The list is versioned: a caption records the version that corrected it.

export interface SpeechVocabulary {
  version: string;
  terms: readonly string[];
}

export const DENTAL_RADIOLOGY_VOCABULARY: SpeechVocabulary = {
  version: 'dental-radiology-1',
  terms: [
    // Dental
    'periapical',
    'radiolucency',
    'radiolucent',
    'radiopaque',
    'mandibular',
    'mandible',
    'maxillary',
    'maxilla',
    'molar',
    'premolar',
    'incisor',
    'incisors',
    'canine',
    'occlusal',
    'caries',
    'alveolar',
    'abscess',
    'cyst',
    'implant',
    'root canal',
    'periodontal',
    'gingival',
    'furcation',
    'dentin',
    'enamel',
    'pulp',
    'apex',
    'impacted',
    'panoramic',
    'CBCT',
    'cone beam',
    // Radiology
    'FLAIR',
    'gadolinium',
    'edema',
    'lesion',
    'hydrocephalus',
    'ventricles',
    'infarct',
    'diffusion weighted',
    'enhancement',
    'enhancing',
    'tumour',
    'glioma',
    'meningioma',
    'midline shift',
    'resection cavity',
    'axial',
    'sagittal',
    'coronal',
    'frontal lobe',
    'temporal lobe',
    'parietal lobe',
    'occipital lobe',
    'centimetres',
    'millimetres',
  ],
};

/**
 * Vocabulary biasing while decoding: the bonus added to the logits of a term's first token and of
 * the next token of a term under way. Tuned on the development sentences (docs/voice-captions.md).
 */
export const VOCABULARY_BIAS = { startBonus: 0.5, continueBonus: 2 } as const;

/** Short everyday words never replaced: they are what the speaker most likely said. */
const KEEP = new Set(
  'a an the and or of on in at to is are was be by for with no not this that there it its as has have from up out over under around near'.split(
    ' ',
  ),
);

/**
 * A rough sound key: voiced and unvoiced pairs merged (the model confuses them), vowels after
 * the first letter dropped, repeats collapsed.
 */
export function soundKey(word: string): string {
  const w = word
    .toLowerCase()
    .replace(/[^a-z]/g, '')
    .replace(/ph/g, 'f')
    .replace(/ck/g, 'k')
    .replace(/c(?=[eiy])/g, 's')
    .replace(/sh|ch/g, 'x')
    .replace(/th/g, 't')
    .replace(/[cqg]/g, 'k')
    .replace(/x/g, 'ks')
    .replace(/[d]/g, 't')
    .replace(/[b]/g, 'p')
    .replace(/[v]/g, 'f')
    .replace(/[z]/g, 's');
  if (w === '') return '';
  const rest = w.slice(1).replace(/[aeiouyhw]/g, '');
  return (w[0] + rest).replace(/(.)\1+/g, '$1');
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    previous = current;
  }
  return previous[b.length] ?? 0;
}

function similarity(a: string, b: string): number {
  const longest = Math.max(a.length, b.length);
  return longest === 0 ? 1 : 1 - editDistance(a, b) / longest;
}

/** How alike a spoken run and a term are: sound first, spelling second (0–1). */
export function termLikeness(spoken: string, term: string): number {
  const s = spoken.toLowerCase().replace(/[^a-z]/g, '');
  const t = term.toLowerCase().replace(/[^a-z]/g, '');
  return 0.6 * similarity(soundKey(s), soundKey(t)) + 0.4 * similarity(s, t);
}

/** How alike a run must be to be replaced; tuned on the development sentences (docs). */
export const REPLACE_AT = 0.72;
/** The bar for a single word of five letters or fewer ("floor" is not "FLAIR"). */
export const SHORT_WORD_AT = 0.86;

/**
 * How much likelier (natural log) the domain language model must find the caption with the term
 * than without it, for a short word below SHORT_WORD_AT to be replaced ("flare images" →
 * "FLAIR images", but "the sinus floor" stays). Tuned on the development sentences (docs).
 */
export const CONTEXT_MARGIN = 2;

/** Scores a whole caption (higher: likelier); the domain language model's (domain-language-model.ts). */
export type CaptionScore = (text: string) => number;

export interface Correction {
  from: string;
  to: string;
  likeness: number;
}

interface Token {
  word: string;
  /** Punctuation after the word, kept. */
  tail: string;
}

function tokens(text: string): Token[] {
  return text
    .split(/\s+/)
    .filter((t) => t !== '')
    .flatMap((t) => {
      const match = /^(.*?)([.,;:!?)"']*)$/.exec(t);
      const word = match?.[1] ?? t;
      // "pre-molar" is one word to match, as the model hyphenates some compounds.
      return [{ word, tail: match?.[2] ?? '' }];
    });
}

function termCase(term: string, original: string): string {
  if (term.toUpperCase() === term) return term;
  return /^[A-Z]/.test(original) ? term[0]?.toUpperCase() + term.slice(1) : term;
}

/**
 * Replaces runs of one to three words that sound like a vocabulary term with the term; the
 * longest, most alike run wins at each place. Returns the text and what was changed.
 */
export function correctTranscript(
  text: string,
  vocabulary: SpeechVocabulary = DENTAL_RADIOLOGY_VOCABULARY,
  /** With it, a short word that sounds like a term is replaced where the context wants the term. */
  captionScore?: CaptionScore,
): { text: string; corrections: Correction[] } {
  const words = tokens(text);
  const out: string[] = [];
  const corrections: Correction[] = [];
  const exact = new Set(vocabulary.terms.map((t) => t.toLowerCase()));
  for (let i = 0; i < words.length;) {
    let best: { length: number; term: string; likeness: number; inContext: boolean } | null = null;
    for (let length = 3; length >= 1; length--) {
      const run = words.slice(i, i + length);
      if (run.length < length) continue;
      // A run carries no punctuation inside it, and does not start or end on an everyday word.
      if (run.slice(0, -1).some((w) => w.tail !== '')) continue;
      const first = run[0]?.word.toLowerCase() ?? '';
      const last = run[run.length - 1]?.word.toLowerCase() ?? '';
      if (KEEP.has(first) || KEEP.has(last)) continue;
      const spoken = run.map((w) => w.word).join(' ');
      const letters = spoken.replace(/[^a-z]/gi, '');
      if (letters.length < 4) continue;
      if (exact.has(spoken.toLowerCase())) {
        best = null;
        break;
      }
      // A short everyday-looking word must sound very like the term to be replaced.
      const short = length === 1 && letters.length <= 5;
      // With the caption's score, a short word may go as low as the others, if the context agrees.
      const needed = short && captionScore === undefined ? SHORT_WORD_AT : REPLACE_AT;
      for (const term of vocabulary.terms) {
        const termWords = term.split(' ').length;
        // More words than the term only when they are fragments ("in cyber" for "incisor"),
        // so that "two centimetres" keeps its "two".
        if (length > termWords && run.some((w) => w.word.length > 5)) continue;
        if (length < termWords) continue;
        const likeness = termLikeness(spoken, term);
        if (likeness >= needed && (best === null || likeness > best.likeness + 0.02))
          best = { length, term, likeness, inContext: short && likeness < SHORT_WORD_AT };
      }
    }
    if (best !== null && best.inContext && captionScore !== undefined) {
      const before = out.join(' ');
      const after = words
        .slice(i + best.length)
        .map((w) => w.word + w.tail)
        .join(' ');
      const run = words.slice(i, i + best.length);
      const tail = run[run.length - 1]?.tail ?? '';
      const said = `${before} ${run.map((w) => w.word).join(' ')}${tail} ${after}`;
      const term = `${before} ${termCase(best.term, run[0]?.word ?? '')}${tail} ${after}`;
      if (captionScore(term.trim()) < captionScore(said.trim()) + CONTEXT_MARGIN) best = null;
    }
    if (best === null) {
      const w = words[i];
      if (w !== undefined) out.push(w.word + w.tail);
      i += 1;
      continue;
    }
    const run = words.slice(i, i + best.length);
    const from = run.map((w) => w.word).join(' ');
    const to = termCase(best.term, from);
    if (from !== to)
      corrections.push({ from, to, likeness: Math.round(best.likeness * 100) / 100 });
    out.push(to + (run[run.length - 1]?.tail ?? ''));
    i += best.length;
  }
  return { text: out.join(' '), corrections };
}
