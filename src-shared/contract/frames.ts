import { z } from 'zod';
import { uuid } from './entities.js';

/** The element types a decoded frame's samples can have. */
export const FRAME_DTYPES = ['uint8', 'int16', 'uint16', 'float32'] as const;
export type FrameDtype = (typeof FRAME_DTYPES)[number];

/**
 * Describes one decoded frame (one slice of a volume, or a 2D image). The frame's bytes travel
 * separately (binary transport); they are the stored values before rescale, in `dtype`, row by
 * row, with `samplesPerPixel` interleaved samples (RGB) per pixel.
 */
export const frameInfoSchema = z.object({
  scanId: uuid,
  /** 0-based; for volumes, frames are ordered along the slice normal (0 = first slice). */
  index: z.number().int().min(0),
  frameCount: z.number().int().min(1),
  rows: z.number().int().min(1),
  columns: z.number().int().min(1),
  samplesPerPixel: z.union([z.literal(1), z.literal(3)]),
  dtype: z.enum(FRAME_DTYPES),
  /** Modality value = stored value × rescaleSlope + rescaleIntercept (e.g. Hounsfield units). */
  rescaleSlope: z.number(),
  rescaleIntercept: z.number(),
  /** Default window in modality units, when the source suggests one. */
  windowCenter: z.number().nullable(),
  windowWidth: z.number().nullable(),
  /** After decoding: colour frames are always RGB; palette colour is expanded to RGB. */
  photometric: z.enum(['MONOCHROME1', 'MONOCHROME2', 'RGB']),
  /** [column spacing, row spacing] in mm, or null where the source has none. */
  pixelSpacing: z.tuple([z.number(), z.number()]).nullable(),
  /** Smallest and largest stored value in this frame (before rescale). */
  minValue: z.number(),
  maxValue: z.number(),
});
export type FrameInfo = z.infer<typeof frameInfoSchema>;

/** A decoded frame: its description and its stored values (see FrameInfo). */
export interface BinaryFrame {
  readonly info: FrameInfo;
  readonly data: ArrayBuffer;
}

export type FrameSamples = Uint8Array | Int16Array | Uint16Array | Float32Array;

/** A frame's bytes as the typed array its dtype names (core and renderer read them alike). */
export function frameSamples(info: { dtype: FrameDtype }, data: ArrayBuffer): FrameSamples {
  switch (info.dtype) {
    case 'uint8':
      return new Uint8Array(data);
    case 'int16':
      return new Int16Array(data);
    case 'uint16':
      return new Uint16Array(data);
    case 'float32':
      return new Float32Array(data);
  }
}
