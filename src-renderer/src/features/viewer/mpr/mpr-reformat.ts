import type { PlaneLayout } from './mpr-geometry.js';

/** Voxel values, x fastest, then rows, then frames (the frames' order, and the label volumes'). */
export interface VoxelData<T extends ArrayLike<number> = ArrayLike<number>> {
  readonly dims: readonly [number, number, number];
  readonly data: T;
}

export const SLAB_MODES = ['mip', 'minip', 'average'] as const;
/** Thick-slab projections: maximum, minimum, mean along the plane's normal. */
export type SlabMode = (typeof SLAB_MODES)[number];

export interface Slab {
  readonly mode: SlabMode;
  /** Thickness along the plane's normal, mm. */
  readonly thicknessMm: number;
}

/**
 * The slices a slab covers around `slice`: as many whole slices as fit in the thickness (at
 * least one), centred on `slice` (the extra one of an even count goes after it), cut at the
 * volume's ends.
 */
export function slabRange(
  layout: Pick<PlaneLayout, 'depth' | 'sliceSpacingMm'>,
  slice: number,
  thicknessMm: number,
): { first: number; last: number } {
  const count = Math.max(1, Math.round(thicknessMm / layout.sliceSpacingMm));
  const first = slice - Math.floor((count - 1) / 2);
  return {
    first: Math.max(0, first),
    last: Math.min(layout.depth - 1, first + count - 1),
  };
}

/** Offsets into the volume's data of each picture column, each picture row, and slice 0. */
function planeOffsets(
  volume: VoxelData,
  layout: PlaneLayout,
): { columns: Int32Array; rows: Int32Array; sliceStride: number } {
  const [nx, ny] = volume.dims;
  const strides = [1, nx, nx * ny];
  const offsets = (size: number, axis: 0 | 1 | 2, reversed: boolean): Int32Array => {
    const out = new Int32Array(size);
    for (let p = 0; p < size; p++) out[p] = (reversed ? size - 1 - p : p) * strides[axis]!;
    return out;
  };
  return {
    columns: offsets(layout.width, layout.across.axis, layout.across.reversed),
    rows: offsets(layout.height, layout.down.axis, layout.down.reversed),
    sliceStride: strides[layout.through]!,
  };
}

function checkDims(volume: VoxelData, layout: PlaneLayout): void {
  const size = volume.dims[0] * volume.dims[1] * volume.dims[2];
  if (volume.data.length < size)
    throw new Error(
      `The volume has ${volume.data.length} values for a ${volume.dims.join(' × ')} grid.`,
    );
  if (layout.width * layout.height * layout.depth !== size)
    throw new Error('The plane layout was made for a volume of another size.');
}

/**
 * The picture of slice `slice` of a plane (width × height values, row by row): the voxels
 * themselves for a thin slice, or their maximum, minimum or mean over the slab's slices.
 */
export function reformat(
  volume: VoxelData,
  layout: PlaneLayout,
  slice: number,
  slab: Slab | null = null,
): Float32Array {
  checkDims(volume, layout);
  const { columns, rows, sliceStride } = planeOffsets(volume, layout);
  const { first, last } =
    slab === null ? { first: slice, last: slice } : slabRange(layout, slice, slab.thicknessMm);
  const out = new Float32Array(layout.width * layout.height);
  if (slice < 0 || slice >= layout.depth) return out;
  const data = volume.data;
  const mode = slab?.mode ?? 'mip';
  const count = last - first + 1;
  for (let y = 0; y < layout.height; y++) {
    const rowOffset = rows[y]!;
    for (let x = 0; x < layout.width; x++) {
      const base = rowOffset + columns[x]!;
      let value = data[base + first * sliceStride]!;
      for (let s = first + 1; s <= last; s++) {
        const v = data[base + s * sliceStride]!;
        if (mode === 'mip') value = v > value ? v : value;
        else if (mode === 'minip') value = v < value ? v : value;
        else value += v;
      }
      out[y * layout.width + x] = mode === 'average' ? value / count : value;
    }
  }
  return out;
}

/**
 * The labels of a plane's slice (nearest voxel). Over a slab, a pixel takes the highest label
 * found along its line, so a lesion anywhere in the slab shows (and the BraTS enhancing tumour,
 * 4, wins over oedema, 2, as it would be read).
 */
export function reformatLabels(
  labels: VoxelData<Uint8Array>,
  layout: PlaneLayout,
  slice: number,
  slab: Slab | null = null,
): Uint8Array {
  checkDims(labels, layout);
  const { columns, rows, sliceStride } = planeOffsets(labels, layout);
  const { first, last } =
    slab === null ? { first: slice, last: slice } : slabRange(layout, slice, slab.thicknessMm);
  const out = new Uint8Array(layout.width * layout.height);
  if (slice < 0 || slice >= layout.depth) return out;
  for (let y = 0; y < layout.height; y++)
    for (let x = 0; x < layout.width; x++) {
      const base = rows[y]! + columns[x]!;
      let value = 0;
      for (let s = first; s <= last; s++) {
        const v = labels.data[base + s * sliceStride]!;
        if (v > value) value = v;
      }
      out[y * layout.width + x] = value;
    }
  return out;
}

/**
 * Grey levels of modality values through a window (centre ± width/2 → 0..255), opaque RGBA;
 * `invert` for MONOCHROME1 pictures and the viewer's invert.
 */
export function windowedRgba(
  values: Float32Array,
  window: { center: number; width: number },
  invert = false,
): Uint8ClampedArray<ArrayBuffer> {
  const rgba = new Uint8ClampedArray(values.length * 4);
  const low = window.center - window.width / 2;
  const scale = 255 / Math.max(window.width, 1e-6);
  for (let i = 0; i < values.length; i++) {
    const grey = Math.min(255, Math.max(0, (values[i]! - low) * scale));
    const shown = invert ? 255 - grey : grey;
    rgba[i * 4] = shown;
    rgba[i * 4 + 1] = shown;
    rgba[i * 4 + 2] = shown;
    rgba[i * 4 + 3] = 255;
  }
  return rgba;
}

/**
 * Paints labels over an RGBA picture in place, each label in its palette colour blended at the
 * palette's alpha (RGBA per label value, 4 bytes each; alpha 0 = not drawn).
 */
export function blendLabels(
  rgba: Uint8ClampedArray,
  labels: Uint8Array,
  palette: Uint8ClampedArray,
): void {
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!;
    if (label === 0) continue;
    const alpha = palette[label * 4 + 3]! / 255;
    if (alpha === 0) continue;
    for (let c = 0; c < 3; c++)
      rgba[i * 4 + c] = rgba[i * 4 + c]! * (1 - alpha) + palette[label * 4 + c]! * alpha;
  }
}

/**
 * The middle (rounded mean column and row) of the labelled voxels on one frame of a label
 * volume, or null when the frame has none: where the crosshair goes when the reader jumps to a
 * lesion's slice, so the other two planes cut through it too.
 */
export function labelledCentreOnFrame(
  labels: VoxelData<Uint8Array>,
  frame: number,
): { column: number; row: number } | null {
  const [nx, ny, nz] = labels.dims;
  if (frame < 0 || frame >= nz) return null;
  let sumX = 0;
  let sumY = 0;
  let count = 0;
  const offset = frame * nx * ny;
  for (let y = 0; y < ny; y++)
    for (let x = 0; x < nx; x++)
      if (labels.data[offset + y * nx + x] !== 0) {
        sumX += x;
        sumY += y;
        count++;
      }
  return count === 0 ? null : { column: Math.round(sumX / count), row: Math.round(sumY / count) };
}
