import type { ReadonlyVector3 } from '../geometry/vector.js';
import type { TriangleMesh } from './marching-cubes.js';

/** Where a volume lies in patient space (DICOM LPS, mm), as a scan describes it. */
export interface VolumePlacement {
  /** Patient position of the centre of voxel 0, 0, 0. */
  readonly origin: ReadonlyVector3;
  /** Unit vectors of the column, row and slice axes. */
  readonly direction: readonly [ReadonlyVector3, ReadonlyVector3, ReadonlyVector3];
}

/** A placement that keeps the volume's own frame (no geometry known: a PNG or a bare mask). */
export const IDENTITY_PLACEMENT: VolumePlacement = {
  origin: [0, 0, 0],
  direction: [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ],
};

/**
 * Moves a mesh from the volume's frame (voxel index × spacing, in mm) into patient space, in
 * place: p = origin + x·d₀ + y·d₁ + z·d₂. Axes that form a left-handed set (many NIfTI and
 * DICOM volumes) mirror the mesh, so its triangles are turned round to keep normals outward.
 */
export function placeInPatientSpace(mesh: TriangleMesh, placement: VolumePlacement): void {
  const [d0, d1, d2] = placement.direction;
  const o = placement.origin;
  const p = mesh.positions;
  for (let i = 0; i < p.length; i += 3) {
    const x = p[i]!;
    const y = p[i + 1]!;
    const z = p[i + 2]!;
    p[i] = o[0] + x * d0[0] + y * d1[0] + z * d2[0];
    p[i + 1] = o[1] + x * d0[1] + y * d1[1] + z * d2[1];
    p[i + 2] = o[2] + x * d0[2] + y * d1[2] + z * d2[2];
  }
  const determinant =
    d0[0] * (d1[1] * d2[2] - d1[2] * d2[1]) -
    d0[1] * (d1[0] * d2[2] - d1[2] * d2[0]) +
    d0[2] * (d1[0] * d2[1] - d1[1] * d2[0]);
  if (determinant < 0) {
    const t = mesh.indices;
    for (let i = 0; i < t.length; i += 3) {
      const swap = t[i + 1]!;
      t[i + 1] = t[i + 2]!;
      t[i + 2] = swap;
    }
  }
}
