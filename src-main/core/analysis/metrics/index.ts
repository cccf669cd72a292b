/**
 * Lesion measurement from a segmentation mask: connected components, bounding boxes, surface
 * meshes, Feret diameters, shape ratios and approximate anatomical location. Pure functions on
 * typed arrays (no I/O), so they run on the main thread, in a worker or in a CLI alike.
 */
export { extractDetections } from './detections.js';
export type { Detection, ExtractDetectionsInput } from './detection.js';
export { formatDetectionSize, summarise, type DetectionSummary } from './detection-summary.js';
export {
  labelConnectedComponents,
  removeSmallComponents,
  type LabelledComponents,
} from './connected-components.js';
export {
  boundingBoxInMm,
  measureComponentExtents,
  type BoundingBoxMm,
  type ComponentExtent,
} from './bounding-box.js';
export {
  meshComponentSurface,
  smoothingSigmaVoxels,
  type ComponentSurface,
  type SurfaceSmoothing,
} from './component-surface.js';
export { marchingCubes, type MarchingCubesInput, type TriangleMesh } from './marching-cubes.js';
export { meshEnclosedVolume, meshSurfaceArea } from './surface-area.js';
export { maxFeretDiameter, type FeretDiameter } from './feret-diameter.js';
export {
  principalAxesOfComponent,
  symmetricEigen3,
  type PrincipalAxes,
  type Symmetric3,
} from './principal-axes.js';
export type { ShapeMetrics, SliceShapeMetrics, VolumeShapeMetrics } from './shape-metrics.js';
export {
  brainBoxFromVolume,
  estimateLocation,
  type ApproximateLocation,
  type BrainRegion,
  type DirectionCosines,
  type Hemisphere,
} from './location.js';
export type {
  Connectivity,
  MeasurementUnits,
  SpacingMm,
  Vec3,
  VolumeDims,
  VoxelBox,
} from './types.js';
