import { patientPoint, voxelPoint, type PatientPoint, type VoxelPoint } from './units.js';
import type { AxisVectors, ReadonlyVector3, Vector3 } from './vector.js';

/**
 * A voxel-to-patient affine: patient = m · [i, j, k] + offset. Column c of `m` is voxel axis c
 * scaled by its spacing; `offset` is the centre of voxel (0, 0, 0). Neurosphere keeps patient
 * space in DICOM's LPS; NIfTI's RAS appears only at the file boundary (see rasToLps).
 */
export interface Affine {
  /** m[row][column], row = patient axis, column = voxel axis. */
  m: [Vector3, Vector3, Vector3];
  offset: Vector3;
}

/**
 * Where a volume's voxels lie: what DICOM (Image Position/Orientation, Pixel Spacing) and NIfTI
 * (qform/sform) both describe, in the form the scans table stores it.
 */
export interface VolumeGrid {
  /** Voxels along each axis: [columns, rows, slices]. */
  dims: Vector3;
  /** Distance between neighbouring voxel centres along each axis, mm. */
  spacing: Vector3;
  /** Centre of voxel (0, 0, 0), LPS mm. */
  origin: Vector3;
  /** Unit vectors of the voxel axes in LPS: [column axis, row axis, slice axis]. */
  direction: AxisVectors;
}

export function affineOfGrid(grid: Pick<VolumeGrid, 'spacing' | 'origin' | 'direction'>): Affine {
  const { spacing, origin, direction } = grid;
  const row = (r: number): Vector3 => [
    direction[0][r]! * spacing[0],
    direction[1][r]! * spacing[1],
    direction[2][r]! * spacing[2],
  ];
  return { m: [row(0), row(1), row(2)], offset: [origin[0], origin[1], origin[2]] };
}

/** Voxel sizes (column norms) and unit direction vectors of an affine's axes. */
export function spacingAndDirection(a: Affine): { spacing: Vector3; direction: AxisVectors } {
  const spacing = [0, 1, 2].map((col) =>
    Math.hypot(a.m[0][col]!, a.m[1][col]!, a.m[2][col]!),
  ) as Vector3;
  const direction = [0, 1, 2].map((col) =>
    [0, 1, 2].map((row) => a.m[row]![col]! / (spacing[col] || 1)),
  ) as AxisVectors;
  return { spacing, direction };
}

export function gridOfAffine(a: Affine, dims: ReadonlyVector3): VolumeGrid {
  return { dims: [dims[0], dims[1], dims[2]], origin: [...a.offset], ...spacingAndDirection(a) };
}

/** The centre of voxel `index` (fractional indices allowed) in patient space. */
export function voxelToPatient(a: Affine, index: VoxelPoint): PatientPoint {
  const [i, j, k] = index;
  return patientPoint(
    [0, 1, 2].map(
      (r) => a.m[r]![0]! * i + a.m[r]![1]! * j + a.m[r]![2]! * k + a.offset[r]!,
    ) as Vector3,
  );
}

/** The (fractional) voxel index at patient position `point`: the inverse of voxelToPatient. */
export function patientToVoxel(a: Affine, point: PatientPoint): VoxelPoint {
  const [[a00, a01, a02], [a10, a11, a12], [a20, a21, a22]] = a.m;
  const c00 = a11 * a22 - a12 * a21;
  const c01 = a12 * a20 - a10 * a22;
  const c02 = a10 * a21 - a11 * a20;
  const determinant = a00 * c00 + a01 * c01 + a02 * c02;
  if (Math.abs(determinant) < 1e-12)
    throw new Error(
      'patientToVoxel: the affine is singular (two voxel axes are parallel or a spacing is 0).',
    );
  // The inverse is the transposed cofactor matrix over the determinant.
  const inverse: [Vector3, Vector3, Vector3] = [
    [c00, a02 * a21 - a01 * a22, a01 * a12 - a02 * a11],
    [c01, a00 * a22 - a02 * a20, a02 * a10 - a00 * a12],
    [c02, a01 * a20 - a00 * a21, a00 * a11 - a01 * a10],
  ];
  const d: Vector3 = [point[0] - a.offset[0], point[1] - a.offset[1], point[2] - a.offset[2]];
  return voxelPoint(
    inverse.map((row) => (row[0] * d[0] + row[1] * d[1] + row[2] * d[2]) / determinant) as Vector3,
  );
}

/**
 * NIfTI's patient space is RAS+, DICOM's (and Neurosphere's) LPS+: negate x and y. The change
 * is its own inverse, so the same function turns LPS into RAS.
 */
export function rasToLps(a: Affine): Affine {
  return {
    m: [a.m[0].map((v) => -v) as Vector3, a.m[1].map((v) => -v) as Vector3, [...a.m[2]]],
    offset: [-a.offset[0], -a.offset[1], a.offset[2]],
  };
}

export const lpsToRas: (a: Affine) => Affine = rasToLps;

/** The three rows of a NIfTI sform/qform-style 3×4 matrix: [m row | offset]. */
export function affineRows(a: Affine): [number[], number[], number[]] {
  return [
    [...a.m[0], a.offset[0]],
    [...a.m[1], a.offset[1]],
    [...a.m[2], a.offset[2]],
  ];
}
