/** A point in image pixel coordinates: x along the columns, y along the rows (continuous). */
export interface ImagePoint {
  readonly x: number;
  readonly y: number;
}

export type MeasurementKind = 'length' | 'ellipse';

/** A measurement drawn on one frame, kept in image coordinates so zoom and pan do not move it. */
export interface Measurement {
  readonly id: number;
  readonly kind: MeasurementKind;
  readonly frame: number;
  /** Length: the two ends. Ellipse: two opposite corners of its bounding box. */
  readonly start: ImagePoint;
  readonly end: ImagePoint;
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
 * Mean, SD, min and max in modality units (e.g. HU) of the pixels whose centres lie inside the
 * ellipse. Null for an ellipse that holds no pixel centre.
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

function formatNumber(value: number): string {
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(1);
}

/** The label shown beside a measurement, e.g. "42.3 mm" or "118 mm² · 34.2 ± 5.1 HU". */
export function measurementLabel(
  measurement: Pick<Measurement, 'kind' | 'start' | 'end'>,
  spacing: PixelSpacing,
  frame: FramePixels | null,
  valueUnit: string,
): string {
  if (measurement.kind === 'length') {
    const { value, unit } = lengthOf(measurement.start, measurement.end, spacing);
    return `${formatNumber(value)} ${unit}`;
  }
  const area = ellipseAreaOf(measurement.start, measurement.end, spacing);
  const parts = [`${formatNumber(area.value)} ${area.unit}`];
  const stats =
    frame === null ? null : ellipseStatistics(measurement.start, measurement.end, frame);
  if (stats !== null) {
    const unit = valueUnit === '' ? '' : ` ${valueUnit}`;
    parts.push(`${formatNumber(stats.mean)} ± ${formatNumber(stats.sd)}${unit}`);
  }
  return parts.join(' · ');
}

/** The unit of the modality values: Hounsfield units for CT, none (arbitrary) otherwise. */
export function valueUnitFor(modality: string | null): string {
  return modality === 'CT' ? 'HU' : '';
}

/** A drag shorter than this (in screen pixels) is a click, not a measurement. */
export const MIN_MEASUREMENT_DRAG = 3;
