import { z } from 'zod';
import { uuid } from './entities.js';

/** The label source naming the mask of a scan's latest analysis (any other source is a segmentation id). */
export const ANALYSIS_LABELS = 'analysis';

/** Where a label volume comes from: `'analysis'` or the id of one of the scan's segmentations. */
export const labelSourceSchema = z.union([z.literal(ANALYSIS_LABELS), uuid]);
export type LabelSource = z.infer<typeof labelSourceSchema>;

/**
 * Describes a label volume (segmentation mask) laid out on its scan's frame grid, so the viewer
 * can draw it over any frame. The bytes travel separately (binary transport): uint8 label values,
 * `columns × rows × frames`, x fastest, then rows, then frames; frame k is the viewer's frame k
 * (the index the `frames.read` stream takes). 0 is unlabelled.
 */
export const labelVolumeInfoSchema = z.object({
  scanId: uuid,
  source: labelSourceSchema,
  columns: z.number().int().min(1),
  rows: z.number().int().min(1),
  frames: z.number().int().min(1),
  /** The distinct non-zero label values present, ascending (an analysis mask has only 1). */
  labels: z.array(z.number().int().min(1).max(255)),
});
export type LabelVolumeInfo = z.infer<typeof labelVolumeInfoSchema>;

/** A label volume: its description and its `columns × rows × frames` label bytes. */
export interface BinaryLabelVolume {
  readonly info: LabelVolumeInfo;
  readonly data: Uint8Array;
}

/**
 * Checks what a transport received: a valid LabelVolumeInfo and exactly its number of bytes.
 * Null when either is wrong (a proxy that mangled the header, a truncated body).
 */
export function parseLabelVolume(
  info: unknown,
  data: ArrayBuffer | Uint8Array,
): BinaryLabelVolume | null {
  const parsed = labelVolumeInfoSchema.safeParse(info);
  if (!parsed.success) return null;
  const { columns, rows, frames } = parsed.data;
  if (data.byteLength !== columns * rows * frames) return null;
  return {
    info: parsed.data,
    data: data instanceof Uint8Array ? data : new Uint8Array(data),
  };
}

const voxelIndex = z.number().int().min(0);
const voxelTriple = z.tuple([voxelIndex, voxelIndex, voxelIndex]);

/**
 * Describes the labelled part of a label volume (the `labels.box` stream): the volume's own
 * description, plus the smallest box holding every labelled voxel. The bytes are that box's
 * labels only, `size[0] × size[1] × size[2]`, x fastest; box voxel (x, y, z) is frame-grid voxel
 * (offset[0] + x, offset[1] + y, offset[2] + z). An empty label volume has size 0 × 0 × 0.
 * The 3D view needs no more: a BraTS tumour is ~1 % of its 240 × 240 × 155 grid.
 */
export const labelBoxInfoSchema = labelVolumeInfoSchema.extend({
  /** The box's first voxel on the frame grid: column, row, frame (0-based). */
  offset: voxelTriple,
  /** The box's size in voxels along columns, rows and frames. */
  size: voxelTriple,
});
export type LabelBoxInfo = z.infer<typeof labelBoxInfoSchema>;

/** The labelled box of a label volume: its description and its box's label bytes. */
export interface BinaryLabelBox {
  readonly info: LabelBoxInfo;
  readonly data: Uint8Array;
}

/**
 * Checks what a transport received for `labels.box`: a valid description whose box lies inside
 * the grid, and exactly the box's number of bytes. Null when anything is wrong.
 */
export function parseLabelBox(
  info: unknown,
  data: ArrayBuffer | Uint8Array,
): BinaryLabelBox | null {
  const parsed = labelBoxInfoSchema.safeParse(info);
  if (!parsed.success) return null;
  const { columns, rows, frames, offset, size } = parsed.data;
  const grid = [columns, rows, frames];
  if (size.some((s, axis) => offset[axis]! + s > grid[axis]!)) return null;
  if (data.byteLength !== size[0] * size[1] * size[2]) return null;
  return {
    info: parsed.data,
    data: data instanceof Uint8Array ? data : new Uint8Array(data),
  };
}
