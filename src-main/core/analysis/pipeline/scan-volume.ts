import type { Scan } from '../../../../src-shared/contract/entities.js';
import { frameSamples } from '../../../../src-shared/contract/frames.js';
import { AppError } from '../../../../src-shared/errors.js';
import type { FrameService } from '../../imaging/frame-service.js';
import { checkImageSize } from '../../imaging/image-limits.js';
import { rgbToLuma } from '../preprocess/intensity.js';
import { IDENTITY_DIRECTION, type Volume } from './volume.js';

export interface ScanVolume {
  volume: Volume;
  /** 8-bit pictures (PNG/JPEG, 8-bit DICOM) keep their 0..255 scale for the classifier. */
  isEightBit: boolean;
  /** True for a single 2D picture, which has no slice spacing. */
  isSingleImage: boolean;
  /** Stored as MONOCHROME1 and mirrored here so that bright means signal. */
  isInverted: boolean;
}

/**
 * Reads every frame of a scan into one float volume in modality units (rescale applied; colour
 * converted to luma; MONOCHROME1 inverted so bright means signal, as the models learnt).
 */
export async function loadScanVolume(
  frames: FrameService,
  scan: Scan,
  signal?: AbortSignal,
): Promise<ScanVolume> {
  // Checked from the stored description before anything is decoded: a scan imported before
  // the limits existed must not take the app's memory either.
  checkImageSize(
    {
      rows: scan.rows ?? 0,
      columns: scan.columns ?? 0,
      frames: Math.max(1, scan.slices),
      bytesPerPixel: 4,
    },
    'This scan',
  );
  const first = await frames.getFrame(scan.id, 0);
  const { rows, columns, frameCount } = first.info;
  const plane = rows * columns;
  checkImageSize({ rows, columns, frames: frameCount, bytesPerPixel: 4 }, 'This scan');
  const data = new Float32Array(plane * frameCount);
  let isEightBit = true;
  let isInverted = false;
  for (let k = 0; k < frameCount; k++) {
    if (signal?.aborted === true) throw new AppError('CANCELLED', 'The analysis was cancelled.');
    const frame = k === 0 ? first : await frames.getFrame(scan.id, k);
    const { info } = frame;
    if (info.rows !== rows || info.columns !== columns) {
      throw new AppError(
        'CORRUPT_FILE',
        `Slice ${k + 1} of the scan has a different size; the series cannot be analysed as one volume.`,
      );
    }
    if (info.dtype !== 'uint8' || info.rescaleSlope !== 1 || info.rescaleIntercept !== 0)
      isEightBit = false;
    const values = frameSamples(info, frame.data);
    const target = data.subarray(k * plane, (k + 1) * plane);
    if (info.photometric === 'MONOCHROME1') isInverted = true;
    for (let i = 0; i < plane; i++) {
      const stored =
        info.samplesPerPixel === 3
          ? rgbToLuma(values[i * 3]!, values[i * 3 + 1]!, values[i * 3 + 2]!)
          : values[i]!;
      target[i] = stored * info.rescaleSlope + info.rescaleIntercept;
    }
  }
  // MONOCHROME1 shows low values bright: mirror the whole volume once so bright means signal.
  if (isInverted) {
    let min = Infinity;
    let max = -Infinity;
    for (const v of data) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    for (let i = 0; i < data.length; i++) data[i] = max + min - data[i]!;
  }
  const direction =
    scan.direction === null ? IDENTITY_DIRECTION : (scan.direction.flat() as Volume['direction']);
  const sliceSpacing = scan.spacing?.[2] ?? null;
  const spacing: Volume['spacing'] =
    scan.spacing === null ? null : [scan.spacing[0], scan.spacing[1], sliceSpacing ?? 1];
  return {
    volume: { dims: [columns, rows, frameCount], spacing, direction, data },
    isEightBit,
    isSingleImage: frameCount === 1 && scan.kind === 'image',
    isInverted,
  };
}
