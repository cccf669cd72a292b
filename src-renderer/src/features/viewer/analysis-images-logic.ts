import type {
  Analysis,
  AnalysisImageKind,
  BrainTumourFindings,
} from '../../../../src-shared/contract/analysis.js';

type Classification = NonNullable<BrainTumourFindings['classification']>;

/** The pictures this analysis stored, overlay first: it shows the map over the anatomy. */
export function availableImageKinds(outputs: Analysis['outputs']): AnalysisImageKind[] {
  const kinds: AnalysisImageKind[] = [];
  if (outputs.hasOverlay) kinds.push('overlay');
  if (outputs.hasHeatmap) kinds.push('heatmap');
  return kinds;
}

export function percentText(value: number): string {
  return `${Math.round(value * 100)}%`;
}

/**
 * A calibrated probability in whole percent that never reads as certain: "> 99%" and "< 1%"
 * instead of "100%" and "0%" (the chest X-ray model's probabilities; docs/chest-xray.md).
 */
export function calibratedPercentText(value: number): string {
  if (value >= 0.995) return '> 99%';
  if (value < 0.005) return '< 1%';
  return percentText(value);
}

/**
 * "Class activation map of slice N — <label> <confidence %>". The stored slice is 0-based; the
 * caption counts from 1 like the viewer's "Slice i / n", so both name the same picture.
 */
export function activationCaption(
  classification: Classification,
  tumourType?: BrainTumourFindings['tumourType'],
): string {
  const what =
    tumourType === undefined
      ? `${classification.label} ${percentText(classification.confidence)}`
      : tumourType.statement;
  return `Class activation map of slice ${classification.slice + 1} — ${what}`;
}

/**
 * The raw probabilities (with "notumor") only beside a type the result suggests, or on results
 * stored before the type was read against the segmentation.
 */
export function showsProbabilities(tumourType: BrainTumourFindings['tumourType']): boolean {
  return tumourType === undefined || tumourType.status === 'suggested';
}

/** The classifier's probabilities, most likely class first (ties keep the model's order). */
export function probabilityRows(
  classification: Pick<Classification, 'probabilities'>,
): Array<{ label: string; probability: number }> {
  return Object.entries(classification.probabilities)
    .map(([label, probability]) => ({ label, probability }))
    .sort((a, b) => b.probability - a.probability);
}
