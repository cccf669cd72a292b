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
  checkMaskFits(mask, dims);
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

/** Throws a clear error unless the mask has exactly the voxels its dimensions need. */
export function checkMaskFits(mask: Uint8Array, dims: VolumeDims): void {
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
}

/** A mask cut down to the box around its non-zero voxels, and where that box starts. */
export interface CroppedMask {
  mask: Uint8Array;
  dims: VolumeDims;
  /** Voxel index in the whole volume of the crop's voxel (0, 0, 0). */
  offset: Vec3;
}

/**
 * The part of a mask that holds lesion voxels: labelling and measuring a 60 mm lesion's box is
 * far cheaper than the 11 million voxels of a whole 256 × 256 × 170 volume (one fast pass finds
 * the box). null when the mask is empty.
 */
export function cropToForeground(mask: Uint8Array, dims: VolumeDims): CroppedMask | null {
  const [nx, ny, nz] = dims;
  const min = [nx, ny, nz];
  const max = [-1, -1, -1];
  for (let z = 0, i = 0; z < nz; z++)
    for (let y = 0; y < ny; y++) {
      const row = i;
      i += nx;
      // Most rows are empty: test the row before looking at its columns.
      let first = -1;
      for (let x = 0; x < nx; x++)
        if (mask[row + x] !== 0) {
          first = x;
          break;
        }
      if (first < 0) continue;
      let last = first;
      for (let x = nx - 1; x > first; x--)
        if (mask[row + x] !== 0) {
          last = x;
          break;
        }
      if (first < min[0]!) min[0] = first;
      if (last > max[0]!) max[0] = last;
      if (y < min[1]!) min[1] = y;
      if (y > max[1]!) max[1] = y;
      if (z < min[2]!) min[2] = z;
      if (z > max[2]!) max[2] = z;
    }
  if (max[0]! < 0) return null;
  const cropDims: VolumeDims = [
    max[0]! - min[0]! + 1,
    max[1]! - min[1]! + 1,
    max[2]! - min[2]! + 1,
  ];
  const cropped = new Uint8Array(cropDims[0] * cropDims[1] * cropDims[2]);
  for (let z = 0; z < cropDims[2]; z++)
    for (let y = 0; y < cropDims[1]; y++) {
      const from = min[0]! + nx * (min[1]! + y + ny * (min[2]! + z));
      cropped.set(mask.subarray(from, from + cropDims[0]), cropDims[0] * (y + cropDims[1] * z));
    }
  return { mask: cropped, dims: cropDims, offset: [min[0]!, min[1]!, min[2]!] };
}

/** The centroid (voxel indices) of the largest lesion, or null for an empty mask. */
export function largestLesionCentroid(mask: Uint8Array, dims: VolumeDims): Vec3 | null {
  checkMaskFits(mask, dims);
  const crop = cropToForeground(mask, dims);
  if (crop === null) return null;
  const [largest] = labelLesions(crop.mask, crop.dims).lesions;
  const c = largest!.centroidVoxel;
  return [c[0] + crop.offset[0], c[1] + crop.offset[1], c[2] + crop.offset[2]];
}

/** Whether any voxel is non-zero (stops at the first). */
export function hasLesionVoxel(mask: Uint8Array): boolean {
  for (let i = 0; i < mask.length; i++) if (mask[i] !== 0) return true;
  return false;
}
