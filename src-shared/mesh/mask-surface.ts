import type { ReadonlyVector3 } from '../geometry/vector.js';
import { decimateToTarget } from './decimate.js';
import type { MaskComponent } from './label-components.js';
import { marchingCubes, type TriangleMesh } from './marching-cubes.js';
import { smoothMesh } from './smoothing.js';

/** How fine a surface is: grid step, smoothing and the triangle budget after decimation. */
export interface SurfaceQuality {
  /** Voxels per grid step along each axis (1: every voxel). */
  readonly downsample: number;
  /** Taubin λ|μ pairs. */
  readonly smoothingIterations: number;
  /** Decimated down to about this many triangles. */
  readonly maxTriangles: number;
}

export const MESH_QUALITIES = ['low', 'medium', 'high'] as const;
export type MeshQuality = (typeof MESH_QUALITIES)[number];

/** The seed's quality option for tumour surfaces. */
export const LESION_QUALITY: Readonly<Record<MeshQuality, SurfaceQuality>> = {
  low: { downsample: 2, smoothingIterations: 8, maxTriangles: 4_000 },
  medium: { downsample: 1, smoothingIterations: 12, maxTriangles: 20_000 },
  high: { downsample: 1, smoothingIterations: 16, maxTriangles: 200_000 },
};

/** The seed's quality option for the head surface (its grid step is chosen when reading frames). */
export const HEAD_QUALITY: Readonly<Record<MeshQuality, SurfaceQuality>> = {
  low: { downsample: 4, smoothingIterations: 4, maxTriangles: 20_000 },
  medium: { downsample: 3, smoothingIterations: 6, maxTriangles: 60_000 },
  high: { downsample: 2, smoothingIterations: 8, maxTriangles: 250_000 },
};

/** Blurs a field in place with the [1 2 1]/4 kernel along each axis (edges clamped). */
export function blur121(field: Float32Array, dims: ReadonlyVector3): void {
  const [nx, ny, nz] = dims;
  const steps = [1, nx, nx * ny];
  const sizes = [nx, ny, nz];
  const line = new Float32Array(Math.max(nx, ny, nz));
  for (let axis = 0; axis < 3; axis++) {
    const step = steps[axis]!;
    const size = sizes[axis]!;
    if (size < 3) continue;
    const [a, b] = axis === 0 ? [ny, nz] : axis === 1 ? [nx, nz] : [nx, ny];
    for (let u = 0; u < b; u++)
      for (let w = 0; w < a; w++) {
        const base = axis === 0 ? nx * (w + ny * u) : axis === 1 ? w + nx * ny * u : w + nx * u;
        for (let i = 0; i < size; i++) line[i] = field[base + i * step]!;
        for (let i = 0; i < size; i++) {
          const left = line[i === 0 ? 0 : i - 1]!;
          const right = line[i === size - 1 ? i : i + 1]!;
          field[base + i * step] = 0.25 * left + 0.5 * line[i]! + 0.25 * right;
        }
      }
  }
}

/**
 * The closed surface of one lesion in millimetres in the volume's own frame (voxel index ×
 * spacing; origin at the centre of voxel 0, 0, 0). The lesion's voxels are averaged into blocks
 * of `downsample`³ (a partial-volume fraction, so a coarser grid still places the surface
 * between samples), blurred lightly, cut at ½ by marching cubes, Taubin-smoothed back to the
 * voxel-count volume, and decimated to the quality's triangle budget.
 */
export function lesionSurface(
  labels: Int32Array,
  dims: ReadonlyVector3,
  component: MaskComponent,
  spacing: ReadonlyVector3,
  quality: SurfaceQuality,
): TriangleMesh {
  const f = Math.max(1, Math.round(quality.downsample));
  const pad = 2;
  const [nx, ny] = dims;
  const { min, max, id } = component;
  const size = [0, 1, 2].map((axis) => Math.ceil((max[axis]! - min[axis]! + 1) / f) + 2 * pad) as [
    number,
    number,
    number,
  ];
  const field = new Float32Array(size[0] * size[1] * size[2]);
  const share = 1 / (f * f * f);
  for (let z = min[2]; z <= max[2]; z++) {
    const cz = Math.floor((z - min[2]) / f) + pad;
    for (let y = min[1]; y <= max[1]; y++) {
      const cy = Math.floor((y - min[1]) / f) + pad;
      const row = nx * (y + ny * z);
      const cellRow = size[0] * (cy + size[1] * cz);
      for (let x = min[0]; x <= max[0]; x++)
        if (labels[row + x] === id) field[cellRow + Math.floor((x - min[0]) / f) + pad]! += share;
    }
  }
  blur121(field, size);
  // Grid sample c covers fine voxels from min + (c − pad)·f; its centre is (f − 1)/2 further on.
  const origin = [0, 1, 2].map((axis) => (min[axis]! - pad * f + (f - 1) / 2) * spacing[axis]!) as [
    number,
    number,
    number,
  ];
  const raw = marchingCubes({
    field,
    dims: size,
    isoLevel: 0.5,
    spacing: [spacing[0] * f, spacing[1] * f, spacing[2] * f],
    origin,
  });
  const voxelVolume = spacing[0] * spacing[1] * spacing[2];
  const smooth = smoothMesh(raw, {
    iterations: quality.smoothingIterations,
    targetVolume: component.voxelCount * voxelVolume,
  });
  return decimateToTarget(smooth, quality.maxTriangles);
}

/**
 * The iso-surface of a scalar volume (the head or brain from a scan) at `threshold`, already
 * sampled on the grid the caller chose: blurred lightly, cut, smoothed and decimated.
 */
export function scalarSurface(
  field: Float32Array,
  dims: ReadonlyVector3,
  spacing: ReadonlyVector3,
  threshold: number,
  quality: SurfaceQuality,
): TriangleMesh {
  // A layer of background around the volume closes the surface where the head touches the edge.
  const padded = padWith(field, dims, Math.min(threshold - 1, minOf(field)));
  const paddedDims: ReadonlyVector3 = [dims[0] + 2, dims[1] + 2, dims[2] + 2];
  blur121(padded, paddedDims);
  const raw = marchingCubes({
    field: padded,
    dims: paddedDims,
    isoLevel: threshold,
    spacing,
    origin: [-spacing[0], -spacing[1], -spacing[2]],
  });
  const smooth = smoothMesh(raw, { iterations: quality.smoothingIterations });
  return decimateToTarget(smooth, quality.maxTriangles);
}

function minOf(values: Float32Array): number {
  let least = Infinity;
  for (const value of values) if (value < least) least = value;
  return least;
}

function padWith(field: Float32Array, dims: ReadonlyVector3, value: number): Float32Array {
  const [nx, ny, nz] = dims;
  const px = nx + 2;
  const py = ny + 2;
  const padded = new Float32Array(px * py * (nz + 2)).fill(value);
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      padded.set(
        field.subarray(nx * (y + ny * z), nx * (y + ny * z) + nx),
        1 + px * (y + 1 + py * (z + 1)),
      );
  return padded;
}

/**
 * Otsu's threshold of a volume's values (256 bins between its minimum and maximum): the level
 * that best separates background from tissue, where the head surface is drawn.
 */
export function otsuThreshold(values: Float32Array): number {
  let low = Infinity;
  let high = -Infinity;
  for (const v of values) {
    if (v < low) low = v;
    if (v > high) high = v;
  }
  if (!(high > low)) return low;
  const bins = 256;
  const histogram = new Float64Array(bins);
  const scale = (bins - 1) / (high - low);
  for (const v of values) histogram[Math.round((v - low) * scale)]!++;
  let total = 0;
  let sum = 0;
  for (let b = 0; b < bins; b++) {
    total += histogram[b]!;
    sum += b * histogram[b]!;
  }
  let weightBelow = 0;
  let sumBelow = 0;
  let best = 0;
  let bestBin = 0;
  let lastBestBin = 0;
  for (let b = 0; b < bins; b++) {
    weightBelow += histogram[b]!;
    if (weightBelow === 0) continue;
    const weightAbove = total - weightBelow;
    if (weightAbove === 0) break;
    sumBelow += b * histogram[b]!;
    const meanBelow = sumBelow / weightBelow;
    const meanAbove = (sum - sumBelow) / weightAbove;
    const between = weightBelow * weightAbove * (meanBelow - meanAbove) ** 2;
    if (between > best * (1 + 1e-9)) {
      best = between;
      bestBin = b;
      lastBestBin = b;
    } else if (between >= best * (1 - 1e-9)) lastBestBin = b;
  }
  // Where empty bins separate the classes, every level between them is as good: take the middle.
  return low + ((bestBin + lastBestBin) / 2 + 0.5) / scale;
}
