import { AppError } from '../../../../src-shared/errors.js';
import type { DirectionCosines } from '../../analysis/metrics/location.js';
import type {
  MeasurementUnits,
  SpacingMm,
  Vec3,
  VolumeDims,
} from '../../analysis/metrics/types.js';
import {
  extremePoints,
  farthestPairBruteForce,
  hemisphereDirections,
  keepRowEnds,
} from './extreme-points.js';
import { longestPerpendicularChord, type PlaneGrid } from './in-plane-chord.js';
import { checkMaskFits, cropToForeground, labelLesions, type LabelledLesion } from './lesions.js';
import { patientAxesOf, type VoxelAxis } from './patient-axes.js';

/** A measured line: its length and its two ends as fractional voxel indices (x, y, z). */
export interface MeasuredSegment {
  /** mm, or pixels when the spacing is unknown. */
  length: number;
  endpoints: [Vec3, Vec3];
}

/** RANO/WHO-style bidimensional measurement on one axial slice. */
export interface AxialDiameters {
  /** The voxel axis the slices are stacked along (the one closest to the patient's up-down). */
  sliceAxis: VoxelAxis;
  /** 0-based index of the slice along `sliceAxis` where the lesion covers the largest area. */
  slice: number;
  /** The lesion's area on that slice, mm² (pixels² when the spacing is unknown). */
  area: number;
  /** The longest in-plane diameter (in-plane maximum Feret diameter). */
  longest: MeasuredSegment;
  /** The longest chord inside the lesion perpendicular to `longest`. */
  perpendicular: MeasuredSegment;
  /** longest × perpendicular, mm² (pixels²). */
  product: number;
}

export interface LesionDiameters {
  /** 'det-1' for the largest: the ids of the analysis's detections for the same mask. */
  detectionId: string;
  voxelCount: number;
  centroidVoxel: Vec3;
  units: MeasurementUnits;
  /**
   * Maximum 3D Feret diameter: the largest distance between two points of the lesion's surface,
   * taken at the faces between lesion and background voxels. For a single slice, the in-plane one.
   */
  maxDiameter: MeasuredSegment;
  /**
   * False when the lesion's surface was too large for the exact search and the diameter was
   * taken over points extreme along many directions (at most 0.3 % short; see EXACT_FERET_POINTS).
   */
  maxDiameterExact: boolean;
  axial: AxialDiameters;
}

export interface LesionDiametersInput {
  /** Non-zero = lesion; x fastest, then y, then z (the stored analysis mask). */
  mask: Uint8Array;
  dims: VolumeDims;
  /** mm; null only for a single 2D picture of unknown pixel size (results in pixels). */
  spacing: SpacingMm | null;
  /** Patient orientation of the voxel axes (`Volume['direction']` layout); default axial stack. */
  direction?: DirectionCosines;
  /** Smaller components are left out, as the analysis left them out. Default 1. */
  minComponentVoxels?: number;
}

/**
 * Up to this many hull candidates (surface points left by `keepRowEnds`: about 1 900 for a 3 cm
 * sphere at 1 mm, 7 600 for a 6 cm one) every pair is compared, exactly. Beyond, only the points extreme along one of
 * DIRECTION_COUNT directions are compared: the lattice's directions lie within about 0.08 rad of
 * any direction, so the diameter reads short by at most 1 - cos 0.08 = 0.3 % (0.2 mm on 6 cm).
 */
const EXACT_FERET_POINTS = 2500;

/**
 * Above this many hull candidates an even subsample is searched; not met by lesions that fit
 * in a brain at clinical resolutions, it only bounds the time on absurd masks.
 */
const MAX_FERET_POINTS = 400_000;
const DIRECTION_COUNT = 512;
const DIRECTIONS = hemisphereDirections(DIRECTION_COUNT);

/**
 * Per lesion of a stored mask: the maximum 3D diameter and, on the axial slice where the lesion
 * is largest, the longest in-plane diameter, the longest diameter perpendicular to it, and their
 * product. Lesions are ordered and named as the analysis's detections ('det-1' the largest).
 *
 * Lengths run between the faces of boundary voxels (the midpoints between a lesion voxel's
 * centre and a background neighbour's, where a 0.5 iso-surface of the mask passes), so a row of n
 * voxels measures n × spacing and a sphere of radius r measures 2r within a voxel.
 */
export function lesionDiameters(input: LesionDiametersInput): LesionDiameters[] {
  const { mask, dims } = input;
  const isSlice = dims[2] === 1;
  if (input.spacing === null && !isSlice)
    throw new AppError(
      'INVALID_INPUT',
      'A 3D mask needs its voxel spacing to be measured; only a single 2D picture can be measured in pixels.',
    );
  const spacing: SpacingMm = input.spacing ?? [1, 1, 1];
  const used = isSlice ? spacing.slice(0, 2) : spacing;
  if (!used.every((s) => Number.isFinite(s) && s > 0))
    throw new AppError(
      'INVALID_INPUT',
      `Voxel spacing must be positive, got ${spacing.join(' × ')} mm.`,
    );
  const units: MeasurementUnits = input.spacing === null ? 'pixels' : 'mm';
  checkMaskFits(mask, dims);
  const crop = cropToForeground(mask, dims);
  if (crop === null) return [];
  const { labels, lesions } = labelLesions(crop.mask, crop.dims, input.minComponentVoxels ?? 1);
  const axes = patientAxesOf(input.direction);
  // A single picture is its own axial plane, whatever its orientation says.
  const plane: [VoxelAxis, VoxelAxis, VoxelAxis] = isSlice
    ? [2, 0, 1]
    : [axes.voxelAxis[2], axes.voxelAxis[0], axes.voxelAxis[1]];

  // Measured in the crop's frame, answered in the volume's.
  const shift = (p: Vec3): Vec3 => [
    p[0] + crop.offset[0],
    p[1] + crop.offset[1],
    p[2] + crop.offset[2],
  ];
  const shiftSegment = (s: MeasuredSegment): MeasuredSegment => ({
    length: s.length,
    endpoints: [shift(s.endpoints[0]), shift(s.endpoints[1])],
  });
  return lesions.map((lesion): LesionDiameters => {
    const axial = axialDiameters(labels, crop.dims, spacing, lesion, plane);
    const surface = isSlice ? null : surfaceDiameter(labels, crop.dims, spacing, lesion);
    return {
      detectionId: lesion.detectionId,
      voxelCount: lesion.voxelCount,
      centroidVoxel: shift(lesion.centroidVoxel),
      units,
      maxDiameter: shiftSegment(surface?.segment ?? axial.longest),
      maxDiameterExact: surface?.exact ?? true,
      axial: {
        ...axial,
        slice: axial.slice + crop.offset[axial.sliceAxis],
        longest: shiftSegment(axial.longest),
        perpendicular: shiftSegment(axial.perpendicular),
      },
    };
  });
}

/** Feret diameter over the lesion's boundary faces, in mm, with its ends in voxel indices. */
function surfaceDiameter(
  labels: Int32Array,
  dims: VolumeDims,
  spacing: SpacingMm,
  lesion: LabelledLesion,
): { segment: MeasuredSegment; exact: boolean } {
  const [nx, ny, nz] = dims;
  const { box, label } = lesion;
  // Doubled voxel indices: a face between voxels x and x + 1 sits at 2x + 1.
  const faces: number[] = [];
  const sliceSize = nx * ny;
  const isLesion = (i: number): boolean => labels[i] === label;
  for (let z = box.min[2]; z <= box.max[2]; z++) {
    for (let y = box.min[1]; y <= box.max[1]; y++) {
      for (let x = box.min[0], i = x + nx * y + sliceSize * z; x <= box.max[0]; x++, i++) {
        if (!isLesion(i)) continue;
        // A face towards the background (or the image's edge) carries a surface point.
        const [x2, y2, z2] = [2 * x, 2 * y, 2 * z];
        if (x === 0 || !isLesion(i - 1)) faces.push(x2 - 1, y2, z2);
        if (x === nx - 1 || !isLesion(i + 1)) faces.push(x2 + 1, y2, z2);
        if (y === 0 || !isLesion(i - nx)) faces.push(x2, y2 - 1, z2);
        if (y === ny - 1 || !isLesion(i + nx)) faces.push(x2, y2 + 1, z2);
        if (z === 0 || !isLesion(i - sliceSize)) faces.push(x2, y2, z2 - 1);
        if (z === nz - 1 || !isLesion(i + sliceSize)) faces.push(x2, y2, z2 + 1);
      }
    }
  }
  const { diameter, endpoints, exact } = farthestPairOf(
    keepRowEnds(Int32Array.from(faces)),
    spacing,
  );
  const toVoxel = (p: Vec3): Vec3 => [p[0] / spacing[0], p[1] / spacing[1], p[2] / spacing[2]];
  return {
    segment: { length: diameter, endpoints: [toVoxel(endpoints[0]), toVoxel(endpoints[1])] },
    exact,
  };
}

/**
 * The farthest pair of surface points (doubled voxel indices), in mm: every pair up to
 * EXACT_FERET_POINTS hull candidates, else the points extreme along DIRECTIONS (of an even
 * subsample beyond MAX_FERET_POINTS).
 */
function farthestPairOf(
  doubled: Int32Array,
  spacing: SpacingMm,
): { diameter: number; endpoints: [Vec3, Vec3]; exact: boolean } {
  const count = doubled.length / 3;
  const stride = Math.ceil(count / MAX_FERET_POINTS);
  const points = new Float64Array(3 * Math.ceil(count / stride));
  for (let i = 0, k = 0; i < count; i += stride, k++)
    for (let c = 0; c < 3; c++) points[3 * k + c] = (doubled[3 * i + c]! / 2) * spacing[c]!;
  const exact = count <= EXACT_FERET_POINTS;
  const { distance, ends } = farthestPairBruteForce(
    exact ? points : extremePoints(points, DIRECTIONS),
  );
  return { diameter: distance, endpoints: ends, exact };
}

/**
 * The bidimensional measurement on the slice (along `plane[0]`) where the lesion covers the most
 * voxels; `plane[1]` and `plane[2]` are the in-plane axes (patient left-right, then front-back).
 */
function axialDiameters(
  labels: Int32Array,
  dims: VolumeDims,
  spacing: SpacingMm,
  lesion: LabelledLesion,
  plane: readonly [VoxelAxis, VoxelAxis, VoxelAxis],
): AxialDiameters {
  const [a, h, v] = plane;
  const { box, label } = lesion;
  const strides: Vec3 = [1, dims[0], dims[0] * dims[1]];
  const index = (p: Vec3): number => p[0] + strides[1] * p[1] + strides[2] * p[2];
  // Area per slice, over the lesion's box only.
  const areas = new Float64Array(box.max[a] - box.min[a] + 1);
  for (let z = box.min[2]; z <= box.max[2]; z++)
    for (let y = box.min[1]; y <= box.max[1]; y++) {
      const row = index([box.min[0], y, z]);
      if (a === 0) {
        for (let x = 0; x <= box.max[0] - box.min[0]; x++)
          if (labels[row + x] === label) areas[x]! += 1;
        continue;
      }
      let count = 0;
      for (let x = 0; x <= box.max[0] - box.min[0]; x++) if (labels[row + x] === label) count++;
      areas[(a === 1 ? y : z) - box.min[a]]! += count;
    }
  let best = 0;
  for (let i = 1; i < areas.length; i++) if (areas[i]! > areas[best]!) best = i;
  const slice = box.min[a] + best;

  const [h0, v0] = [box.min[h], box.min[v]];
  const width = box.max[h] - h0 + 1;
  const height = box.max[v] - v0 + 1;
  const inside = new Uint8Array(width * height);
  const voxel: [number, number, number] = [0, 0, 0];
  voxel[a] = slice;
  for (let j = 0; j < height; j++) {
    for (let i = 0; i < width; i++) {
      voxel[h] = h0 + i;
      voxel[v] = v0 + j;
      if (labels[index(voxel)] === label) inside[i + width * j] = 1;
    }
  }
  const grid: PlaneGrid = { inside, width, height, spacing: [spacing[h], spacing[v]] };
  const longest2d = longestInPlane(grid);
  const perpendicular2d = longestPerpendicularChord(grid, longest2d.direction);
  // Back from the grid's mm (origin at the centre of its first pixel) to volume voxel indices.
  const toVoxel = (p: readonly [number, number]): Vec3 => {
    const out: [number, number, number] = [0, 0, 0];
    out[a] = slice;
    out[h] = h0 + p[0] / grid.spacing[0];
    out[v] = v0 + p[1] / grid.spacing[1];
    return out;
  };
  const segment = (s: {
    length: number;
    ends: [readonly [number, number], readonly [number, number]];
  }) => ({
    length: s.length,
    endpoints: [toVoxel(s.ends[0]), toVoxel(s.ends[1])] as [Vec3, Vec3],
  });
  return {
    sliceAxis: a,
    slice,
    area: areas[best]! * spacing[h] * spacing[v],
    longest: segment(longest2d),
    perpendicular: segment(perpendicular2d),
    product: longest2d.length * perpendicular2d.length,
  };
}

/** In-plane maximum Feret diameter over the edges between lesion and background pixels. */
function longestInPlane(grid: PlaneGrid): {
  length: number;
  ends: [readonly [number, number], readonly [number, number]];
  direction: readonly [number, number];
} {
  const { inside, width, height, spacing } = grid;
  const isIn = (i: number, j: number): boolean =>
    i >= 0 && j >= 0 && i < width && j < height && inside[i + width * j] === 1;
  const doubled: number[] = [];
  for (let j = 0; j < height; j++) {
    for (let i = 0; i < width; i++) {
      if (!isIn(i, j)) continue;
      if (!isIn(i - 1, j)) doubled.push(2 * i - 1, 2 * j, 0);
      if (!isIn(i + 1, j)) doubled.push(2 * i + 1, 2 * j, 0);
      if (!isIn(i, j - 1)) doubled.push(2 * i, 2 * j - 1, 0);
      if (!isIn(i, j + 1)) doubled.push(2 * i, 2 * j + 1, 0);
    }
  }
  const { diameter, endpoints } = farthestPairOf(keepRowEnds(Int32Array.from(doubled)), [
    spacing[0],
    spacing[1],
    1,
  ]);
  const [p, q] = endpoints;
  const direction: readonly [number, number] =
    diameter > 0 ? [(q[0] - p[0]) / diameter, (q[1] - p[1]) / diameter] : [1, 0];
  return {
    length: diameter,
    ends: [
      [p[0], p[1]],
      [q[0], q[1]],
    ],
    direction,
  };
}
