import { voxelToMm, type SpacingMm, type Vec3, type VolumeDims, type VoxelBox } from './types.js';

/** Where one component lies, in voxel indices. */
export interface ComponentExtent {
  label: number;
  voxelCount: number;
  /** Inclusive index bounds of its voxels. */
  box: VoxelBox;
  /** Mean voxel index of its voxels (fractional). */
  centroidVoxel: Vec3;
}

/** A bounding box in millimetres, in the volume's frame (origin at the centre of voxel 0,0,0). */
export interface BoundingBoxMm {
  /** Centre of the lowest corner voxel. */
  min: Vec3;
  /** Centre of the highest corner voxel. */
  max: Vec3;
  /** Outer extent: voxel count along each axis × spacing, so one voxel measures one spacing. */
  size: Vec3;
}

/**
 * Bounds, size and centroid of every component in one pass over the label volume. Entry k - 1
 * describes label k; `componentCount` is the highest label.
 */
export function measureComponentExtents(
  labels: Int32Array,
  dims: VolumeDims,
  componentCount: number,
): ComponentExtent[] {
  const [nx, ny] = dims;
  const min = new Int32Array(componentCount * 3).fill(2 ** 31 - 1);
  const max = new Int32Array(componentCount * 3).fill(-1);
  // Float64 sums stay exact far beyond the largest volumes (2^53 / 10^8 voxels ≫ any index).
  const sum = new Float64Array(componentCount * 3);
  const count = new Float64Array(componentCount);
  let index = 0;
  for (let z = 0; z < dims[2]; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, index++) {
        const label = labels[index]!;
        if (label === 0) continue;
        const k = label - 1;
        count[k]!++;
        const at = 3 * k;
        if (x < min[at]!) min[at] = x;
        if (x > max[at]!) max[at] = x;
        if (y < min[at + 1]!) min[at + 1] = y;
        if (y > max[at + 1]!) max[at + 1] = y;
        if (z < min[at + 2]!) min[at + 2] = z;
        if (z > max[at + 2]!) max[at + 2] = z;
        sum[at]! += x;
        sum[at + 1]! += y;
        sum[at + 2]! += z;
      }
    }
  }
  const extents: ComponentExtent[] = [];
  for (let k = 0; k < componentCount; k++) {
    const n = count[k]!;
    const at = 3 * k;
    extents.push({
      label: k + 1,
      voxelCount: n,
      box: {
        min: [min[at]!, min[at + 1]!, min[at + 2]!],
        max: [max[at]!, max[at + 1]!, max[at + 2]!],
      },
      centroidVoxel: [sum[at]! / n, sum[at + 1]! / n, sum[at + 2]! / n],
    });
  }
  return extents;
}

/** The voxel box in millimetres: corner voxel centres and the outer size. */
export function boundingBoxInMm(box: VoxelBox, spacing: SpacingMm): BoundingBoxMm {
  return {
    min: voxelToMm(box.min, spacing),
    max: voxelToMm(box.max, spacing),
    size: [
      (box.max[0] - box.min[0] + 1) * spacing[0],
      (box.max[1] - box.min[1] + 1) * spacing[1],
      (box.max[2] - box.min[2] + 1) * spacing[2],
    ],
  };
}
