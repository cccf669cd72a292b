import type { FrameInfo, FrameSamples } from '../../../../src-shared/contract/frames.js';

/** The outline colour burned into the overlay images: pure red reads on any grey. */
export const OUTLINE_RGB = [255, 0, 0] as const;

/**
 * The grey window for a frame: the source's own window when it suggests one (modality units),
 * else the frame's full range, so the picture looks as the viewer first shows it.
 */
function windowOf(info: FrameInfo): { low: number; high: number } {
  if (info.windowCenter !== null && info.windowWidth !== null && info.windowWidth > 0)
    return {
      low: info.windowCenter - info.windowWidth / 2,
      high: info.windowCenter + info.windowWidth / 2,
    };
  const a = info.minValue * info.rescaleSlope + info.rescaleIntercept;
  const b = info.maxValue * info.rescaleSlope + info.rescaleIntercept;
  return { low: Math.min(a, b), high: Math.max(a, b) };
}

/** Whether mask pixel (r, c) is on the lesion's edge (4-neighbour outside the lesion or image). */
function isEdge(mask: Uint8Array, rows: number, columns: number, r: number, c: number): boolean {
  if (mask[r * columns + c] === 0) return false;
  return (
    r === 0 ||
    c === 0 ||
    r === rows - 1 ||
    c === columns - 1 ||
    mask[(r - 1) * columns + c] === 0 ||
    mask[(r + 1) * columns + c] === 0 ||
    mask[r * columns + c - 1] === 0 ||
    mask[r * columns + c + 1] === 0
  );
}

/**
 * One slice as 8-bit RGB (interleaved) with the lesion's outline burned in: greyscale frames
 * windowed to 0..255 (MONOCHROME1 inverted), colour frames as they are. `mask` is the slice's
 * mask (rows × columns, non-zero = lesion).
 */
export function renderOverlay(
  info: FrameInfo,
  samples: FrameSamples,
  mask: Uint8Array,
): Uint8Array {
  const { rows, columns } = info;
  const pixels = rows * columns;
  if (mask.length !== pixels)
    throw new Error(`The mask slice has ${mask.length} pixels, the image ${columns}×${rows}.`);
  const rgb = new Uint8Array(pixels * 3);
  if (info.samplesPerPixel === 3) {
    const scale = info.maxValue > 255 ? 255 / info.maxValue : 1;
    for (let i = 0; i < pixels * 3; i++) rgb[i] = Math.round(samples[i]! * scale);
  } else {
    const { low, high } = windowOf(info);
    const span = high - low || 1;
    const invert = info.photometric === 'MONOCHROME1';
    for (let i = 0; i < pixels; i++) {
      const value = samples[i]! * info.rescaleSlope + info.rescaleIntercept;
      let grey = Math.round(((value - low) / span) * 255);
      grey = grey < 0 ? 0 : grey > 255 ? 255 : grey;
      if (invert) grey = 255 - grey;
      rgb[i * 3] = grey;
      rgb[i * 3 + 1] = grey;
      rgb[i * 3 + 2] = grey;
    }
  }
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < columns; c++) {
      if (!isEdge(mask, rows, columns, r, c)) continue;
      const at = (r * columns + c) * 3;
      rgb[at] = OUTLINE_RGB[0];
      rgb[at + 1] = OUTLINE_RGB[1];
      rgb[at + 2] = OUTLINE_RGB[2];
    }
  return rgb;
}
