import type {
  MeasuredValue,
  MeasurementKindName,
  SavedMeasurement,
} from '../../../src-shared/contract/measurements.js';
import type { Scan } from '../../../src-shared/contract/entities.js';
import { frameSamples } from '../../../src-shared/contract/frames.js';
import {
  angleOf,
  ellipseAreaOf,
  ellipseStatistics,
  lengthOf,
  valueUnitFor,
  type ImagePoint,
  type PixelSpacing,
} from '../../../src-shared/measurements/measurement-math.js';
import type { FrameService } from '../imaging/frame-service.js';

function spacingOf(scan: Pick<Scan, 'spacing'>): PixelSpacing {
  return scan.spacing === null ? null : [scan.spacing[0], scan.spacing[1]];
}

/**
 * Where image points of frame `frame` lie in patient space (LPS, mm): the centre of pixel
 * (i, j) of slice k is origin + i·sx·d0 + j·sy·d1 + k·sz·d2, and image coordinates are offset by
 * half a pixel from pixel indices. Null without geometry (pictures, or a stack without a slice
 * spacing beyond its first slice).
 */
export function patientPointsOf(
  scan: Pick<Scan, 'spacing' | 'origin' | 'direction'>,
  frame: number,
  points: readonly ImagePoint[],
): SavedMeasurement['patientPoints'] {
  if (scan.spacing === null || scan.origin === null || scan.direction === null) return null;
  const [sx, sy, sz] = scan.spacing;
  if (sz === null && frame > 0) return null;
  const [d0, d1, d2] = scan.direction;
  const origin = scan.origin;
  return points.map((p) => {
    const i = p.x - 0.5;
    const j = p.y - 0.5;
    const k = frame * (sz ?? 0);
    return [0, 1, 2].map(
      (axis) => origin[axis]! + i * sx * d0[axis]! + j * sy * d1[axis]! + k * d2[axis]!,
    ) as [number, number, number];
  });
}

/**
 * The figures of a measurement, computed from its points, the scan's pixel spacing and (for an
 * ellipse) the frame's values: length in mm (px without spacing), area in mm², mean ± SD, min,
 * max in HU for CT and arbitrary units (a.u.) otherwise, angle in degrees. An arrow has none.
 */
export async function measuredValues(
  scan: Pick<Scan, 'id' | 'spacing' | 'modality'>,
  frames: Pick<FrameService, 'getFrame'>,
  frame: number,
  kind: MeasurementKindName,
  points: readonly ImagePoint[],
): Promise<MeasuredValue[]> {
  const spacing = spacingOf(scan);
  const [a, b, c] = points as [ImagePoint, ImagePoint, ImagePoint | undefined];
  switch (kind) {
    case 'length': {
      const length = lengthOf(a, b, spacing);
      return [{ name: 'length', value: length.value, unit: length.unit }];
    }
    case 'angle': {
      const angle = c === undefined ? null : angleOf(a, b, c, spacing);
      return angle === null ? [] : [{ name: 'angle', value: angle, unit: '°' }];
    }
    case 'arrow':
      return [];
    case 'ellipse': {
      const area = ellipseAreaOf(a, b, spacing);
      const values: MeasuredValue[] = [{ name: 'area', value: area.value, unit: area.unit }];
      const { info, data } = await frames.getFrame(scan.id, frame);
      if (info.samplesPerPixel !== 1) return values;
      const stats = ellipseStatistics(a, b, {
        columns: info.columns,
        rows: info.rows,
        values: frameSamples(info, data),
        slope: info.rescaleSlope,
        intercept: info.rescaleIntercept,
      });
      if (stats === null) return values;
      const unit = valueUnitFor(scan.modality);
      return [
        ...values,
        { name: 'mean', value: stats.mean, unit },
        { name: 'sd', value: stats.sd, unit },
        { name: 'min', value: stats.min, unit },
        { name: 'max', value: stats.max, unit },
        { name: 'pixels', value: stats.pixels, unit: 'px' },
      ];
    }
  }
}
