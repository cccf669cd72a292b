import type { ComponentExtent } from './bounding-box.js';
import { contourComponent } from './component-contour.js';
import { meshComponentSurface, type SurfaceSmoothing } from './component-surface.js';
import { maxFeretDiameter } from './feret-diameter.js';
import type { TriangleMesh } from './marching-cubes.js';
import { principalAxesOfComponent } from './principal-axes.js';
import {
  computeSliceShapeMetrics,
  computeVolumeShapeMetrics,
  type ShapeMetrics,
} from './shape-metrics.js';
import { meshSurfaceArea } from './surface-area.js';
import type { SpacingMm, VolumeDims } from './types.js';

export interface ComponentShapeInput {
  labels: Int32Array;
  dims: VolumeDims;
  extent: ComponentExtent;
  /** mm, or [1, 1, 1] for pixel units. */
  spacing: SpacingMm;
  smoothing?: SurfaceSmoothing;
}

/**
 * Shape metrics of one labelled component: from its surface mesh in 3D, from its outline on a
 * single slice (nz = 1). The 3D mesh comes back too, for whoever wants to show or export it.
 */
export function measureComponentShape(input: ComponentShapeInput): {
  metrics: ShapeMetrics;
  mesh: TriangleMesh | null;
} {
  const { labels, dims, extent, spacing } = input;
  const { label, box, voxelCount } = extent;
  const { eigenvalues } = principalAxesOfComponent(labels, dims, label, box, spacing);
  const smoothing = input.smoothing === undefined ? {} : { smoothing: input.smoothing };
  if (dims[2] === 1) {
    const pixel: [number, number] = [spacing[0], spacing[1]];
    const contour = contourComponent({
      labels,
      dims,
      label,
      box,
      pixelCount: voxelCount,
      spacing: pixel,
      ...smoothing,
    });
    const metrics = computeSliceShapeMetrics({
      pixelCount: voxelCount,
      spacing: pixel,
      perimeter: contour.length,
      diameter: maxFeretDiameter(segmentEndpoints(contour.segments)).diameter,
      eigenvalues,
    });
    return { metrics, mesh: null };
  }
  const { mesh } = meshComponentSurface({
    labels,
    dims,
    label,
    box,
    voxelCount,
    spacing,
    ...smoothing,
  });
  const metrics = computeVolumeShapeMetrics({
    voxelCount,
    spacing,
    surfaceArea_mm2: meshSurfaceArea(mesh),
    diameter_mm: maxFeretDiameter(mesh.positions).diameter,
    eigenvalues,
  });
  return { metrics, mesh };
}

/** Contour segment endpoints as 3D points (z = 0), for the Feret search. */
function segmentEndpoints(segments: Float64Array): Float64Array {
  const points = new Float64Array((segments.length / 2) * 3);
  for (let s = 0, p = 0; s < segments.length; s += 2, p += 3) {
    points[p] = segments[s]!;
    points[p + 1] = segments[s + 1]!;
  }
  return points;
}
