import { AppError } from '../../../../src-shared/errors.js';
import { heatColour } from '../../analysis/output/heatmap-colours.js';
import { decodePng } from '../../imaging/png-decode.js';

/** The colour scale's anchors (`heatColour` is piecewise linear between six of them). */
const SEGMENTS = 5;
const ANCHORS = Array.from({ length: SEGMENTS + 1 }, (_, i) => heatColour(i / SEGMENTS));

/**
 * Heat values (0..1) of a stored heatmap PNG, read back through the colour scale the analysis
 * painted it with (`heatColour`): each colour is projected onto the nearest segment of the
 * scale. The analysis stores only the coloured picture, and the report blends heat over its own
 * windowed slice.
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
  const { data, columns, rows } = frame;
  const heat = new Float32Array(columns * rows);
  for (let i = 0; i < heat.length; i++)
    heat[i] = heatOfColour(data[3 * i]!, data[3 * i + 1]!, data[3 * i + 2]!);
  return { heat, width: columns, height: rows };
}

/** The scale position whose colour is nearest to (r, g, b). */
export function heatOfColour(r: number, g: number, b: number): number {
  let best = Infinity;
  let value = 0;
  for (let k = 0; k < SEGMENTS; k++) {
    const [ar, ag, ab] = ANCHORS[k]!;
    const [br, bg, bb] = ANCHORS[k + 1]!;
    const [dr, dg, db] = [br - ar, bg - ag, bb - ab];
    const along = ((r - ar) * dr + (g - ag) * dg + (b - ab) * db) / (dr * dr + dg * dg + db * db);
    const t = Math.min(1, Math.max(0, along));
    const distance = (ar + t * dr - r) ** 2 + (ag + t * dg - g) ** 2 + (ab + t * db - b) ** 2;
    if (distance < best) [best, value] = [distance, (k + t) / SEGMENTS];
  }
  return value;
}
