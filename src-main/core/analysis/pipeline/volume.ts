import type { Vector3, ReadonlyVector3 } from '../../../../src-shared/geometry/vector.js';
/**
 * A scalar volume as the analysis sees it: voxel values with x (columns) fastest, then y
 * (rows), then z (slices), and the geometry that maps voxel indices to patient space (LPS, mm).
 */
export interface Volume {
  dims: Vector3;
  /** Voxel size in mm along x, y, z; null where the source has none (PNG/JPEG). */
  spacing: Vector3 | null;
  /**
   * Unit vectors of the voxel axes in LPS patient space: [x axis (3), y axis (3), z axis (3)].
   * Identity means columns run to patient left, rows to posterior, slices to superior.
   */
  direction: [number, number, number, number, number, number, number, number, number];
  data: Float32Array;
}

export const IDENTITY_DIRECTION: Volume['direction'] = [1, 0, 0, 0, 1, 0, 0, 0, 1];

export function voxelCount(dims: ReadonlyVector3): number {
  return dims[0] * dims[1] * dims[2];
}
