import type { TumourTypeAssessment } from '../../../../src-shared/contract/analysis.js';

/** Above this p(no tumour) the classifier did not recognise a tumour on the slice. */
export const MAX_NO_TUMOUR_PROBABILITY = 0.5;
/** Below this p(type | tumour) no type is suggested: the classifier is guessing between types. */
export const MIN_TYPE_PROBABILITY = 0.6;

const percent = (p: number): string => `${Math.round(p * 100)} %`;

/**
 * The tumour type as a reader should see it, from the segmentation's verdict and the classifier's
 * calibrated probabilities (docs/classifier.md). The classifier was trained on T1 post-contrast
 * tumours and on tumour-free T2/FLAIR/T1 images, so its answer is read as "type given a tumour"
 * (renormalised without the no-tumour class); "notumor" is never shown beside a segmented lesion.
 */
export function assessTumourType(input: {
  /** The segmentation found a lesion. */
  tumourDetected: boolean;
  /** The classifier's probabilities by label; null when it did not run. */
  probabilities: Readonly<Record<string, number>> | null;
  /** Why the classifier did not run, in clinical words; null when it was not asked for. */
  notRunReason: string | null;
  noTumourLabel?: string;
}): TumourTypeAssessment | null {
  const noTumourLabel = input.noTumourLabel ?? 'notumor';
  if (input.probabilities === null) {
    if (input.notRunReason === null) return null;
    return {
      status: 'not-assessed',
      type: null,
      probability: null,
      statement: input.notRunReason,
      disagreement: null,
    };
  }
  const pNoTumour = input.probabilities[noTumourLabel] ?? 0;
  const types = Object.entries(input.probabilities)
    .filter(([label]) => label !== noTumourLabel)
    .map(([label, p]) => ({ label, p: pNoTumour < 1 ? p / (1 - pNoTumour) : 0 }))
    .sort((a, b) => b.p - a.p);
  const top = types[0] ?? null;
  const seesTumour = pNoTumour <= MAX_NO_TUMOUR_PROBABILITY;
  const canType = seesTumour && top !== null && top.p >= MIN_TYPE_PROBABILITY;

  if (input.tumourDetected) {
    if (!seesTumour)
      return {
        status: 'undetermined',
        type: null,
        probability: null,
        statement: 'Tumour type could not be determined on this image.',
        disagreement:
          'The tumour-type model did not recognise a tumour on the classified slice; the segmented ' +
          'lesion stands. Trust the segmentation for whether there is a lesion.',
      };
    if (!canType)
      return {
        status: 'undetermined',
        type: null,
        probability: null,
        statement:
          'Tumour type could not be determined on this image: no type reaches ' +
          `${percent(MIN_TYPE_PROBABILITY)} (${types.map((t) => `${t.label} ${percent(t.p)}`).join(', ')}).`,
        disagreement: null,
      };
    return {
      status: 'suggested',
      type: top.label,
      probability: top.p,
      statement: `Suggested type: ${top.label} (${percent(top.p)}, given a tumour).`,
      disagreement: null,
    };
  }

  if (!seesTumour)
    return {
      status: 'none',
      type: null,
      probability: null,
      statement: 'No tumour type: neither model found a tumour.',
      disagreement: null,
    };
  const suggestion = canType
    ? `suggests ${top.label} (${percent(top.p)}, given a tumour)`
    : 'sees a tumour but no type';
  return {
    status: canType ? 'suggested' : 'undetermined',
    type: canType ? top.label : null,
    probability: canType ? top.p : null,
    statement: canType
      ? `The tumour-type model suggests ${top.label} (${percent(top.p)}, given a tumour), but no lesion was segmented.`
      : 'Tumour type could not be determined on this image.',
    disagreement:
      `The models disagree: no lesion was segmented, but the tumour-type model ${suggestion}. ` +
      'The segmentation model may not read this series (it reads FLAIR; the type model reads ' +
      'T1 post-contrast): review the image. This is not counted as a finding on its own.',
  };
}
