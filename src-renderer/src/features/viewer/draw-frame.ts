import type { FrameInfo } from '../../../../src-shared/contract/frames.js';
import { frameToRgba } from './frame-pixels.js';
import type { VoiWindow } from './window-level.js';

/** Draws a frame into a canvas, scaled to fit and centred, on black. */
export function drawFrameFitted(
  canvas: HTMLCanvasElement,
  info: FrameInfo,
  data: ArrayBuffer,
  window: VoiWindow,
): void {
  const context = canvas.getContext('2d');
  if (context === null) return;
  const source = document.createElement('canvas');
  source.width = info.columns;
  source.height = info.rows;
  const rgba = frameToRgba(info, data, window);
  source
    .getContext('2d')
    ?.putImageData(
      new ImageData(rgba as Uint8ClampedArray<ArrayBuffer>, info.columns, info.rows),
      0,
      0,
    );
  const scale = Math.min(canvas.width / info.columns, canvas.height / info.rows);
  const width = info.columns * scale;
  const height = info.rows * scale;
  context.fillStyle = '#000';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.imageSmoothingQuality = 'high';
  context.drawImage(
    source,
    (canvas.width - width) / 2,
    (canvas.height - height) / 2,
    width,
    height,
  );
}

/** The slice a scan is best recognised by: the middle one. */
export function middleFrameIndex(slices: number): number {
  return Math.max(0, Math.floor((Math.max(1, slices) - 1) / 2));
}
