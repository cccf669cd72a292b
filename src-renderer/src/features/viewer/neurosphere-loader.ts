import type { CornerstoneImage, ImageLoader } from 'cornerstone-core';
import type { FrameInfo } from '../../../../src-shared/contract/frames.js';
import { storedPixels } from './frame-pixels.js';
import { defaultWindow } from './window-level.js';

/** The scheme of the viewer's image ids: `neurosphere:<scanId>/<index>`, opaque to the core. */
export const IMAGE_SCHEME = 'neurosphere';

export function imageIdFor(scanId: string, index: number): string {
  return `${IMAGE_SCHEME}:${scanId}/${index}`;
}

export function parseImageId(imageId: string): { scanId: string; index: number } | null {
  const match = /^neurosphere:([0-9a-f-]{36})\/(\d+)$/i.exec(imageId);
  if (match === null) return null;
  return { scanId: match[1] as string, index: Number(match[2]) };
}

/** Fetches a decoded frame by scan id and index, over whichever transport the app uses. */
export type FrameFetcher = (
  scanId: string,
  index: number,
) => Promise<{ info: FrameInfo; data: ArrayBuffer }>;

/**
 * cornerstone's LUTs index by stored value, so float frames are mapped onto 0..65535 with the
 * slope and intercept adjusted: the modality values (what the window applies to) stay the same.
 */
function asIntegerPixels(info: FrameInfo, data: ArrayBuffer) {
  const stored = storedPixels(info, data);
  if (info.dtype !== 'float32') {
    return {
      pixels: stored,
      slope: info.rescaleSlope,
      intercept: info.rescaleIntercept,
      min: info.minValue,
      max: info.maxValue,
    };
  }
  const span = info.maxValue - info.minValue || 1;
  const pixels = new Uint16Array(stored.length);
  for (let i = 0; i < stored.length; i++)
    pixels[i] = Math.round((((stored[i] as number) - info.minValue) / span) * 65535);
  return {
    pixels,
    slope: (info.rescaleSlope * span) / 65535,
    intercept: info.rescaleIntercept + info.rescaleSlope * info.minValue,
    min: 0,
    max: 65535,
  };
}

/** cornerstone draws colour images from RGBA. */
function rgbToRgba(rgb: Uint8Array, pixels: number): Uint8Array {
  const rgba = new Uint8Array(pixels * 4);
  for (let i = 0; i < pixels; i++) {
    rgba[i * 4] = rgb[i * 3] as number;
    rgba[i * 4 + 1] = rgb[i * 3 + 1] as number;
    rgba[i * 4 + 2] = rgb[i * 3 + 2] as number;
    rgba[i * 4 + 3] = 255;
  }
  return rgba;
}

/** A cornerstone image that remembers the frame it came from (cornerstone caches images, not frames). */
export interface NeurosphereImage extends CornerstoneImage {
  readonly frameInfo: FrameInfo;
}

/** A cornerstone image from a decoded Neurosphere frame. */
export function toCornerstoneImage(
  imageId: string,
  info: FrameInfo,
  data: ArrayBuffer,
): NeurosphereImage {
  const isColour = info.samplesPerPixel === 3;
  const window = defaultWindow(info);
  const integer = isColour
    ? {
        pixels: rgbToRgba(new Uint8Array(data), info.rows * info.columns),
        slope: 1,
        intercept: 0,
        min: 0,
        max: 255,
      }
    : asIntegerPixels(info, data);
  return {
    imageId,
    minPixelValue: integer.min,
    maxPixelValue: integer.max,
    slope: integer.slope,
    intercept: integer.intercept,
    windowCenter: isColour ? 127.5 : window.center,
    windowWidth: isColour ? 256 : window.width,
    getPixelData: () => integer.pixels,
    rows: info.rows,
    columns: info.columns,
    height: info.rows,
    width: info.columns,
    color: isColour,
    rgba: false,
    columnPixelSpacing: info.pixelSpacing?.[0],
    rowPixelSpacing: info.pixelSpacing?.[1],
    invert: info.photometric === 'MONOCHROME1',
    sizeInBytes: integer.pixels.byteLength,
    frameInfo: info,
  };
}

/** The loader cornerstone calls for `neurosphere:` ids: pixels come through the contract, never a path. */
export function createNeurosphereLoader(fetchFrame: FrameFetcher): ImageLoader {
  return (imageId) => {
    const parsed = parseImageId(imageId);
    const promise =
      parsed === null
        ? Promise.reject(new Error(`Not a Neurosphere image id: ${imageId}`))
        : fetchFrame(parsed.scanId, parsed.index).then(({ info, data }) =>
            toCornerstoneImage(imageId, info, data),
          );
    return { promise };
  };
}
