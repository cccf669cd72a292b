import {
  angleOf,
  ellipseAreaOf,
  ellipseStatistics,
  lengthOf,
  type FramePixels,
  type ImagePoint,
  type PixelSpacing,
} from '../../../../src-shared/measurements/measurement-math.js';
import type { MeasurementKindName } from '../../../../src-shared/contract/measurements.js';

export {
  angleOf,
  ellipseAreaOf,
  ellipseStatistics,
  lengthOf,
  valueUnitFor,
  type FramePixels,
  type ImagePoint,
  type PixelSpacing,
  type RegionStatistics,
} from '../../../../src-shared/measurements/measurement-math.js';

export type MeasurementKind = MeasurementKindName;

/**
 * A measurement or annotation drawn on one frame, kept in image coordinates so zoom, pan,
 * rotation and flips do not move it off the anatomy. Length, ellipse (two opposite corners of its
 * box) and arrow (tail, head) have two points; an angle has three (end, vertex, end).
 */
export interface Measurement {
  readonly id: string;
  readonly kind: MeasurementKind;
  readonly frame: number;
  readonly points: readonly ImagePoint[];
  /** What the reader wrote (an arrow's text). */
  readonly label: string;
}

function formatNumber(value: number): string {
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(1);
}

/**
 * The figure shown beside a measurement: "42.3 mm", "118 mm² · 34.2 ± 5.1 HU", "87.5°"; an
 * arrow shows its label only. Lengths are in px (said so) when the image has no pixel size.
 */
export function measurementFigure(
  measurement: Pick<Measurement, 'kind' | 'points'>,
  spacing: PixelSpacing,
  frame: FramePixels | null,
  valueUnit: string,
): string {
  const [a, b, c] = measurement.points as [ImagePoint, ImagePoint, ImagePoint | undefined];
  if (a === undefined || b === undefined) return '';
  switch (measurement.kind) {
    case 'length': {
      const { value, unit } = lengthOf(a, b, spacing);
      return `${formatNumber(value)} ${unit}`;
    }
    case 'angle': {
      const angle = c === undefined ? null : angleOf(a, b, c, spacing);
      return angle === null ? '' : `${angle.toFixed(1)}°`;
    }
    case 'arrow':
      return '';
    case 'ellipse': {
      const area = ellipseAreaOf(a, b, spacing);
      const parts = [`${formatNumber(area.value)} ${area.unit}`];
      const stats = frame === null ? null : ellipseStatistics(a, b, frame);
      if (stats !== null)
        parts.push(`${formatNumber(stats.mean)} ± ${formatNumber(stats.sd)} ${valueUnit}`);
      return parts.join(' · ');
    }
  }
}

/** The text beside a measurement on the image: its figure, then the reader's label. */
export function measurementLabel(
  measurement: Pick<Measurement, 'kind' | 'points' | 'label'>,
  spacing: PixelSpacing,
  frame: FramePixels | null,
  valueUnit: string,
): string {
  const figure = measurementFigure(measurement, spacing, frame, valueUnit);
  return [figure, measurement.label].filter((part) => part !== '').join(' · ');
}

/** A drag shorter than this (in screen pixels) is a click, not a measurement. */
export const MIN_MEASUREMENT_DRAG = 3;
