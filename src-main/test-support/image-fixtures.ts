import { encodePng } from '../core/analysis/output/png-encoder.js';

/** An 8-bit greyscale PNG with the given pixel function (default: a gradient). */
export function makePng(
  width: number,
  height: number,
  pixel: (x: number, y: number) => number = (x, y) => (x + y) % 256,
): Buffer {
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) pixels[y * width + x] = pixel(x, y);
  return encodePng(pixels, width, height, 1);
}
