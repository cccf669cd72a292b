import { lpsPermutationOfAxes } from '../../../../src-shared/geometry/reorient.js';
import type { Vector3 } from '../../../../src-shared/geometry/vector.js';
import type { DirectionCosines } from '../../analysis/metrics/location.js';

/** Voxel axis 0, 1 or 2. */
export type VoxelAxis = 0 | 1 | 2;

/**
 * Which voxel axis runs along each patient axis (L, P, S) and whether it runs against it. Oblique
 * series snap to the nearest axes, as the viewer and the models do: an axial plane is the voxel
 * plane closest to axial.
 */
export interface PatientAxes {
  /** voxelAxis[0] runs left-right, [1] front-back, [2] up-down. */
  voxelAxis: [VoxelAxis, VoxelAxis, VoxelAxis];
  /** reversed[o]: that voxel axis points to the patient's right, anterior or inferior. */
  reversed: [boolean, boolean, boolean];
}

const IDENTITY: DirectionCosines = [1, 0, 0, 0, 1, 0, 0, 0, 1];

export function patientAxesOf(direction: DirectionCosines = IDENTITY): PatientAxes {
  const axis = (k: number): Vector3 => [
    direction[3 * k]!,
    direction[3 * k + 1]!,
    direction[3 * k + 2]!,
  ];
  const { sourceAxis, flip } = lpsPermutationOfAxes([axis(0), axis(1), axis(2)]);
  return {
    voxelAxis: sourceAxis.map((a) => a as VoxelAxis) as [VoxelAxis, VoxelAxis, VoxelAxis],
    reversed: [flip[0], flip[1], flip[2]],
  };
}
