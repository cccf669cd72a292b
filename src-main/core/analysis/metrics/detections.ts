import { AppError } from '../../../../src-shared/errors.js';
import { boundingBoxInMm, measureComponentExtents, type ComponentExtent } from './bounding-box.js';
import { measureComponentShape } from './component-shape.js';
import { labelConnectedComponents } from './connected-components.js';
import type { Detection, ExtractDetectionsInput } from './detection.js';
import { brainBoxFromVolume, estimateLocation } from './location.js';
import {
  voxelCountOf,
  voxelToMm,
  type SpacingMm,
  type VolumeDims,
  type VoxelBox,
} from './types.js';

/**
 * Splits a lesion mask into connected components and measures each: bounding box, centroid,
 * volume, surface, Feret diameter, shape ratios, confidence and approximate location. Sorted by
 * size, largest first. Pure: the same input always gives the same output.
 */
export function extractDetections(input: ExtractDetectionsInput): Detection[] {
  const { mask, dims } = input;
  validate(input);
  const units = input.spacing === null ? 'pixels' : 'mm';
  // Pixel units: measure as if each pixel were 1 × 1 (× 1).
  const spacing: SpacingMm = input.spacing ?? [1, 1, 1];
  const { labels, sizes } = labelConnectedComponents(mask, dims, input.connectivity ?? 26);
  const minVoxels = input.minComponentVoxels ?? 1;
  const kept = measureComponentExtents(labels, dims, sizes.length)
    .filter((extent) => extent.voxelCount >= minVoxels)
    // Largest first; equal sizes keep scan order, so ids do not depend on the sort's stability.
    .sort((a, b) => b.voxelCount - a.voxelCount || a.label - b.label);
  if (kept.length === 0) return [];
  const brainBox = input.brainBox ?? brainBoxOf(input.brainMask, dims);

  return kept.map((extent, rank): Detection => {
    const { box, voxelCount, centroidVoxel } = extent;
    const { metrics, mesh } = measureComponentShape({
      labels,
      dims,
      extent,
      spacing,
      ...(input.smoothing === undefined ? {} : { smoothing: input.smoothing }),
    });
    const isMm = units === 'mm';
    return {
      detectionId: `det-${rank + 1}`,
      voxelCount,
      confidence:
        input.probabilities === undefined
          ? null
          : meanInsideComponent(input.probabilities, labels, dims, extent),
      units,
      boundingBox: { voxels: box, mm: isMm ? boundingBoxInMm(box, spacing) : null },
      centroid: { voxels: centroidVoxel, mm: isMm ? voxelToMm(centroidVoxel, spacing) : null },
      metrics,
      location: estimateLocation({
        centroidVoxel,
        brainBox,
        spacing,
        ...(input.direction === undefined ? {} : { direction: input.direction }),
      }),
      ...(input.includeMesh === true && mesh !== null ? { mesh } : {}),
    };
  });
}

function validate(input: ExtractDetectionsInput): void {
  const { mask, dims, spacing, probabilities, brainMask } = input;
  const invalid = (message: string): AppError => new AppError('INVALID_INPUT', message);
  if (!dims.every((d) => Number.isInteger(d) && d > 0))
    throw invalid(`Mask dimensions must be positive integers, got ${dims.join(' × ')}.`);
  const count = voxelCountOf(dims);
  if (mask.length !== count)
    throw invalid(`The mask holds ${mask.length} voxels but its dimensions need ${count}.`);
  if (probabilities !== undefined && probabilities.length !== count)
    throw invalid(`The probabilities hold ${probabilities.length} values, the mask ${count}.`);
  if (brainMask !== undefined && brainMask.length !== count)
    throw invalid(`The brain mask holds ${brainMask.length} values, the mask ${count}.`);
  if (spacing === null) {
    if (dims[2] !== 1)
      throw invalid(
        'A 3D mask needs its voxel spacing; only single slices can be measured in pixels.',
      );
  } else {
    const used = dims[2] === 1 ? spacing.slice(0, 2) : spacing;
    if (!used.every((s) => Number.isFinite(s) && s > 0))
      throw invalid(`Voxel spacing must be positive, got ${spacing.join(' × ')} mm.`);
  }
}

/** The brain's box from a mask when given, else the whole image. */
function brainBoxOf(brainMask: ArrayLike<number> | undefined, dims: VolumeDims): VoxelBox {
  const whole: VoxelBox = { min: [0, 0, 0], max: [dims[0] - 1, dims[1] - 1, dims[2] - 1] };
  return brainMask === undefined ? whole : (brainBoxFromVolume(brainMask, dims) ?? whole);
}

function meanInsideComponent(
  values: Float32Array,
  labels: Int32Array,
  dims: VolumeDims,
  extent: ComponentExtent,
): number {
  const { box, label } = extent;
  let sum = 0;
  for (let z = box.min[2]; z <= box.max[2]; z++) {
    for (let y = box.min[1]; y <= box.max[1]; y++) {
      const row = dims[0] * (y + dims[1] * z);
      for (let x = box.min[0]; x <= box.max[0]; x++) {
        if (labels[row + x] === label) sum += values[row + x]!;
      }
    }
  }
  return sum / extent.voxelCount;
}
