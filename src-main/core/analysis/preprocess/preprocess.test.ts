import { describe, expect, it } from 'vitest';
import { softmax, sigmoid } from './activations.js';
import {
  applyWindow,
  nonZeroPercentileWindow,
  percentileOfSorted,
  rgbToLuma,
  standardise,
} from './intensity.js';
import { resizeBilinear } from './resize-bilinear.js';

// Reference values computed with PyTorch 1.13 F.interpolate(mode='bilinear', align_corners=False),
// numpy.percentile and PIL Image.convert('L'): the implementations the models were trained with.
const X = [
  0, 1, 2.828427, 5.196152, 8, 11.18034, 14.696939, 18.52026, 22.627417, 27, 31.622776, 36.482872,
];
const TORCH_UP_5x7 = [
  0, 0.35714, 0.92857, 1.91421, 2.99755, 4.35054, 5.19615, 3.2, 3.86862, 4.93841, 6.32398, 7.78654,
  9.47224, 10.5258, 8, 9.13584, 10.95317, 12.93864, 14.97003, 17.15479, 18.52026, 16.77645,
  18.16777, 20.39388, 22.76229, 25.16997, 27.71019, 29.29783, 22.62742, 24.18905, 26.68767,
  29.31139, 31.96993, 34.74712, 36.48287,
];
const TORCH_DOWN_2x3 = [2.25751, 4.67032, 8.07191, 19.64965, 25.2182, 31.2254];

const close = (actual: ArrayLike<number>, expected: number[], digits = 4): void => {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => expect(actual[i]).toBeCloseTo(e, digits));
};

describe('preprocessing matches the training framework', () => {
  it('resizes up and down exactly as PyTorch bilinear (align_corners=False)', () => {
    close(resizeBilinear(X, 3, 4, 5, 7), TORCH_UP_5x7);
    close(resizeBilinear(X, 3, 4, 2, 3), TORCH_DOWN_2x3);
    close(resizeBilinear(X, 3, 4, 3, 4), X);
  });

  it('takes percentiles of the non-zero voxels as numpy.percentile does', () => {
    const volume = [0, 3, 1, 0, 7, 2, 9, 0, 4, 4, 11, 5];
    const window = nonZeroPercentileWindow(volume, 1, 99);
    expect(window.low).toBeCloseTo(1.08, 6);
    expect(window.high).toBeCloseTo(10.84, 6);
    expect(percentileOfSorted([1, 2, 3, 4, 4, 5, 7, 9, 11], 25)).toBe(3);
    expect(percentileOfSorted([1, 2, 3, 4, 4, 5, 7, 9, 11], 50)).toBe(4);
    const scaled = applyWindow(volume, window);
    expect(scaled[0]).toBe(0);
    expect(scaled[10]).toBe(1);
    expect(scaled[4]).toBeCloseTo((7 - 1.08) / (10.84 - 1.08), 6);
  });

  it('keeps an all-zero or flat volume usable instead of dividing by zero', () => {
    expect(nonZeroPercentileWindow(new Float32Array(10), 1, 99)).toEqual({ low: 0, high: 1 });
    expect(nonZeroPercentileWindow([5, 5, 5], 1, 99)).toEqual({ low: 5, high: 6 });
    const flat = standardise(new Float32Array([2, 2, 2, 2]));
    expect(Array.from(flat)).toEqual([0, 0, 0, 0]);
  });

  it('standardises with the population standard deviation', () => {
    const out = standardise(new Float32Array([1, 2, 3, 4]));
    const std = Math.sqrt(1.25);
    close(out, [-1.5 / std, -0.5 / std, 0.5 / std, 1.5 / std], 5);
  });

  it('converts colour to grey exactly as PIL', () => {
    expect([rgbToLuma(255, 0, 0), rgbToLuma(10, 200, 30), rgbToLuma(123, 45, 67)]).toEqual([
      76, 124, 71,
    ]);
  });

  it('calibrates class probabilities with the temperature', () => {
    const sharp = softmax([2, 0, 0, 0], 1);
    const calibrated = softmax([2, 0, 0, 0], 2);
    expect(sharp.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    expect(calibrated[0]).toBeLessThan(sharp[0]!);
    expect(calibrated[0]).toBeCloseTo(Math.exp(1) / (Math.exp(1) + 3), 10);
    expect(sigmoid(0)).toBe(0.5);
  });
});
