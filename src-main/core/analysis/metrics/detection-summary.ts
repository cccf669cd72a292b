import type { Detection } from './detection.js';

/** Totals over the detections of one scan, for the report header and the API's `summary`. */
export interface DetectionSummary {
  count: number;
  /** Sum of the volumes; null when the detections come from a single slice (no volume). */
  totalVolume_mm3: number | null;
  /** Unweighted mean of the detections' confidences; null when none has one. */
  averageConfidence: number | null;
  /** The largest Feret diameter in mm; null when there is none in mm (none, or pixel units). */
  largestDiameter_mm: number | null;
}

export function summarise(detections: readonly Detection[]): DetectionSummary {
  let totalVolume: number | null = 0;
  let largest: number | null = null;
  const confidences: number[] = [];
  for (const detection of detections) {
    const { metrics } = detection;
    const volume = metrics.kind === 'volume' ? metrics.volume_mm3 : null;
    totalVolume = totalVolume === null || volume === null ? null : totalVolume + volume;
    const diameter = metrics.kind === 'volume' ? metrics.diameter_mm : metrics.diameter;
    if (detection.units === 'mm') largest = Math.max(largest ?? 0, diameter);
    if (detection.confidence !== null) confidences.push(detection.confidence);
  }
  return {
    count: detections.length,
    totalVolume_mm3: totalVolume,
    averageConfidence:
      confidences.length === 0 ? null : confidences.reduce((a, b) => a + b, 0) / confidences.length,
    largestDiameter_mm: largest,
  };
}

/**
 * The size line of a report: the bounding box's extent along the image's x, y (and z) axes and
 * the volume, e.g. "3.2 × 2.8 × 2.5 cm (14.6 mL)"; for a single slice "3.2 × 2.8 cm (area
 * 7.1 cm²)", or in pixels "120 × 98 px (area 9300 px²)" when the pixel size is unknown.
 */
export function formatDetectionSize(detection: Detection): string {
  const { boundingBox, metrics } = detection;
  if (boundingBox.mm === null || detection.units === 'pixels') {
    const { min, max } = boundingBox.voxels;
    const area = metrics.kind === 'slice' ? metrics.area : detection.voxelCount;
    return `${max[0] - min[0] + 1} × ${max[1] - min[1] + 1} px (area ${Math.round(area)} px²)`;
  }
  const [sx, sy, sz] = boundingBox.mm.size.map((mm) => (mm / 10).toFixed(1));
  if (metrics.kind === 'slice')
    return `${sx} × ${sy} cm (area ${formatAmount(metrics.area / 100)} cm²)`;
  return `${sx} × ${sy} × ${sz} cm (${formatAmount(metrics.volume_mm3 / 1000)} mL)`;
}

/** One decimal from 1 up; two significant digits below, so small lesions do not read "0.0". */
function formatAmount(value: number): string {
  return value >= 1 || value === 0 ? value.toFixed(1) : value.toPrecision(2);
}
