/**
 * Geometry: vectors, branded units and points, volume grids, voxel ↔ patient (LPS) transforms
 * and reorientation. Pure maths with no Node or DOM types, below imaging, analysis and the
 * viewer, so all of them share one definition (see docs/geometry.md).
 */
export * from './vector.js';
export * from './units.js';
export * from './affine.js';
export * from './reorient.js';
export * from './reorder-voxels.js';
