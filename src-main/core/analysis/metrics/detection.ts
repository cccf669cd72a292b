import type { BoundingBoxMm } from './bounding-box.js';
import type { SurfaceSmoothing } from './component-surface.js';
import type { ApproximateLocation, DirectionCosines } from './location.js';
import type { TriangleMesh } from './marching-cubes.js';
import type { ShapeMetrics } from './shape-metrics.js';
import type {
  Connectivity,
  MeasurementUnits,
  SpacingMm,
  Vec3,
  VolumeDims,
  VoxelBox,
} from './types.js';

/** One connected lesion of a segmentation mask, measured. */
export interface Detection {
  /** 'det-1' for the largest, 'det-2' for the next…: stable for the same mask. */
  detectionId: string;
  voxelCount: number;
  /** Mean model probability over the lesion's voxels; null when no probabilities were given. */
  confidence: number | null;
  /** 'mm' when the spacing is known; 'pixels' for a single slice of unknown pixel size. */
  units: MeasurementUnits;
  boundingBox: {
    /** Inclusive voxel-index bounds. */
    voxels: VoxelBox;
    /** null when the spacing is unknown (units = 'pixels'). */
    mm: BoundingBoxMm | null;
  };
  centroid: { voxels: Vec3; mm: Vec3 | null };
  /** 'volume' metrics for 3D masks, 'slice' metrics for single-slice images. */
  metrics: ShapeMetrics;
  location: ApproximateLocation;
  /** The lesion's surface in mm (volume frame), only with `includeMesh` and only for 3D masks. */
  mesh?: TriangleMesh;
}

export interface ExtractDetectionsInput {
  /** Non-zero = lesion; x fastest, then y, then z. */
  mask: Uint8Array;
  dims: VolumeDims;
  /**
   * Voxel spacing in mm. null only for a single slice (nz = 1) of unknown pixel size: results are
   * then in pixels. For a single slice the z spacing is not used.
   */
  spacing: SpacingMm | null;
  /** Per-voxel lesion probability (same layout as the mask), for each detection's confidence. */
  probabilities?: Float32Array;
  /** Components with fewer voxels are dropped as noise. Default 1 (keep everything). */
  minComponentVoxels?: number;
  /** Default 26 (voxels touching at a corner belong together). */
  connectivity?: Connectivity;
  /** Patient orientation of the voxel axes; default identity (x → left, y → posterior, z → up). */
  direction?: DirectionCosines;
  /** The brain's extent for the location estimate; wins over `brainMask`. */
  brainBox?: VoxelBox;
  /** A brain mask or a skull-stripped image (same layout): its non-zero box is the brain's. */
  brainMask?: ArrayLike<number>;
  /** Surface reconstruction; default 'volume-matched-gaussian'. */
  smoothing?: SurfaceSmoothing;
  /** Attach each 3D detection's surface mesh (for a viewer or an export). */
  includeMesh?: boolean;
}
