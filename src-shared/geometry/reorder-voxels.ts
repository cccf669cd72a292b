import { permutedDims, type AxisPermutation } from './reorient.js';
import type { ReadonlyVector3 } from './vector.js';

type Voxels = Float32Array | Uint8Array;

/**
 * Copies voxels (x fastest, then y, then z) between a grid and its permuted grid. Forward:
 * `target[permuted index] = data[source index]`; inverse: the other way round, so a result
 * computed on the permuted grid (a mask) lands back on the source grid.
 */
function copyPermuted(
  data: ArrayLike<number>,
  sourceDims: ReadonlyVector3,
  plan: AxisPermutation,
  isInverse: boolean,
  target: Voxels,
): void {
  const out = permutedDims(sourceDims, plan);
  const inStride = [1, sourceDims[0], sourceDims[0] * sourceDims[1]];
  const index = [0, 0, 0];
  let o = 0;
  for (let k = 0; k < out[2]; k++) {
    for (let j = 0; j < out[1]; j++) {
      for (let i = 0; i < out[0]; i++) {
        const outIndex = [i, j, k];
        for (let axis = 0; axis < 3; axis++) {
          const source = plan.sourceAxis[axis]!;
          const value = outIndex[axis]!;
          index[source] = plan.flip[axis] ? out[axis]! - 1 - value : value;
        }
        const s = index[0]! * inStride[0]! + index[1]! * inStride[1]! + index[2]! * inStride[2]!;
        if (isInverse) target[s] = data[o]!;
        else target[o] = data[s]!;
        o++;
      }
    }
  }
}

/** The voxels of a grid of `sourceDims`, re-ordered by `plan` (see AxisPermutation). */
export function permuteVoxels<T extends Voxels>(
  data: ArrayLike<number>,
  sourceDims: ReadonlyVector3,
  plan: AxisPermutation,
  target: T,
): T {
  copyPermuted(data, sourceDims, plan, false, target);
  return target;
}

/** The inverse of permuteVoxels: voxels on the permuted grid back onto the source grid. */
export function unpermuteVoxels<T extends Voxels>(
  data: ArrayLike<number>,
  sourceDims: ReadonlyVector3,
  plan: AxisPermutation,
  target: T,
): T {
  copyPermuted(data, sourceDims, plan, true, target);
  return target;
}
