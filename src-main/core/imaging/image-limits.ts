import { constants, gunzipSync } from 'node:zlib';
import { AppError } from '../../../src-shared/errors.js';

/**
 * How large an image may be, checked from its header before a single pixel is decoded, so
 * that no file can make the app allocate gigabytes (a 16384² RLE frame, a gzip bomb). Decoded
 * pixels live outside the V8 heap, where the imaging workers' heap cap does not reach: these
 * limits are what bounds them.
 */
export const IMAGE_LIMITS = {
  /** Rows and columns of one frame (a 2D picture, a DICOM frame, a NIfTI slice). */
  maxFrameSide: 8192,
  /** Voxels of one scan: 512 × 512 × 2000 slices, far beyond any brain MR or CT. */
  maxVoxels: 512 * 512 * 2000,
  /** Bytes of a whole decoded scan (its stored samples, before conversion to float). */
  maxDecodedBytes: 1024 * 1024 * 1024,
  /**
   * A deflated DICOM data set may inflate to this many times its compressed size, plus
   * `inflateFloorBytes`: real images compress 2–10×, a deflate bomb 1000×.
   */
  maxInflateRatio: 64,
  inflateFloorBytes: 64 * 1024 * 1024,
} as const;

export interface ImageSize {
  rows: number;
  columns: number;
  frames: number;
  /** Bytes of one stored sample (all channels of a pixel together: 3 for 8-bit RGB). */
  bytesPerPixel: number;
}

const mb = (bytes: number): string => `${Math.round(bytes / 1_048_576)} MB`;

/**
 * Throws FILE_TOO_LARGE when an image is beyond IMAGE_LIMITS, saying what and what to do;
 * `what` names it for the message ("The DICOM image", "The NIfTI volume").
 */
export function checkImageSize(size: ImageSize, what: string): void {
  const { rows, columns, frames, bytesPerPixel } = size;
  const { maxFrameSide, maxVoxels, maxDecodedBytes } = IMAGE_LIMITS;
  if (rows > maxFrameSide || columns > maxFrameSide) {
    throw new AppError(
      'FILE_TOO_LARGE',
      `${what} is ${columns}×${rows} pixels per frame; Neurosphere reads frames of up to ` +
        `${maxFrameSide}×${maxFrameSide}. Export it at a lower resolution and import that.`,
      { rows, columns, limit: maxFrameSide },
    );
  }
  const voxels = rows * columns * frames;
  if (voxels > maxVoxels) {
    throw new AppError(
      'FILE_TOO_LARGE',
      `${what} has ${columns}×${rows}×${frames} voxels; the limit is ${maxVoxels.toLocaleString('en')} ` +
        '(512×512×2000). Split the series or export it at a lower resolution.',
      { voxels, limit: maxVoxels },
    );
  }
  const bytes = voxels * bytesPerPixel;
  if (bytes > maxDecodedBytes) {
    throw new AppError(
      'FILE_TOO_LARGE',
      `${what} needs ${mb(bytes)} once decoded; the limit is ${mb(maxDecodedBytes)}. ` +
        'Split the series or export it at a lower resolution.',
      { bytes, limit: maxDecodedBytes },
    );
  }
}

/** The most a deflated DICOM data set of `compressedBytes` may inflate to (see IMAGE_LIMITS). */
export function maxInflatedBytes(compressedBytes: number): number {
  const { maxInflateRatio, inflateFloorBytes, maxDecodedBytes } = IMAGE_LIMITS;
  return Math.min(maxDecodedBytes, inflateFloorBytes + maxInflateRatio * compressedBytes);
}

/**
 * The first `length` bytes of a gzip stream, or fewer if it is shorter, inflating only a prefix
 * of it (deflate expands at most ~1032×, so 4 KB of input cannot exceed ~4 MB of output).
 */
export function gunzipHead(file: Uint8Array, length: number, inputBytes = 4096): Buffer {
  try {
    const out = gunzipSync(file.subarray(0, Math.min(file.length, inputBytes)), {
      finishFlush: constants.Z_SYNC_FLUSH,
    });
    return out.subarray(0, length);
  } catch {
    throw new AppError(
      'CORRUPT_FILE',
      'The file cannot be decompressed: its .gz data is damaged or truncated',
    );
  }
}
