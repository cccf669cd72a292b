import type { Detection } from './contract/analysis.js';

/**
 * What a lesion's confidence is, in words, wherever it is shown. The core computes it as the
 * mean of the segmentation model's per-voxel lesion probability over the lesion's voxels
 * (extractDetections in src-main/core/analysis/metrics/detections.ts).
 */
export const LESION_CONFIDENCE_MEANING =
  'A lesion’s confidence is the segmentation model’s average probability, over the lesion’s ' +
  'voxels, that each voxel belongs to the lesion: how clearly the model separates it from its ' +
  'surroundings. It is not a probability that the lesion is a tumour, nor of its type or ' +
  'malignancy.';

/**
 * The slice (0-based, in the stored frame order) through the lesion's centroid, kept inside the
 * lesion's own slices: a curved lesion's centroid may fall on a slice it does not touch.
 */
export function lesionCentreSlice(detection: Pick<Detection, 'centroid' | 'boundingBox'>): number {
  const { min, max } = detection.boundingBox.voxels;
  const centre = Math.round(detection.centroid.voxels[2]);
  return Math.min(max[2], Math.max(min[2], centre));
}
