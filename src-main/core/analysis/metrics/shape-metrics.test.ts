import { describe, expect, it } from 'vitest';
import { computeSliceShapeMetrics, computeVolumeShapeMetrics } from './shape-metrics.js';

describe('shape metric formulas', () => {
  it('gives 1 for the sphericity and compactness of an ideal sphere', () => {
    const r = 10;
    const metrics = computeVolumeShapeMetrics({
      voxelCount: (4 / 3) * Math.PI * r ** 3, // unit voxels
      spacing: [1, 1, 1],
      surfaceArea_mm2: 4 * Math.PI * r * r,
      diameter_mm: 2 * r,
      eigenvalues: [20, 20, 20],
    });
    expect(metrics.sphericity).toBeCloseTo(1, 12);
    expect(metrics.compactness).toBeCloseTo(1, 12);
    expect(metrics.elongation).toBe(1);
    expect(metrics.flatness).toBe(1);
  });

  it('multiplies the voxel count by the voxel volume and follows pyradiomics for a cube', () => {
    const metrics = computeVolumeShapeMetrics({
      voxelCount: 1000,
      spacing: [0.5, 1, 2],
      surfaceArea_mm2: 600,
      diameter_mm: 10 * Math.sqrt(3),
      eigenvalues: [25 / 3, 25 / 3, 25 / 3],
    });
    expect(metrics.volume_mm3).toBe(1000);
    expect(metrics.sphericity).toBeCloseTo(Math.cbrt(Math.PI / 6), 12); // 0.806 for a cube
    expect(metrics.compactness).toBeCloseTo(Math.PI / 6, 12); // = sphericity³
  });

  it('takes square roots of eigenvalue ratios for elongation and flatness', () => {
    const metrics = computeVolumeShapeMetrics({
      voxelCount: 1,
      spacing: [1, 1, 1],
      surfaceArea_mm2: 1,
      diameter_mm: 1,
      eigenvalues: [100, 25, 4],
    });
    expect(metrics.elongation).toBeCloseTo(0.5, 12);
    expect(metrics.flatness).toBeCloseTo(0.2, 12);
  });

  it('reads a single voxel (no principal direction) as round, not NaN', () => {
    const metrics = computeVolumeShapeMetrics({
      voxelCount: 1,
      spacing: [1, 1, 1],
      surfaceArea_mm2: 4,
      diameter_mm: 1,
      eigenvalues: [0, 0, 0],
    });
    expect([metrics.elongation, metrics.flatness]).toEqual([1, 1]);
  });

  it('gives circularity 1 for an ideal disc in 2D', () => {
    const r = 7;
    const metrics = computeSliceShapeMetrics({
      pixelCount: Math.PI * r * r,
      spacing: [1, 1],
      perimeter: 2 * Math.PI * r,
      diameter: 2 * r,
      eigenvalues: [(r * r) / 4, (r * r) / 4, 0],
    });
    expect(metrics.circularity).toBeCloseTo(1, 12);
    expect(metrics.elongation).toBe(1);
  });
});
