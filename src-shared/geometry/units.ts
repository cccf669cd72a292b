import type { ReadonlyVector3 } from './vector.js';

/**
 * Branded numbers and points: the same `number` underneath, but a length in millimetres, a
 * count of voxels, a point in patient space and a voxel index cannot be passed for one another.
 * The brands exist only for the compiler; the constructors below are the one place a plain
 * number becomes one (mirrors Excalidraw's branded coordinate spaces).
 */
declare const unit: unique symbol;
declare const space: unique symbol;

/** A length or coordinate in millimetres. */
export type Millimetres = number & { readonly [unit]: 'mm' };
/** A voxel index or a count of voxels along an axis (may be fractional between voxel centres). */
export type Voxels = number & { readonly [unit]: 'voxels' };

/** A position in patient space: DICOM LPS (+x patient left, +y posterior, +z superior), mm. */
export type PatientPoint = readonly [Millimetres, Millimetres, Millimetres] & {
  readonly [space]: 'patient-lps';
};
/** A position on a volume's voxel grid: (i column, j row, k slice); integers at voxel centres. */
export type VoxelPoint = readonly [Voxels, Voxels, Voxels] & { readonly [space]: 'voxel' };

export const millimetres = (value: number): Millimetres => value as Millimetres;
export const voxels = (value: number): Voxels => value as Voxels;

export function patientPoint(position: ReadonlyVector3): PatientPoint {
  return [position[0], position[1], position[2]] as unknown as PatientPoint;
}

export function voxelPoint(index: ReadonlyVector3): VoxelPoint {
  return [index[0], index[1], index[2]] as unknown as VoxelPoint;
}
