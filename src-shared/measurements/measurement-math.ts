/**
 * The figures of a measurement drawn on one frame, in image pixel coordinates (x along the
 * columns, y along the rows, continuous: pixel (0, 0) covers [0, 1) × [0, 1)). Pure maths, so the
 * viewer (while drawing) and the core (when saving, for reports and CSV) compute the same values.
 */

/** A point in image pixel coordinates. */
export interface ImagePoint {
  readonly x: number;
  readonly y: number;
}

/** Pixel size in mm as [horizontal (between columns), vertical (between rows)], if known. */
export type PixelSpacing = readonly [number, number] | null;

/** The frame's values a region statistic reads: stored values and their rescale. */
export interface FramePixels {
  readonly columns: number;
  readonly rows: number;
  readonly values: ArrayLike<number>;
  readonly slope: number;
  readonly intercept: number;
}

export interface RegionStatistics {
  readonly pixels: number;
  readonly mean: number;
  readonly sd: number;
  readonly min: number;
  readonly max: number;
}

/** Length in mm, or in pixels when the image has no pixel spacing. */
export function lengthOf(
  start: ImagePoint,
  end: ImagePoint,
  spacing: PixelSpacing,
): { value: number; unit: 'mm' | 'px' } {
  const [sx, sy] = spacing ?? [1, 1];
  const value = Math.hypot((end.x - start.x) * sx, (end.y - start.y) * sy);
  return { value, unit: spacing === null ? 'px' : 'mm' };
}

/** Area of the ellipse inscribed in the box from `start` to `end`: π·a·b, in mm² or px². */
export function ellipseAreaOf(
  start: ImagePoint,
  end: ImagePoint,
  spacing: PixelSpacing,
): { value: number; unit: 'mm²' | 'px²' } {
  const [sx, sy] = spacing ?? [1, 1];
  const a = (Math.abs(end.x - start.x) / 2) * sx;
  const b = (Math.abs(end.y - start.y) / 2) * sy;
  return { value: Math.PI * a * b, unit: spacing === null ? 'px²' : 'mm²' };
}

/**
 * The angle at `vertex` between the rays to `a` and `b`, in degrees (0–180), measured in mm
 * (non-square pixels change angles). Null when a ray has no length.
 */
export function angleOf(
  a: ImagePoint,
  vertex: ImagePoint,
  b: ImagePoint,
  spacing: PixelSpacing,
): number | null {
  const [sx, sy] = spacing ?? [1, 1];
  const ux = (a.x - vertex.x) * sx;
  const uy = (a.y - vertex.y) * sy;
  const vx = (b.x - vertex.x) * sx;
  const vy = (b.y - vertex.y) * sy;
  const lengths = Math.hypot(ux, uy) * Math.hypot(vx, vy);
  if (lengths === 0) return null;
  const cosine = Math.min(1, Math.max(-1, (ux * vx + uy * vy) / lengths));
  return (Math.acos(cosine) * 180) / Math.PI;
}

/**
 * Mean, SD (population), min and max in modality units (e.g. HU) of the pixels whose centres
 * lie inside the ellipse. Null for an ellipse that holds no pixel centre.
 */
export function ellipseStatistics(
  start: ImagePoint,
  end: ImagePoint,
  frame: FramePixels,
): RegionStatistics | null {
  const cx = (start.x + end.x) / 2;
  const cy = (start.y + end.y) / 2;
  const rx = Math.abs(end.x - start.x) / 2;
  const ry = Math.abs(end.y - start.y) / 2;
  if (rx === 0 || ry === 0) return null;
  const firstRow = Math.max(0, Math.floor(cy - ry));
  const lastRow = Math.min(frame.rows - 1, Math.ceil(cy + ry));
  const firstColumn = Math.max(0, Math.floor(cx - rx));
  const lastColumn = Math.min(frame.columns - 1, Math.ceil(cx + rx));
  let count = 0;
  let sum = 0;
  let sumOfSquares = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let row = firstRow; row <= lastRow; row++) {
    const dy = (row + 0.5 - cy) / ry;
    for (let column = firstColumn; column <= lastColumn; column++) {
      const dx = (column + 0.5 - cx) / rx;
      if (dx * dx + dy * dy > 1) continue;
      const value =
        (frame.values[row * frame.columns + column] as number) * frame.slope + frame.intercept;
      count++;
      sum += value;
      sumOfSquares += value * value;
      if (value < min) min = value;
      if (value > max) max = value;
    }
  }
  if (count === 0) return null;
  const mean = sum / count;
  const variance = Math.max(0, sumOfSquares / count - mean * mean);
  return { pixels: count, mean, sd: Math.sqrt(variance), min, max };
}

/**
 * The unit of a scan's modality values: Hounsfield units for CT; "a.u." (arbitrary units)
 * otherwise, since MR intensities have no fixed scale and are not HU.
 */
export function valueUnitFor(modality: string | null): string {
  return modality === 'CT' ? 'HU' : 'a.u.';
}
