import type { DataSet } from 'dicom-parser';
import { decimals, firstItem } from './dataset-values.js';
import { ENHANCED_PER_FRAME_GROUPS, functionalGroup } from './pixel-description.js';
import type { Orientation6, Vector3 } from '../../../../src-shared/geometry/vector.js';

export interface FrameGeometry {
  orientation: Orientation6 | null;
  /** The image's position (single-frame) or the first frame's. */
  position: Vector3 | null;
  /** Enhanced multi-frame: each frame's position from the per-frame functional groups. */
  framePositions: Array<Vector3 | null> | null;
}

function asPosition(values: number[] | null): Vector3 | null {
  return values === null ? null : [values[0]!, values[1]!, values[2]!];
}

function asOrientation(values: number[] | null): Orientation6 | null {
  return values === null
    ? null
    : [values[0]!, values[1]!, values[2]!, values[3]!, values[4]!, values[5]!];
}

/**
 * Where the image lies in patient space: ImagePosition/OrientationPatient at the top level, or,
 * for enhanced multi-frame objects, in the Plane Position / Plane Orientation functional groups.
 */
export function frameGeometry(ds: DataSet): FrameGeometry {
  const orientation =
    asOrientation(decimals(ds, 'x00200037', 6)) ??
    asOrientation(decimals(functionalGroup(ds, 'x00209116') ?? ds, 'x00200037', 6));
  const topPosition = asPosition(decimals(ds, 'x00200032', 3));
  const perFrame = ds.elements[ENHANCED_PER_FRAME_GROUPS]?.items;
  if (perFrame === undefined || perFrame.length === 0) {
    return { orientation, position: topPosition, framePositions: null };
  }
  const framePositions = perFrame.map((item) => {
    const plane = firstItem(item.dataSet, 'x00209113');
    return plane === undefined ? null : asPosition(decimals(plane, 'x00200032', 3));
  });
  return {
    orientation,
    position: topPosition ?? framePositions[0] ?? null,
    framePositions,
  };
}
