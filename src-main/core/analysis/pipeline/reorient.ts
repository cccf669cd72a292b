import {
  lpsPermutationOfAxes,
  permutedDims,
  type AxisPermutation,
} from '../../../../src-shared/geometry/reorient.js';
import { permuteVoxels, unpermuteVoxels } from '../../../../src-shared/geometry/reorder-voxels.js';
import type { Vector3 } from '../../../../src-shared/geometry/vector.js';
import type { Volume } from './volume.js';

/**
 * How to turn a volume into the models' convention (voxel axes along L, P, S: axial slices with
 * anterior at the top and patient right on the image's left, as the LGG training slices are).
 * See AxisPermutation in the geometry module.
 */
export type AxisPlan = AxisPermutation;

/** The plan for a volume whose voxel axes are `direction` (flat: x axis, y axis, z axis). */
export function planToLps(direction: Volume['direction']): AxisPlan {
  const axis = (a: number): Vector3 => [
    direction[a * 3]!,
    direction[a * 3 + 1]!,
    direction[a * 3 + 2]!,
  ];
  return lpsPermutationOfAxes([axis(0), axis(1), axis(2)]);
}

export function reorientToLps(volume: Volume): { volume: Volume; plan: AxisPlan } {
  const plan = planToLps(volume.direction);
  const dims = permutedDims(volume.dims, plan);
  const data = permuteVoxels(volume.data, volume.dims, plan, new Float32Array(volume.data.length));
  const spacing = volume.spacing === null ? null : permutedDims(volume.spacing, plan);
  return { volume: { dims, spacing, direction: [1, 0, 0, 0, 1, 0, 0, 0, 1], data }, plan };
}

/** Maps a mask computed in LPS order back onto the original volume's voxel grid. */
export function maskToSourceOrder(
  mask: Uint8Array,
  sourceDims: Volume['dims'],
  plan: AxisPlan,
): Uint8Array {
  return unpermuteVoxels(mask, sourceDims, plan, new Uint8Array(mask.length));
}
