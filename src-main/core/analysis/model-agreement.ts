/**
 * The segmentation and the tumour-type classifier are separate models and can disagree (no lesion
 * found but a tumour type suggested, or a lesion found on an image the classifier calls tumour-free).
 * A reader must be told rather than left to reconcile "No tumour found" with "meningioma 76 %".
 */
export function modelAgreementNote(
  tumorDetected: boolean,
  label: string | null,
  noTumourLabel = 'notumor',
): string | null {
  if (label === null) return null;
  const classifierSeesTumour = label !== noTumourLabel;
  if (tumorDetected === classifierSeesTumour) return null;
  return tumorDetected
    ? `The models disagree: a lesion was segmented, but the tumour-type model calls the image tumour-free. Review the image.`
    : `The models disagree: no lesion was segmented, but the tumour-type model suggests ${label}. Review the image.`;
}
