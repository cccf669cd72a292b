import type { SpacingMm, VolumeDims } from '../../analysis/metrics/types.js';
import type { PatientAxes, VoxelAxis } from './patient-axes.js';

export type PlaneName = 'axial' | 'coronal' | 'sagittal';

/** Patient directions at the four edges of a displayed image, e.g. R, L, A, P for an axial. */
export interface ImageOrientation {
  left: string;
  right: string;
  top: string;
  bottom: string;
}

/** Where each output pixel along one image axis samples the volume. */
interface AxisSampling {
  /** Voxel whose extent holds the pixel's centre (masks, labels). */
  nearest: Int32Array;
  /** Neighbouring voxels and the weight of `upper` (bilinear image sampling). */
  lower: Int32Array;
  upper: Int32Array;
  weight: Float32Array;
}

/**
 * One voxel plane shown as a picture with square pixels: the plane holding `fixedAxis` at
 * `slice`, its axes laid out as a radiologist reads them (patient's right on the image's left;
 * anterior up in axial, superior up in coronal and sagittal, anterior left in sagittal), and each
 * image axis resampled to the same millimetres per pixel so that thick slices are not squashed.
 */
export interface PlaneView {
  plane: PlaneName;
  fixedAxis: VoxelAxis;
  slice: number;
  sliceCount: number;
  width: number;
  height: number;
  /** Millimetres per output pixel (voxel sides per pixel when the spacing is unknown). */
  mmPerPixel: number;
  orientation: ImageOrientation;
  /** Voxel offset of output pixel (column c, row r): `base + columnOffset[c] + rowOffset[r]`. */
  base: number;
  columns: AxisSampling & { stride: number };
  rows: AxisSampling & { stride: number };
}

/** The patient axis (0 left-right, 1 front-back, 2 up-down) each plane holds fixed. */
const FIXED_PATIENT_AXIS: Record<PlaneName, 0 | 1 | 2> = { sagittal: 0, coronal: 1, axial: 2 };

/** Horizontal and vertical patient axes of each plane, and whether the vertical one runs up. */
const LAYOUT: Record<PlaneName, { h: 0 | 1 | 2; v: 0 | 1 | 2; upwards: boolean }> = {
  axial: { h: 0, v: 1, upwards: false },
  coronal: { h: 0, v: 2, upwards: true },
  sagittal: { h: 1, v: 2, upwards: true },
};

const ORIENTATION: Record<PlaneName, ImageOrientation> = {
  axial: { left: 'R', right: 'L', top: 'A', bottom: 'P' },
  coronal: { left: 'R', right: 'L', top: 'S', bottom: 'I' },
  sagittal: { left: 'A', right: 'P', top: 'S', bottom: 'I' },
};

/** The patient plane a voxel plane is closest to. */
export function planeOfFixedAxis(axes: PatientAxes, fixedAxis: VoxelAxis): PlaneName {
  const patientAxis = axes.voxelAxis.indexOf(fixedAxis);
  return patientAxis === 0 ? 'sagittal' : patientAxis === 1 ? 'coronal' : 'axial';
}

export function planeView(input: {
  dims: VolumeDims;
  spacing: SpacingMm;
  axes: PatientAxes;
  plane: PlaneName;
  slice: number;
  /** The output's longer side, pixels. */
  size: number;
}): PlaneView {
  const { dims, spacing, axes, plane, size } = input;
  const fixedAxis = axes.voxelAxis[FIXED_PATIENT_AXIS[plane]];
  const layout = LAYOUT[plane];
  const hAxis = axes.voxelAxis[layout.h];
  const vAxis = axes.voxelAxis[layout.v];
  const widthMm = dims[hAxis] * spacing[hAxis];
  const heightMm = dims[vAxis] * spacing[vAxis];
  const scale = size / Math.max(widthMm, heightMm);
  const width = Math.max(1, Math.round(widthMm * scale));
  const height = Math.max(1, Math.round(heightMm * scale));
  const strides = [1, dims[0], dims[0] * dims[1]];
  const slice = Math.min(dims[fixedAxis] - 1, Math.max(0, Math.round(input.slice)));
  return {
    plane,
    fixedAxis,
    slice,
    sliceCount: dims[fixedAxis],
    width,
    height,
    mmPerPixel: 1 / scale,
    orientation: ORIENTATION[plane],
    base: slice * strides[fixedAxis]!,
    columns: {
      ...axisSampling(dims[hAxis], width, axes.reversed[layout.h]),
      stride: strides[hAxis]!,
    },
    rows: {
      ...axisSampling(dims[vAxis], height, axes.reversed[layout.v] !== layout.upwards),
      stride: strides[vAxis]!,
    },
  };
}

/** `count` output pixels spread evenly over `voxels` voxels, optionally in reverse order. */
function axisSampling(voxels: number, count: number, reversed: boolean): AxisSampling {
  const nearest = new Int32Array(count);
  const lower = new Int32Array(count);
  const upper = new Int32Array(count);
  const weight = new Float32Array(count);
  const clamp = (i: number): number => Math.min(voxels - 1, Math.max(0, i));
  const flip = (i: number): number => (reversed ? voxels - 1 - i : i);
  for (let k = 0; k < count; k++) {
    // The pixel centre in voxel units from the volume's edge; voxel i covers [i, i + 1).
    const at = ((k + 0.5) * voxels) / count;
    const centred = at - 0.5;
    const below = Math.floor(centred);
    nearest[k] = flip(clamp(Math.floor(at)));
    lower[k] = flip(clamp(below));
    upper[k] = flip(clamp(below + 1));
    weight[k] = Math.min(1, Math.max(0, centred - below));
  }
  return { nearest, lower, upper, weight };
}

/** The plane's values, bilinear. */
export function sampleValues(view: PlaneView, values: ArrayLike<number>): Float32Array {
  const { width, height, base, columns, rows } = view;
  const out = new Float32Array(width * height);
  for (let r = 0; r < height; r++) {
    const v0 = base + rows.lower[r]! * rows.stride;
    const v1 = base + rows.upper[r]! * rows.stride;
    const wv = rows.weight[r]!;
    for (let c = 0; c < width; c++) {
      const h0 = columns.lower[c]! * columns.stride;
      const h1 = columns.upper[c]! * columns.stride;
      const wh = columns.weight[c]!;
      const top = values[v0 + h0]! * (1 - wh) + values[v0 + h1]! * wh;
      const bottom = values[v1 + h0]! * (1 - wh) + values[v1 + h1]! * wh;
      out[r * width + c] = top * (1 - wv) + bottom * wv;
    }
  }
  return out;
}

/** Values through a window, as 8-bit grey. */
export function toGrey(values: Float32Array, window: { low: number; high: number }): Uint8Array {
  const out = new Uint8Array(values.length);
  const gain = 255 / (window.high - window.low);
  for (let i = 0; i < values.length; i++) {
    const value = (values[i]! - window.low) * gain;
    out[i] = value <= 0 ? 0 : value >= 255 ? 255 : Math.round(value);
  }
  return out;
}

/** Which output pixels lie in a non-zero voxel (nearest voxel). */
export function sampleMask(view: PlaneView, mask: Uint8Array): Uint8Array {
  const { width, height, base, columns, rows } = view;
  const out = new Uint8Array(width * height);
  for (let r = 0; r < height; r++) {
    const row = base + rows.nearest[r]! * rows.stride;
    for (let c = 0; c < width; c++)
      out[r * width + c] = mask[row + columns.nearest[c]! * columns.stride]! !== 0 ? 1 : 0;
  }
  return out;
}
