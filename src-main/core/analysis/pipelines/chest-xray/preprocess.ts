import { standardise } from '../../preprocess/intensity.js';
import { resizeBilinear } from '../../preprocess/resize-bilinear.js';

/**
 * The side of the pictures the model's training set was made of: the radiographs were reduced to
 * 224×224 upstream (an averaging resize) before training read them with a bilinear resize.
 */
export const TRAINING_SOURCE_SIDE = 224;

/**
 * Area-average resize of a row-major image: each output pixel is the mean of the input area it
 * covers (partial pixels weighted). Used to bring a large radiograph down without aliasing, as
 * the training set's own reduction did; a bilinear resize without antialiasing would skip pixels.
 */
export function areaResize(
  source: ArrayLike<number>,
  inHeight: number,
  inWidth: number,
  outHeight: number,
  outWidth: number,
): Float32Array {
  const columns = areaWeights(inWidth, outWidth);
  const rows = areaWeights(inHeight, outHeight);
  // Columns first into a [inHeight, outWidth] buffer, then rows.
  const horizontal = new Float32Array(inHeight * outWidth);
  for (let y = 0; y < inHeight; y++) {
    const row = y * inWidth;
    for (let ox = 0; ox < outWidth; ox++) {
      let sum = 0;
      for (const [x, w] of columns[ox]!) sum += w * source[row + x]!;
      horizontal[y * outWidth + ox] = sum;
    }
  }
  const out = new Float32Array(outHeight * outWidth);
  for (let oy = 0; oy < outHeight; oy++)
    for (const [y, w] of rows[oy]!)
      for (let ox = 0; ox < outWidth; ox++)
        out[oy * outWidth + ox] = out[oy * outWidth + ox]! + w * horizontal[y * outWidth + ox]!;
  return out;
}

/** For each output index, the input indices it covers and their weights (summing to 1). */
function areaWeights(side: number, out: number): Array<Array<[number, number]>> {
  const scale = side / out;
  const weights: Array<Array<[number, number]>> = [];
  for (let o = 0; o < out; o++) {
    const start = o * scale;
    const end = (o + 1) * scale;
    const parts: Array<[number, number]> = [];
    for (let i = Math.floor(start); i < Math.min(side, Math.ceil(end)); i++) {
      const covered = Math.min(end, i + 1) - Math.max(start, i);
      if (covered > 0) parts.push([i, covered / scale]);
    }
    weights.push(parts);
  }
  return weights;
}

/** Rounds 0..1 values to the 256 steps of an 8-bit picture, as the training cache stored them. */
function toEightBitSteps(values: Float32Array): Float32Array {
  for (let i = 0; i < values.length; i++)
    values[i] = Math.min(255, Math.max(0, Math.round(values[i]! * 255))) / 255;
  return values;
}

/** The picture reduced so that its longer side is at most `maxSide` (aspect kept), for display outputs. */
export function reduceForDisplay(
  image: Float32Array,
  rows: number,
  columns: number,
  maxSide: number,
): { pixels: Float32Array; rows: number; columns: number } {
  const scale = Math.min(1, maxSide / Math.max(rows, columns));
  if (scale === 1) return { pixels: image, rows, columns };
  const outRows = Math.max(1, Math.round(rows * scale));
  const outColumns = Math.max(1, Math.round(columns * scale));
  return {
    pixels: areaResize(image, rows, columns, outRows, outColumns),
    rows: outRows,
    columns: outColumns,
  };
}

/**
 * The model's input from a radiograph on the 0..1 display scale, exactly as training made it
 * (models/training/train_chest_xray.py): a picture larger than the training set's 224×224 is
 * first area-averaged to 224×224 (as the data set was prepared), then bilinear to size×size
 * (align_corners=False, no antialiasing), rounded to 8-bit steps, per-image standardised.
 */
export function modelInput(
  display: Float32Array,
  rows: number,
  columns: number,
  size: number,
): { input: Float32Array; wasReduced: boolean } {
  let source: ArrayLike<number> = display;
  let h = rows;
  let w = columns;
  const wasReduced =
    (rows > TRAINING_SOURCE_SIDE || columns > TRAINING_SOURCE_SIDE) &&
    !(rows === TRAINING_SOURCE_SIDE && columns === TRAINING_SOURCE_SIDE);
  if (wasReduced) {
    source = areaResize(display, rows, columns, TRAINING_SOURCE_SIDE, TRAINING_SOURCE_SIDE);
    h = TRAINING_SOURCE_SIDE;
    w = TRAINING_SOURCE_SIDE;
  }
  const resized = resizeBilinear(source, h, w, size, size);
  return { input: standardise(toEightBitSteps(resized)), wasReduced };
}
