import type { SpacingMm, Vec3, VolumeDims } from '../types.js';

/** A test mask with its geometry; built from parameters, so every expected value is known. */
export interface SyntheticMask {
  mask: Uint8Array;
  dims: VolumeDims;
  spacing: SpacingMm;
}

/** Is the point (mm, relative to the shape's centre) inside the shape? */
export type ShapeTest = (x: number, y: number, z: number) => boolean;

export const sphereShape =
  (radius: number): ShapeTest =>
  (x, y, z) =>
    x * x + y * y + z * z <= radius * radius;

export const ellipsoidShape =
  (a: number, b: number, c: number): ShapeTest =>
  (x, y, z) =>
    (x / a) ** 2 + (y / b) ** 2 + (z / c) ** 2 <= 1;

/** Marks into `mask` every voxel whose centre lies inside the shape centred at `centreMm`. */
export function paintShape(target: SyntheticMask, centreMm: Vec3, inside: ShapeTest): void {
  const { mask, dims, spacing } = target;
  let index = 0;
  for (let z = 0; z < dims[2]; z++) {
    for (let y = 0; y < dims[1]; y++) {
      for (let x = 0; x < dims[0]; x++, index++) {
        const isInside = inside(
          x * spacing[0] - centreMm[0],
          y * spacing[1] - centreMm[1],
          z * spacing[2] - centreMm[2],
        );
        if (isInside) mask[index] = 1;
      }
    }
  }
}

export function emptyMask(dims: VolumeDims, spacing: SpacingMm = [1, 1, 1]): SyntheticMask {
  return { mask: new Uint8Array(dims[0] * dims[1] * dims[2]), dims, spacing };
}

/**
 * A volume just large enough for a shape of the given half-extents (mm) with `marginVoxels` of
 * background around it, the shape centred slightly off the voxel grid (so that results do not
 * depend on a lucky alignment).
 */
export function maskAroundShape(
  halfExtentMm: Vec3,
  spacing: SpacingMm,
  inside: ShapeTest,
  marginVoxels = 3,
): SyntheticMask & { centreMm: Vec3 } {
  const size = (k: 0 | 1 | 2): number =>
    Math.ceil((2 * halfExtentMm[k]) / spacing[k]) + 2 * marginVoxels + 1;
  const dims: VolumeDims = [size(0), size(1), size(2)];
  const centre = (k: 0 | 1 | 2): number => ((dims[k] - 1) / 2 + 0.137) * spacing[k];
  const centreMm: Vec3 = [centre(0), centre(1), centre(2)];
  const target = emptyMask(dims, spacing);
  paintShape(target, centreMm, inside);
  return { ...target, centreMm };
}

/** Sets the voxels of an axis-aligned block (inclusive voxel-index bounds) to 1. */
export function paintBlock(target: SyntheticMask, min: Vec3, max: Vec3): void {
  const { mask, dims } = target;
  for (let z = min[2]; z <= max[2]; z++)
    for (let y = min[1]; y <= max[1]; y++)
      for (let x = min[0]; x <= max[0]; x++) mask[x + dims[0] * (y + dims[1] * z)] = 1;
}
