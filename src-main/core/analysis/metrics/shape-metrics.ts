import type { SpacingMm, Vec3 } from './types.js';

/**
 * Shape of a 3D component, named as in the Medical Imaging AI API's `metrics`. The ratios follow
 * pyradiomics' shape features, so values can be compared with published radiomics work.
 */
export interface VolumeShapeMetrics {
  kind: 'volume';
  /** Voxel count × voxel volume. */
  volume_mm3: number;
  /** Area of the reconstructed surface mesh (see `SurfaceSmoothing`). */
  surface_area_mm2: number;
  /** Maximum 3D Feret diameter: the largest distance between two surface points. */
  diameter_mm: number;
  /** π^(1/3)·(6V)^(2/3) / A: 1 for a sphere, lower for any other shape. */
  sphericity: number;
  /** sqrt(λ_minor / λ_major) of the principal moments: 1 = round cross-section, → 0 = long. */
  elongation: number;
  /** sqrt(λ_least / λ_major): 1 = round, → 0 = flat (plate-like). */
  flatness: number;
  /** pyradiomics Compactness2 = 36πV² / A³ (= sphericity³): 1 for a sphere. */
  compactness: number;
}

/**
 * Shape of a component of a single-slice image. Lengths are in mm, or in pixels when the pixel
 * spacing is unknown (the detection's `units` says which); the area accordingly in mm² or px².
 */
export interface SliceShapeMetrics {
  kind: 'slice';
  /** Pixel count × pixel area. */
  area: number;
  /** Length of the reconstructed outline. */
  perimeter: number;
  /** Maximum 2D Feret diameter. */
  diameter: number;
  /** 4π·area / perimeter²: 1 for a disc. */
  circularity: number;
  /** sqrt(λ_minor / λ_major) of the 2D principal moments. */
  elongation: number;
}

export type ShapeMetrics = VolumeShapeMetrics | SliceShapeMetrics;

export interface VolumeShapeInput {
  voxelCount: number;
  spacing: SpacingMm;
  surfaceArea_mm2: number;
  diameter_mm: number;
  /** Principal-moment eigenvalues in mm², decreasing (from principalAxesOfComponent). */
  eigenvalues: Vec3;
}

export function computeVolumeShapeMetrics(input: VolumeShapeInput): VolumeShapeMetrics {
  const volume = input.voxelCount * input.spacing[0] * input.spacing[1] * input.spacing[2];
  const area = input.surfaceArea_mm2;
  const [major, minor, least] = input.eigenvalues;
  return {
    kind: 'volume',
    volume_mm3: volume,
    surface_area_mm2: area,
    diameter_mm: input.diameter_mm,
    sphericity: area > 0 ? (Math.cbrt(Math.PI) * Math.cbrt(6 * volume) ** 2) / area : 0,
    elongation: axisRatio(minor, major),
    flatness: axisRatio(least, major),
    compactness: area > 0 ? (36 * Math.PI * volume * volume) / area ** 3 : 0,
  };
}

export interface SliceShapeInput {
  pixelCount: number;
  /** Pixel size in mm, or [1, 1] for pixel units. */
  spacing: readonly [number, number];
  perimeter: number;
  diameter: number;
  /** 2D principal-moment eigenvalues, decreasing (the third, 0, is ignored). */
  eigenvalues: Vec3;
}

export function computeSliceShapeMetrics(input: SliceShapeInput): SliceShapeMetrics {
  const area = input.pixelCount * input.spacing[0] * input.spacing[1];
  const { perimeter } = input;
  return {
    kind: 'slice',
    area,
    perimeter,
    diameter: input.diameter,
    circularity: perimeter > 0 ? (4 * Math.PI * area) / (perimeter * perimeter) : 0,
    elongation: axisRatio(input.eigenvalues[1], input.eigenvalues[0]),
  };
}

/**
 * sqrt(small / large). A single voxel has no principal direction at all (every eigenvalue 0);
 * it reads as 1, "no preferred direction", rather than a NaN that would poison reports.
 */
function axisRatio(small: number, large: number): number {
  return large > 0 ? Math.sqrt(Math.max(0, small) / large) : 1;
}
