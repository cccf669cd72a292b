import {
  cross,
  dot,
  normalise,
  vector3Of,
  type AxisVectors,
  type Orientation6,
  type ReadonlyVector3,
  type Vector3,
} from '../../../src-shared/geometry/vector.js';

/** Geometry in patient space (DICOM LPS, millimetres) of one frame that may join a volume. */
export interface SliceCandidate {
  fileId: string;
  /** 0-based frame within its file. */
  frameNumber: number;
  /** For messages: which instance this frame came from. */
  label: string;
  rows: number | null;
  columns: number | null;
  imageType: readonly string[];
  position: ReadonlyVector3 | null;
  orientation: Readonly<Orientation6> | null;
}

export interface AssembledVolume {
  /** [columns, rows, slices] */
  dims: Vector3;
  /** [column spacing, row spacing, slice spacing] in mm; slice spacing null if unknown. */
  spacing: [number, number, number | null];
  /** Centre of the first voxel of the first slice (LPS mm), null without positions. */
  origin: Vector3 | null;
  /** [row direction (along a row, i.e. column index), column direction, slice normal]. */
  direction: AxisVectors | null;
  /** The frames of the volume in slice order. */
  frames: Array<{ fileId: string; frameNumber: number }>;
  warnings: string[];
}

export interface AssemblyOptions {
  /** [column spacing, row spacing] from the header, mm. */
  pixelSpacing: [number, number] | null;
  /** Used when positions cannot give a slice spacing (single slice, no positions). */
  fallbackSliceSpacing: number | null;
}

const ORIENTATION_TOLERANCE = 1e-3;
/** Two slices closer than this along the normal are at the same position. */
const SAME_POSITION_MM = 1e-3;
/** A step this much larger than the usual one means slices are missing. */
const GAP_FACTOR = 1.5;
/** Steps differing from the usual one by more than this fraction are irregular. */
const IRREGULAR_FRACTION = 0.05;

const round = (value: number, digits = 4): number =>
  Math.round(value * 10 ** digits) / 10 ** digits;

/** The most frequent value of `key` among the items (ties: the first seen). */
function mostCommon<T>(items: readonly T[], key: (item: T) => string): string | undefined {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  let best: string | undefined;
  let bestCount = 0;
  for (const [value, count] of counts) if (count > bestCount) [best, bestCount] = [value, count];
  return best;
}

function orientationKey(o: SliceCandidate['orientation']): string {
  return o === null ? 'none' : o.map((v) => v.toFixed(3)).join(',');
}

function isLocalizer(c: SliceCandidate): boolean {
  return c.imageType.some((t) => t === 'LOCALIZER' || t === 'SCOUT');
}

function sameOrientation(a: readonly number[], b: readonly number[]): boolean {
  return a.every((v, i) => Math.abs(v - b[i]!) <= ORIENTATION_TOLERANCE * 10);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The usual step: the median of the steps between consecutive slices. */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function describeSpacing(steps: readonly number[], usual: number): string[] {
  const warnings: string[] = [];
  const gaps = steps
    .map((step, i) => ({ step, i }))
    .filter(({ step }) => step > usual * GAP_FACTOR);
  for (const { step, i } of gaps.slice(0, 5)) {
    const missing = Math.round(step / usual) - 1;
    warnings.push(
      `Gap: ${round(step, 2)} mm between slices ${i + 1} and ${i + 2} where ${round(usual, 2)} mm is usual ` +
        `(about ${plural(missing, 'slice')} missing); measurements across the gap are interpolated.`,
    );
  }
  if (gaps.length > 5) warnings.push(`${gaps.length - 5} more gaps between slices.`);
  const irregular = steps.filter(
    (step) => step <= usual * GAP_FACTOR && Math.abs(step - usual) > usual * IRREGULAR_FRACTION,
  );
  if (irregular.length > 0) {
    warnings.push(
      `Irregular slice spacing: ${plural(irregular.length, 'step')} between ${round(Math.min(...irregular), 2)} ` +
        `and ${round(Math.max(...irregular), 2)} mm where ${round(usual, 2)} mm is usual.`,
    );
  }
  return warnings;
}

/**
 * Builds a volume from the frames of a series: drops localizers and frames whose size or
 * orientation differs from the majority, sorts the rest along the slice normal
 * (ImagePositionPatient · (row × column direction)), and derives the slice spacing, origin and
 * direction cosines. Gaps, irregular spacing and everything left out are reported as warnings.
 */
export function assembleVolume(
  candidates: readonly SliceCandidate[],
  options: AssemblyOptions,
): AssembledVolume {
  const warnings: string[] = [];
  const localizers = candidates.filter(isLocalizer);
  let kept = candidates.filter((c) => !isLocalizer(c));
  if (localizers.length > 0) {
    warnings.push(`${plural(localizers.length, 'localizer image')} kept out of the volume.`);
  }
  if (kept.length === 0) kept = [...candidates];

  const sizeKey = mostCommon(kept, (c) => `${c.columns}x${c.rows}`);
  const wrongSize = kept.filter((c) => `${c.columns}x${c.rows}` !== sizeKey);
  if (wrongSize.length > 0) {
    warnings.push(
      `${plural(wrongSize.length, 'image')} of another size than ${sizeKey} kept out of the volume (${wrongSize
        .slice(0, 3)
        .map((c) => c.label)
        .join(', ')}${wrongSize.length > 3 ? ', …' : ''}).`,
    );
    kept = kept.filter((c) => `${c.columns}x${c.rows}` === sizeKey);
  }
  const first = kept[0];
  const columns = first?.columns ?? 0;
  const rows = first?.rows ?? 0;
  const spacingXY = options.pixelSpacing ?? [1, 1];

  const orientationKeyOfMost = mostCommon(kept, (c) => orientationKey(c.orientation));
  const reference = kept.find(
    (c) => orientationKey(c.orientation) === orientationKeyOfMost,
  )?.orientation;
  const rowDirection = reference ? normalise(vector3Of(reference, 0)) : null;
  const columnDirection = reference ? normalise(vector3Of(reference, 3)) : null;
  const normal =
    rowDirection && columnDirection ? normalise(cross(rowDirection, columnDirection)) : null;
  const positioned = kept.filter(
    (c) =>
      c.position !== null &&
      c.orientation !== null &&
      reference &&
      sameOrientation(c.orientation, reference),
  );

  if (
    normal === null ||
    rowDirection === null ||
    columnDirection === null ||
    positioned.length === 0
  ) {
    if (kept.length > 1) {
      warnings.push(
        'Images carry no position or orientation: slices are in instance order, without geometry.',
      );
    }
    return {
      dims: [columns, rows, kept.length],
      spacing: [spacingXY[0], spacingXY[1], options.fallbackSliceSpacing],
      origin: null,
      direction: null,
      frames: kept.map((c) => ({ fileId: c.fileId, frameNumber: c.frameNumber })),
      warnings,
    };
  }
  const mismatched = kept.length - positioned.length;
  if (mismatched > 0) {
    warnings.push(
      `${plural(mismatched, 'image')} with another orientation or no position kept out of the volume.`,
    );
  }

  const sorted = positioned
    .map((c) => ({ c, distance: dot(c.position!, normal) }))
    .sort((a, b) => a.distance - b.distance);
  const unique: typeof sorted = [];
  for (const entry of sorted) {
    const last = unique[unique.length - 1];
    if (last !== undefined && Math.abs(entry.distance - last.distance) < SAME_POSITION_MM) continue;
    unique.push(entry);
  }
  if (unique.length < sorted.length) {
    warnings.push(
      `${plural(sorted.length - unique.length, 'image')} at an already occupied position (repeats, echoes or ` +
        'time points) kept out of the volume.',
    );
  }
  const steps = unique.slice(1).map((entry, i) => entry.distance - unique[i]!.distance);
  const usualStep = steps.length > 0 ? median(steps) : null;
  if (usualStep !== null) warnings.push(...describeSpacing(steps, usualStep));
  const origin = unique[0]!.c.position!;
  return {
    dims: [columns, rows, unique.length],
    spacing: [
      spacingXY[0],
      spacingXY[1],
      usualStep === null ? options.fallbackSliceSpacing : round(usualStep),
    ],
    origin: [origin[0], origin[1], origin[2]],
    direction: [rowDirection, columnDirection, normal].map((v) =>
      v.map((x) => round(x, 6)),
    ) as AxisVectors,
    frames: unique.map(({ c }) => ({ fileId: c.fileId, frameNumber: c.frameNumber })),
    warnings,
  };
}
