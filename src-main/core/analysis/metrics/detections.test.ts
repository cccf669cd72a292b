import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../src-shared/errors.js';
import { extractDetections } from './detections.js';
import { meshEnclosedVolume } from './surface-area.js';
import { emptyMask, paintBlock, paintShape, sphereShape } from './testing/synthetic-masks.js';

describe('extractDetections', () => {
  it('returns two separate blobs as two detections, largest first, with stable ids', () => {
    const volume = emptyMask([80, 60, 40], [1, 1, 2]);
    paintShape(volume, [20, 30, 40], sphereShape(6)); // small, first in scan order
    paintShape(volume, [55, 30, 40], sphereShape(12));
    const detections = extractDetections({
      mask: volume.mask,
      dims: volume.dims,
      spacing: volume.spacing,
    });
    expect(detections.map((d) => d.detectionId)).toEqual(['det-1', 'det-2']);
    const [large, small] = detections as [(typeof detections)[0], (typeof detections)[0]];
    expect(large.voxelCount).toBeGreaterThan(small.voxelCount);
    expect(large.centroid.mm![0]).toBeCloseTo(55, 0);
    expect(small.centroid.mm![0]).toBeCloseTo(20, 0);
    expect(large.units).toBe('mm');
    expect(large.confidence).toBeNull();
    if (large.metrics.kind !== 'volume') throw new Error('expected volume metrics');
    expect(large.metrics.volume_mm3).toBe(large.voxelCount * 2);
    expect(large.boundingBox.mm!.size[0]).toBeCloseTo(25, 0);
    expect(large.location.approximate).toBe(true);
    expect(large.mesh).toBeUndefined();
    // The same mask gives the same answer.
    expect(
      extractDetections({ mask: volume.mask, dims: volume.dims, spacing: volume.spacing }),
    ).toEqual(detections);
  });

  it('drops components below minComponentVoxels', () => {
    const volume = emptyMask([30, 30, 10]);
    paintBlock(volume, [2, 2, 2], [9, 9, 6]); // 320 voxels
    paintBlock(volume, [20, 20, 2], [21, 21, 2]); // 4 voxels of noise
    volume.mask[29 + 30 * 29 + 900 * 9] = 1; // a single voxel in the corner
    const all = extractDetections({ mask: volume.mask, dims: volume.dims, spacing: [1, 1, 1] });
    expect(all.map((d) => d.voxelCount)).toEqual([320, 4, 1]);
    const kept = extractDetections({
      mask: volume.mask,
      dims: volume.dims,
      spacing: [1, 1, 1],
      minComponentVoxels: 5,
    });
    expect(kept.map((d) => d.voxelCount)).toEqual([320]);
  });

  it('joins diagonal neighbours with 26-connectivity unless asked for 6', () => {
    const volume = emptyMask([5, 5, 5]);
    paintBlock(volume, [0, 0, 0], [1, 1, 1]);
    paintBlock(volume, [2, 2, 2], [3, 3, 3]);
    const input = { mask: volume.mask, dims: volume.dims, spacing: [1, 1, 1] as const };
    expect(extractDetections(input)).toHaveLength(1);
    expect(extractDetections({ ...input, connectivity: 6 })).toHaveLength(2);
  });

  it('averages the probabilities inside each component for its confidence', () => {
    const volume = emptyMask([20, 10, 10]);
    paintBlock(volume, [1, 1, 1], [4, 4, 4]);
    paintBlock(volume, [12, 1, 1], [13, 2, 2]);
    const probabilities = new Float32Array(volume.mask.length).fill(0.05);
    volume.mask.forEach((value, i) => {
      if (value) probabilities[i] = i % 2 === 0 ? 0.9 : 0.7;
    });
    const detections = extractDetections({ ...volume, probabilities });
    for (const detection of detections) expect(detection.confidence).toBeCloseTo(0.8, 5);
  });

  it('closes the surface of a lesion cut by the border of the volume', () => {
    const volume = emptyMask([30, 30, 12], [1, 1, 2]);
    paintShape(volume, [0, 15, 12], sphereShape(10)); // centred on the x = 0 face
    const [detection] = extractDetections({ ...volume, includeMesh: true });
    expect(detection!.boundingBox.voxels.min[0]).toBe(0);
    if (detection!.metrics.kind !== 'volume') throw new Error('expected volume metrics');
    // A closed mesh encloses the voxel volume (half a sphere, cut face included).
    expect(meshEnclosedVolume(detection!.mesh!) / detection!.metrics.volume_mm3).toBeCloseTo(1, 2);
    const halfSphere = (2 / 3) * Math.PI * 1000;
    expect(detection!.metrics.volume_mm3 / halfSphere).toBeGreaterThan(0.95);
    expect(detection!.metrics.volume_mm3 / halfSphere).toBeLessThan(1.15);
  });

  it('gives finite measures for a single voxel, also with thick slices', () => {
    for (const spacing of [
      [1, 1, 1],
      [0.5, 0.5, 4],
    ] as const) {
      const volume = emptyMask([5, 5, 5], spacing);
      volume.mask[2 + 5 * 2 + 25 * 2] = 1;
      const [detection] = extractDetections({ ...volume, includeMesh: true });
      if (detection?.metrics.kind !== 'volume') throw new Error('expected volume metrics');
      const { metrics } = detection;
      expect(metrics.volume_mm3).toBeCloseTo(spacing[0] * spacing[1] * spacing[2], 9);
      for (const value of Object.values(metrics))
        if (typeof value === 'number') expect(Number.isFinite(value)).toBe(true);
      expect(metrics.surface_area_mm2).toBeGreaterThan(0);
      expect(meshEnclosedVolume(detection.mesh!) / metrics.volume_mm3).toBeCloseTo(1, 2);
    }
  });

  it('returns nothing for an empty mask', () => {
    const volume = emptyMask([16, 16, 8]);
    expect(extractDetections({ ...volume })).toEqual([]);
  });

  it('measures a single slice of unknown pixel size in pixels', () => {
    const volume = emptyMask([64, 48, 1]);
    paintShape(volume, [20.3, 24.1, 0], sphereShape(10));
    const [detection] = extractDetections({ mask: volume.mask, dims: volume.dims, spacing: null });
    expect(detection!.units).toBe('pixels');
    expect(detection!.boundingBox.mm).toBeNull();
    expect(detection!.centroid.mm).toBeNull();
    if (detection!.metrics.kind !== 'slice') throw new Error('expected slice metrics');
    const { area, perimeter, diameter, circularity, elongation } = detection!.metrics;
    expect(area).toBe(detection!.voxelCount);
    expect(perimeter / (2 * Math.PI * 10)).toBeCloseTo(1, 1);
    expect(diameter / 20).toBeCloseTo(1, 1);
    expect(circularity).toBeGreaterThan(0.97);
    expect(elongation).toBeGreaterThan(0.97);
    expect(detection!.location.region).toBeNull();
  });

  it('measures a single slice in mm when its pixel spacing is known', () => {
    const volume = emptyMask([64, 48, 1], [0.5, 0.5, 5]);
    paintShape(volume, [15, 12, 0], sphereShape(6));
    const [detection] = extractDetections({ ...volume });
    expect(detection!.units).toBe('mm');
    if (detection!.metrics.kind !== 'slice') throw new Error('expected slice metrics');
    expect(detection!.metrics.area).toBe(detection!.voxelCount * 0.25);
    expect(detection!.metrics.diameter / 12).toBeCloseTo(1, 1);
  });

  it('uses the brain mask and the direction for the location', () => {
    const volume = emptyMask([40, 40, 20]);
    paintBlock(volume, [28, 5, 12], [31, 8, 15]); // high x: patient left with identity
    expect(extractDetections(volume)[0]!.location.hemisphere).toBe('left');
    const flipped = extractDetections({ ...volume, direction: [-1, 0, 0, 0, 1, 0, 0, 0, 1] });
    expect(flipped[0]!.location.hemisphere).toBe('right');
    // A brain occupying x 20..39 has its midline where the lesion is.
    const brainMask = new Uint8Array(volume.mask.length);
    for (let i = 0; i < brainMask.length; i++) if (i % 40 >= 20) brainMask[i] = 1;
    expect(extractDetections({ ...volume, brainMask })[0]!.location.hemisphere).toBe('midline');
    const brainBox = { min: [0, 0, 0], max: [39, 39, 19] } as const;
    expect(extractDetections({ ...volume, brainMask, brainBox })[0]!.location.hemisphere).toBe(
      'left',
    );
  });

  it('rejects inconsistent input with INVALID_INPUT', () => {
    const volume = emptyMask([4, 4, 4]);
    const cases = [
      { mask: new Uint8Array(10), dims: volume.dims, spacing: [1, 1, 1] as const },
      { ...volume, probabilities: new Float32Array(3) },
      { ...volume, spacing: [1, 0, 1] as const },
      { ...volume, spacing: null },
      { ...volume, dims: [4, 4, 4.5] as const },
    ];
    for (const input of cases) {
      expect(() => extractDetections(input)).toThrow(AppError);
      try {
        extractDetections(input);
      } catch (error) {
        expect((error as AppError).code).toBe('INVALID_INPUT');
      }
    }
  });
});
