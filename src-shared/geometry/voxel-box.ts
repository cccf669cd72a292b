import type { ReadonlyVector3, Vector3 } from './vector.js';

/**
 * A box of voxels on a grid (x fastest, then y, then z): its first voxel and its size, both in
 * voxels. A size of 0 × 0 × 0 is the empty box (a mask with nothing labelled).
 */
export interface VoxelBox {
  readonly offset: Vector3;
  readonly size: Vector3;
}

export const EMPTY_BOX: VoxelBox = { offset: [0, 0, 0], size: [0, 0, 0] };

export const boxVoxelCount = (box: VoxelBox): number => box.size[0] * box.size[1] * box.size[2];

/** The smallest box holding every non-zero voxel of a mask (EMPTY_BOX when there is none). */
export function nonZeroBox(mask: Uint8Array, dims: ReadonlyVector3): VoxelBox {
  const [nx, ny, nz] = dims;
  if (mask.length !== nx * ny * nz)
    throw new RangeError(`The mask holds ${mask.length} voxels, not ${nx}×${ny}×${nz}.`);
  const min: Vector3 = [nx, ny, nz];
  const max: Vector3 = [-1, -1, -1];
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++) {
      const row = nx * (y + ny * z);
      let first = 0;
      while (first < nx && mask[row + first] === 0) first++;
      if (first === nx) continue;
      // A row's last labelled voxel, looked for from the right: interiors are not walked twice.
      let last = nx - 1;
      while (mask[row + last] === 0) last--;
      if (first < min[0]) min[0] = first;
      if (last > max[0]) max[0] = last;
      if (y < min[1]) min[1] = y;
      if (y > max[1]) max[1] = y;
      if (z < min[2]) min[2] = z;
      max[2] = z;
    }
  if (max[0] < 0) return EMPTY_BOX;
  return {
    offset: min,
    size: [max[0] - min[0] + 1, max[1] - min[1] + 1, max[2] - min[2] + 1],
  };
}

/** The voxels inside a box, as their own grid of `box.size` (x fastest). */
export function cropToBox(mask: Uint8Array, dims: ReadonlyVector3, box: VoxelBox): Uint8Array {
  const [nx, ny] = dims;
  const [ox, oy, oz] = box.offset;
  const [sx, sy, sz] = box.size;
  if (
    box.size.some(
      (s, axis) => s < 0 || box.offset[axis]! < 0 || box.offset[axis]! + s > dims[axis]!,
    )
  )
    throw new RangeError(
      `The box ${box.offset.join(',')} + ${box.size.join('×')} leaves the ${dims.join('×')} grid.`,
    );
  const out = new Uint8Array(sx * sy * sz);
  for (let z = 0; z < sz; z++)
    for (let y = 0; y < sy; y++) {
      const from = ox + nx * (oy + y + ny * (oz + z));
      out.set(mask.subarray(from, from + sx), sx * (y + sy * z));
    }
  return out;
}
