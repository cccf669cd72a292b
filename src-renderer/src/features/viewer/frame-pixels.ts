import { frameSamples, type FrameInfo } from '../../../../src-shared/contract/frames.js';
import { modalityValue, type VoiWindow } from './window-level.js';

/** The frame's bytes as the typed array its dtype names. */
export const storedPixels = frameSamples;

/**
 * RGBA for a canvas: greyscale through the window (linear, as DICOM's VOI LUT function
 * LINEAR_EXACT), MONOCHROME1 and `invert` flip it, RGB is copied. Used for thumbnails; the
 * viewer renders through cornerstone.
 */
export function frameToRgba(
  info: FrameInfo,
  data: ArrayBuffer,
  window: VoiWindow,
  invert = false,
): Uint8ClampedArray {
  const stored = storedPixels(info, data);
  const pixels = info.rows * info.columns;
  const out = new Uint8ClampedArray(pixels * 4);
  if (info.samplesPerPixel === 3) {
    for (let i = 0; i < pixels; i++) {
      for (let c = 0; c < 3; c++) {
        const value = stored[i * 3 + c] as number;
        out[i * 4 + c] = invert ? 255 - value : value;
      }
      out[i * 4 + 3] = 255;
    }
    return out;
  }
  const low = window.center - window.width / 2;
  const scale = 255 / Math.max(window.width, 1e-6);
  const flip = (info.photometric === 'MONOCHROME1') !== invert;
  for (let i = 0; i < pixels; i++) {
    const grey = (modalityValue(info, stored[i] as number) - low) * scale;
    const clamped = grey < 0 ? 0 : grey > 255 ? 255 : grey;
    const value = flip ? 255 - clamped : clamped;
    out[i * 4] = value;
    out[i * 4 + 1] = value;
    out[i * 4 + 2] = value;
    out[i * 4 + 3] = 255;
  }
  return out;
}
