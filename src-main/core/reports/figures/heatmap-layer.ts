import { AppError } from '../../../../src-shared/errors.js';
import { heatColour } from '../../analysis/output/heatmap-colours.js';
import { decodePng } from '../../imaging/png-decode.js';

/** Steps of the colour scale searched when reading a heat value back from a colour. */
const LEVELS = 256;

/**
 * Heat values (0..1) of a stored heatmap PNG, read back through the colour scale the analysis
 * painted it with (`heatColour`): each pixel gets the level whose colour is nearest. The analysis
 * stores only the coloured picture, and the report blends heat over its own windowed slice.
 */
export function heatFromHeatmapPng(png: Uint8Array): {
  heat: Float32Array;
  width: number;
  height: number;
} {
  const frame = decodePng(png);
  if (frame.samplesPerPixel !== 3 || !(frame.data instanceof Uint8Array))
    throw new AppError(
      'CORRUPT_FILE',
      'The stored heatmap is not an 8-bit colour picture; analyse the scan again to remake it.',
    );
  const palette = Array.from({ length: LEVELS }, (_, i) => heatColour(i / (LEVELS - 1)));
  const cache = new Map<number, number>();
  const { data, columns, rows } = frame;
  const heat = new Float32Array(columns * rows);
  for (let i = 0; i < heat.length; i++) {
    const [r, g, b] = [data[3 * i]!, data[3 * i + 1]!, data[3 * i + 2]!];
    const key = (r << 16) | (g << 8) | b;
    let level = cache.get(key);
    if (level === undefined) {
      let best = Infinity;
      level = 0;
      for (let k = 0; k < LEVELS; k++) {
        const [pr, pg, pb] = palette[k]!;
        const d = (pr - r) ** 2 + (pg - g) ** 2 + (pb - b) ** 2;
        if (d < best) [best, level] = [d, k];
      }
      cache.set(key, level);
    }
    heat[i] = level / (LEVELS - 1);
  }
  return { heat, width: columns, height: rows };
}
