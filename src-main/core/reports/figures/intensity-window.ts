/** A display window: values at or below `low` are black, at or above `high` white. */
export interface IntensityWindow {
  low: number;
  high: number;
}

/** Percentiles of the foreground that bound the window: robust to a few hot or cold voxels. */
export const WINDOW_PERCENTILES = { low: 0.5, high: 99.5 } as const;
/** Values sampled at most (an even stride through the volume): percentiles do not need more. */
const MAX_SAMPLES = 100_000;
const BINS = 4096;

/**
 * A percentile window over the volume's foreground: the 0.5th to the 99.5th percentile of the
 * values above the volume's minimum (the air and padding around a head are the minimum and
 * would otherwise pull the window down to black). Computed with a histogram over an even sample,
 * so a 256 × 256 × 170 volume costs a few milliseconds. A constant image gets a window around
 * its value so it shows mid-grey rather than dividing by zero.
 */
export function percentileWindow(values: Float32Array): IntensityWindow {
  const stride = Math.max(1, Math.floor(values.length / MAX_SAMPLES));
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i += stride) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!(max > min)) {
    const centre = Number.isFinite(min) ? min : 0;
    return { low: centre - 1, high: centre + 1 };
  }
  const histogram = new Float64Array(BINS);
  const width = (max - min) / BINS;
  let foreground = 0;
  for (let i = 0; i < values.length; i += stride) {
    const v = values[i]!;
    if (!(v > min) || !Number.isFinite(v)) continue;
    histogram[Math.min(BINS - 1, Math.floor((v - min) / width))]! += 1;
    foreground++;
  }
  const valueAt = (percentile: number): number => {
    const target = (percentile / 100) * foreground;
    let seen = 0;
    for (let bin = 0; bin < BINS; bin++) {
      seen += histogram[bin]!;
      if (seen >= target) return min + (bin + 0.5) * width;
    }
    return max;
  };
  const low = valueAt(WINDOW_PERCENTILES.low);
  const high = valueAt(WINDOW_PERCENTILES.high);
  return high > low ? { low, high } : { low: min, high: max };
}
