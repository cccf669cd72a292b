import type { Analysis } from '../../../../src-shared/contract/analysis.js';

/** An analysis's notes, split for a clinical reader and for whoever looks after the machine. */
export interface AnalysisNotes {
  /** What a radiologist reads: findings caveats and the review reminder. */
  readonly clinical: string;
  /** How the result was computed: provider fallback, intensity normalisation. */
  readonly technical: readonly string[];
}

/**
 * Sentences the core writes into `notes` that say how, not what. Matched as written by the
 * brain MR pipeline; stored analyses keep their notes as one string, so they are found there.
 */
const TECHNICAL_SENTENCES: readonly RegExp[] = [
  /Intensities were normalised over this image and \d+ other slices? of its series\./,
];

function removeOnce(text: string, part: string): string {
  const at = text.indexOf(part);
  return at === -1 ? text : text.slice(0, at) + text.slice(at + part.length);
}

/**
 * Moves technical sentences out of the notes: the provider note (e.g. "CUDA could not be used
 * …; running on the CPU."), which the core also repeats inside `notes`, and the sentences above.
 */
export function splitAnalysisNotes(
  analysis: Pick<Analysis, 'notes' | 'providerNote'>,
): AnalysisNotes {
  let clinical = analysis.notes;
  const technical: string[] = [];
  const providerNote = analysis.providerNote?.trim() ?? '';
  if (providerNote !== '') {
    technical.push(providerNote);
    clinical = removeOnce(clinical, providerNote);
  }
  for (const pattern of TECHNICAL_SENTENCES) {
    const match = pattern.exec(clinical);
    if (match === null) continue;
    technical.push(match[0]);
    clinical = removeOnce(clinical, match[0]);
  }
  return { clinical: clinical.replace(/\s+/g, ' ').trim(), technical };
}
