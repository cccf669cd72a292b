import { lpsPermutationOfAxes } from '../../../../../src-shared/geometry/reorient.js';
import type { ReadonlyVector3 } from '../../../../../src-shared/geometry/vector.js';
import { directionLetters } from '../orientation-markers.js';

/** The three reformats, named by the patient plane they show. */
export const MPR_PLANES = ['axial', 'coronal', 'sagittal'] as const;
export type MprPlane = (typeof MPR_PLANES)[number];

/** Where a volume's voxels lie: what the scan records (dims, spacing, direction; LPS). */
export interface MprGrid {
  /** Voxels along each axis: [columns, rows, frames]. */
  readonly dims: ReadonlyVector3;
  /** mm between voxel centres along each axis. */
  readonly spacing: ReadonlyVector3;
  /** Unit vectors (LPS) of the voxel axes: [column axis, row axis, frame axis]. */
  readonly direction: readonly [ReadonlyVector3, ReadonlyVector3, ReadonlyVector3];
}

/** A voxel index (i column, j row, k frame); integers in this module. */
export type Voxel = readonly [number, number, number];

/** One screen axis of a plane: the voxel axis it walks and whether it walks it backwards. */
export interface PlaneAxis {
  readonly axis: 0 | 1 | 2;
  /** The screen runs from the voxel axis's last index to its first. */
  readonly reversed: boolean;
}

/** How a plane's picture is cut from the volume. */
export interface PlaneLayout {
  readonly plane: MprPlane;
  /** Left to right on screen. */
  readonly across: PlaneAxis;
  /** Top to bottom on screen. */
  readonly down: PlaneAxis;
  /** The voxel axis the plane is perpendicular to (its slice index is that axis's index). */
  readonly through: 0 | 1 | 2;
  readonly width: number;
  readonly height: number;
  /** Slices of this plane: the volume's size along `through`. */
  readonly depth: number;
  readonly pixelWidthMm: number;
  readonly pixelHeightMm: number;
  readonly sliceSpacingMm: number;
}

/**
 * The patient direction each plane puts left→right and top→bottom on screen (LPS axis 0 = L,
 * 1 = P, 2 = S; sign −1 = the opposite way), and the patient axis it is perpendicular to.
 * Radiological convention, as in every PACS: axial seen from the feet (patient's right on the
 * screen's left, anterior up), coronal seen from the front (head up), sagittal seen from the
 * patient's left (anterior on the left, head up).
 */
const PLANE_AXES: Record<
  MprPlane,
  { across: [number, 1 | -1]; down: [number, 1 | -1]; through: number }
> = {
  axial: { across: [0, 1], down: [1, 1], through: 2 },
  coronal: { across: [0, 1], down: [2, -1], through: 1 },
  sagittal: { across: [1, 1], down: [2, -1], through: 0 },
};

/**
 * The layout of `plane` for a volume. Each patient axis is matched to the voxel axis nearest to
 * it (the same greedy pairing the analysis uses), so a sagittal or coronal acquisition gives
 * true axial/coronal/sagittal pictures without resampling, and an oblique one gives the planes
 * of its own grid nearest to them (its orientation letters then say how it is tilted).
 */
export function planeLayout(grid: MprGrid, plane: MprPlane): PlaneLayout {
  const plan = lpsPermutationOfAxes(grid.direction);
  const axes = PLANE_AXES[plane];
  const screenAxis = ([patientAxis, sign]: [number, 1 | -1]): PlaneAxis => ({
    axis: plan.sourceAxis[patientAxis] as 0 | 1 | 2,
    reversed: plan.flip[patientAxis] !== sign < 0,
  });
  const across = screenAxis(axes.across);
  const down = screenAxis(axes.down);
  const through = plan.sourceAxis[axes.through] as 0 | 1 | 2;
  return {
    plane,
    across,
    down,
    through,
    width: grid.dims[across.axis],
    height: grid.dims[down.axis],
    depth: grid.dims[through],
    pixelWidthMm: grid.spacing[across.axis],
    pixelHeightMm: grid.spacing[down.axis],
    sliceSpacingMm: grid.spacing[through],
  };
}

function sizeOf(layout: PlaneLayout, axis: 0 | 1 | 2): number {
  if (axis === layout.across.axis) return layout.width;
  if (axis === layout.down.axis) return layout.height;
  return layout.depth;
}

/** The voxel shown at picture pixel (x, y) of slice `slice` of a plane. */
export function voxelAt(layout: PlaneLayout, x: number, y: number, slice: number): Voxel {
  const voxel = [0, 0, 0];
  voxel[layout.across.axis] = layout.across.reversed ? layout.width - 1 - x : x;
  voxel[layout.down.axis] = layout.down.reversed ? layout.height - 1 - y : y;
  voxel[layout.through] = slice;
  return voxel as unknown as Voxel;
}

/** Where a voxel appears in a plane: its picture pixel and the plane's slice through it. */
export function planePointOf(
  layout: PlaneLayout,
  voxel: Voxel,
): { x: number; y: number; slice: number } {
  const at = (screen: PlaneAxis): number => {
    const value = voxel[screen.axis];
    return screen.reversed ? sizeOf(layout, screen.axis) - 1 - value : value;
  };
  return { x: at(layout.across), y: at(layout.down), slice: voxel[layout.through] };
}

export interface EdgeLabels {
  readonly left: string;
  readonly right: string;
  readonly top: string;
  readonly bottom: string;
}

/**
 * The patient-direction letters at a plane's edges, from the voxel axes' true directions: an
 * oblique acquisition shows two letters ("LA") where its axis is tilted by more than ~17°.
 */
export function edgeLabels(grid: MprGrid, layout: PlaneLayout): EdgeLabels {
  const towards = (screen: PlaneAxis, sign: 1 | -1): string => {
    const s = screen.reversed ? -sign : sign;
    const d = grid.direction[screen.axis];
    return directionLetters([s * d[0], s * d[1], s * d[2]]);
  };
  return {
    right: towards(layout.across, 1),
    left: towards(layout.across, -1),
    bottom: towards(layout.down, 1),
    top: towards(layout.down, -1),
  };
}

/**
 * The largest rectangle with the picture's physical aspect (pixels are pixelWidthMm ×
 * pixelHeightMm) that fits in a box, centred: where the picture is drawn.
 */
export function fittedRect(
  layout: Pick<PlaneLayout, 'width' | 'height' | 'pixelWidthMm' | 'pixelHeightMm'>,
  boxWidth: number,
  boxHeight: number,
): { x: number; y: number; width: number; height: number } {
  const widthMm = layout.width * layout.pixelWidthMm;
  const heightMm = layout.height * layout.pixelHeightMm;
  const scale = Math.min(boxWidth / widthMm, boxHeight / heightMm);
  const width = widthMm * scale;
  const height = heightMm * scale;
  return { x: (boxWidth - width) / 2, y: (boxHeight - height) / 2, width, height };
}

/** The picture pixel under a point of the box (clamped to the picture). */
export function pixelAtPoint(
  layout: Pick<PlaneLayout, 'width' | 'height'>,
  rect: { x: number; y: number; width: number; height: number },
  point: { x: number; y: number },
): { x: number; y: number } {
  const clamp = (value: number, size: number): number =>
    Math.min(size - 1, Math.max(0, Math.floor(value)));
  return {
    x: clamp(((point.x - rect.x) / rect.width) * layout.width, layout.width),
    y: clamp(((point.y - rect.y) / rect.height) * layout.height, layout.height),
  };
}
