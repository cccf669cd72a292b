import { describe, expect, it } from 'vitest';
import { classActivationMap } from './class-activation-map.js';

describe('class activation map', () => {
  it('weights each feature channel by the class weight, clips negatives and scales to 0..1', () => {
    // Two 2x2 channels: channel 0 is hot top-left, channel 1 hot bottom-right.
    const features = Float32Array.from([4, 0, 0, 0, 0, 0, 0, 2]);
    const cam = classActivationMap({
      features,
      channels: 2,
      height: 2,
      width: 2,
      classWeights: [0.5, -1],
      outHeight: 2,
      outWidth: 2,
    });
    // 0.5*4 = 2 top-left; bottom-right 0.5*0 - 1*2 = -2 → clipped to 0.
    expect(Array.from(cam)).toEqual([1, 0, 0, 0]);
  });

  it('resizes the map to the image so it can be overlaid', () => {
    const cam = classActivationMap({
      features: Float32Array.from([1, 0, 0, 0]),
      channels: 1,
      height: 2,
      width: 2,
      classWeights: [1],
      outHeight: 8,
      outWidth: 8,
    });
    expect(cam).toHaveLength(64);
    expect(cam[0]).toBeCloseTo(1, 5);
    expect(cam[63]).toBeCloseTo(0, 5);
    expect(Math.max(...cam)).toBeLessThanOrEqual(1);
  });

  it('refuses weights that do not match the feature map', () => {
    expect(() =>
      classActivationMap({
        features: new Float32Array(8),
        channels: 2,
        height: 2,
        width: 2,
        classWeights: [1],
        outHeight: 2,
        outWidth: 2,
      }),
    ).toThrow(/channels/);
  });
});
