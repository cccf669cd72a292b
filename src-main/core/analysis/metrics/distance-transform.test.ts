import { describe, expect, it } from 'vitest';
import { squaredDistanceToFeatures } from './distance-transform.js';

describe('squared Euclidean distance transform', () => {
  it('matches brute force on a random grid with anisotropic pixels', () => {
    const [nx, ny, hx, hy] = [23, 17, 0.7, 1.9];
    let state = 5;
    const isFeature = Uint8Array.from({ length: nx * ny }, () => {
      state = (state * 1664525 + 1013904223) >>> 0;
      return state / 2 ** 32 < 0.05 ? 1 : 0;
    });
    const distances = squaredDistanceToFeatures(isFeature, nx, ny, hx, hy);
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++) {
        let best = Infinity;
        for (let v = 0; v < ny; v++)
          for (let u = 0; u < nx; u++)
            if (isFeature[u + nx * v])
              best = Math.min(best, ((x - u) * hx) ** 2 + ((y - v) * hy) ** 2);
        expect(distances[x + nx * y]).toBeCloseTo(best, 9);
      }
    }
  });

  it('reports a huge distance when there is no feature at all', () => {
    const distances = squaredDistanceToFeatures(new Uint8Array(12), 4, 3, 1, 1);
    expect(Math.min(...distances)).toBeGreaterThan(1e19);
  });
});
