/**
 * Shared shapes of the metrics module. Units are carried in names: `…Voxel` / `voxels` are voxel
 * indices (x fastest, then y, then z), `…Mm` / `mm` are millimetres in the volume's own frame
 * (voxel index × spacing, origin at the centre of voxel [0, 0, 0]).
 */
import type { ReadonlyVector3 } from '../../../../src-shared/geometry/vector.js';

/** A point or vector with three components (the geometry module's triple, read only). */
export type Vec3 = ReadonlyVector3;

/** [nx, ny, nz]: voxels along x, y and z; a 2D image has nz = 1. */
export type VolumeDims = ReadonlyVector3;

/** [sx, sy, sz]: distance in millimetres between neighbouring voxel centres along x, y and z. */
export type SpacingMm = ReadonlyVector3;

/** 26 joins voxels sharing a face, an edge or a corner; 6 only those sharing a face. */
export type Connectivity = 6 | 26;

/** How lengths, areas and volumes are expressed: millimetres, or pixels when spacing is unknown. */
export type MeasurementUnits = 'mm' | 'pixels';

/** Inclusive voxel-index bounds of a region. */
export interface VoxelBox {
  min: Vec3;
  max: Vec3;
}

/** Number of voxels in a volume of these dimensions. */
export const voxelCountOf = (dims: VolumeDims): number => dims[0] * dims[1] * dims[2];

/** Scales a voxel-index point into millimetres. */
export const voxelToMm = (point: Vec3, spacing: SpacingMm): Vec3 => [
  point[0] * spacing[0],
  point[1] * spacing[1],
  point[2] * spacing[2],
];
