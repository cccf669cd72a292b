import { permutedDims, type AxisPermutation } from './reorient.js';
import type { ReadonlyVector3 } from './vector.js';

type Voxels = Float32Array | Uint8Array;

/**
 * Copies voxels (x fastest, then y, then z) between a grid and its permuted grid. Forward:
 * `target[permuted index] = data[source index]`; inverse: the other way round, so a result
 * computed on the permuted grid (a mask) lands back on the source grid.
 *
 * Each output axis is one signed stride through the source (and a start for the flipped ones),
 * so the inner loop is one addition per voxel: a 240 × 240 × 155 label map takes milliseconds,
 * where building an index triple per voxel took ~150 ms and more under load.
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
  let start = 0;
  const step = [0, 0, 0];
  for (let axis = 0; axis < 3; axis++) {
    const stride = inStride[plan.sourceAxis[axis]!]!;
    step[axis] = plan.flip[axis] ? -stride : stride;
    if (plan.flip[axis]) start += (out[axis]! - 1) * stride;
  }
  const [nx, ny, nz] = out;
  const [sx, sy, sz] = step as [number, number, number];
  let o = 0;
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      let s = start + k * sz + j * sy;
      if (isInverse) for (let i = 0; i < nx; i++, s += sx) target[s] = data[o++]!;
      else for (let i = 0; i < nx; i++, s += sx) target[o++] = data[s]!;
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
