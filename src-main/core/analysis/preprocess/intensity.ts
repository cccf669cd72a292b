/**
 * Intensity normalisations the models were trained with (see each model's manifest and
 * models/training/common.py); NumPy's and PyTorch's exact definitions are reproduced.
 */

/** numpy.percentile with linear interpolation, on an already sorted array. */
export function percentileOfSorted(sorted: ArrayLike<number>, percent: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const position = (percent / 100) * (n - 1);
  const lower = Math.floor(position);
  const upper = Math.min(lower + 1, n - 1);
  const fraction = position - lower;
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * fraction;
}

export interface PercentileWindow {
  low: number;
  high: number;
}

/**
 * The window from the `lowPercentile`..`highPercentile` of the volume's non-zero voxels
 * (background is zero in MR volumes and would otherwise dominate). An all-zero volume gives
 * 0..1; a degenerate window is widened to one unit.
 */
export function nonZeroPercentileWindow(
  values: ArrayLike<number>,
  lowPercentile: number,
  highPercentile: number,
): PercentileWindow {
  let count = 0;
  for (let i = 0; i < values.length; i++) if (values[i] !== 0) count++;
  if (count === 0) return { low: 0, high: 1 };
  const nonZero = new Float64Array(count);
  let j = 0;
  for (let i = 0; i < values.length; i++) if (values[i] !== 0) nonZero[j++] = values[i]!;
  nonZero.sort();
  const low = percentileOfSorted(nonZero, lowPercentile);
  let high = percentileOfSorted(nonZero, highPercentile);
  if (high <= low) high = low + 1;
  return { low, high };
}

/** clip((x - low) / (high - low), 0, 1) into a new Float32Array. */
export function applyWindow(
  values: ArrayLike<number>,
  window: PercentileWindow,
  target = new Float32Array(values.length),
): Float32Array {
  const scale = 1 / (window.high - window.low);
  for (let i = 0; i < values.length; i++) {
    const v = (values[i]! - window.low) * scale;
    target[i] = v < 0 ? 0 : v > 1 ? 1 : v;
  }
  return target;
}

/** Per-image standardisation: (x - mean) / max(std, 1e-6), population std (PyTorch unbiased=False). */
export function standardise(values: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  const mean = sum / values.length;
  let squares = 0;
  for (let i = 0; i < values.length; i++) squares += (values[i]! - mean) ** 2;
  const std = Math.max(Math.sqrt(squares / values.length), 1e-6);
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = (values[i]! - mean) / std;
  return out;
}

/** RGB to 8-bit luma exactly as PIL's convert('L'), which the classifier's training used. */
export function rgbToLuma(r: number, g: number, b: number): number {
  return (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16;
}
