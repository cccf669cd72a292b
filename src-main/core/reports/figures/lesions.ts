import { AppError } from '../../../../src-shared/errors.js';
import { measureComponentExtents } from '../../analysis/metrics/bounding-box.js';
import { labelConnectedComponents } from '../../analysis/metrics/connected-components.js';
import type { Vec3, VolumeDims, VoxelBox } from '../../analysis/metrics/types.js';

/** One connected lesion of a mask, named as the analysis named it. */
export interface LabelledLesion {
  /** 'det-1' for the largest…: the ids `extractDetections` gives the same mask. */
  detectionId: string;
  /** Its number in `LabelledLesions.labels`. */
  label: number;
  voxelCount: number;
  /** Inclusive voxel-index bounds. */
  box: VoxelBox;
  /** Mean voxel index (fractional). */
  centroidVoxel: Vec3;
}

export interface LabelledLesions {
  /** Per voxel: 0 for background, else the lesion's label. */
  labels: Int32Array;
  /** Largest first. */
  lesions: LabelledLesion[];
}

/**
 * The lesions of a stored mask, labelled and ordered exactly as the analysis's detections were
 * (26-connectivity, largest first, ties in scan order), so `det-1` here is `det-1` there.
 */
export function labelLesions(
  mask: Uint8Array,
  dims: VolumeDims,
  minComponentVoxels = 1,
): LabelledLesions {
  if (!dims.every((d) => Number.isInteger(d) && d > 0))
    throw new AppError(
      'INVALID_INPUT',
      `Mask dimensions must be positive integers, got ${dims.join(' × ')}.`,
    );
  const count = dims[0] * dims[1] * dims[2];
  if (mask.length !== count)
    throw new AppError(
      'INVALID_INPUT',
      `The mask holds ${mask.length} voxels but its dimensions need ${count}: it does not belong to this scan's grid.`,
    );
  const { labels, sizes } = labelConnectedComponents(mask, dims, 26);
  const lesions = measureComponentExtents(labels, dims, sizes.length)
    .filter((extent) => extent.voxelCount >= minComponentVoxels)
    .sort((a, b) => b.voxelCount - a.voxelCount || a.label - b.label)
    .map((extent, rank) => ({
      detectionId: `det-${rank + 1}`,
      label: extent.label,
      voxelCount: extent.voxelCount,
      box: extent.box,
      centroidVoxel: extent.centroidVoxel,
    }));
  return { labels, lesions };
}
