import { cropComponent } from './component-crop.js';
import { smoothingSigmaVoxels, type SurfaceSmoothing } from './component-surface.js';
import { gaussianSmooth } from './gaussian-smoothing.js';
import { findVolumeMatchedIsoLevel } from './iso-level-search.js';
import { marchingSquares, type Contour2D } from './marching-squares.js';
import type { Vec3, VolumeDims, VoxelBox } from './types.js';

export interface ComponentContourInput {
  labels: Int32Array;
  /** A single slice: nz = 1. */
  dims: VolumeDims;
  label: number;
  box: VoxelBox;
  pixelCount: number;
  /** Pixel size along x and y: mm, or [1, 1] for pixels. */
  spacing: readonly [number, number];
  smoothing?: SurfaceSmoothing;
}

/**
 * The outline of one component of a single-slice image, reconstructed as in 3D (see
 * `SurfaceSmoothing`): blurred, then cut at the level whose contour encloses the pixel-count area.
 */
export function contourComponent(input: ComponentContourInput): Contour2D {
  const { labels, dims, label, box, spacing } = input;
  if (dims[2] !== 1) throw new RangeError('contourComponent expects a single slice');
  const isSmoothed = (input.smoothing ?? 'volume-matched-gaussian') === 'volume-matched-gaussian';
  // The same blur as in 3D (see smoothingSigmaVoxels), in the slice's plane only.
  const inPlane = smoothingSigmaVoxels([spacing[0], spacing[1], Math.min(spacing[0], spacing[1])]);
  const sigma: Vec3 = isSmoothed ? [inPlane[0], inPlane[1], 0] : [0, 0, 0];
  const pad: Vec3 = [Math.ceil(3 * sigma[0]) + 1, Math.ceil(3 * sigma[1]) + 1, 0];
  const crop = cropComponent(labels, dims, label, box, pad);
  const contourAt = (field: Float32Array, isoLevel: number): Contour2D =>
    marchingSquares({
      field,
      dims: [crop.dims[0], crop.dims[1]],
      isoLevel,
      spacing,
      origin: [crop.start[0] * spacing[0], crop.start[1] * spacing[1]],
    });
  if (!isSmoothed) return contourAt(crop.field, 0.5);

  const field = gaussianSmooth(crop.field, crop.dims, sigma);
  const top = 0.999 * field.reduce((a, b) => Math.max(a, b), 0);
  return findVolumeMatchedIsoLevel(
    (level) => {
      const contour = contourAt(field, level);
      return { enclosed: contour.enclosedArea, surface: contour };
    },
    input.pixelCount * spacing[0] * spacing[1],
    top,
  ).surface;
}
