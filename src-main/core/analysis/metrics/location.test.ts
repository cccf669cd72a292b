import { describe, expect, it } from 'vitest';
import { brainBoxFromVolume, estimateLocation, type DirectionCosines } from './location.js';
import type { Vec3, VoxelBox } from './types.js';

/** A 160 × 200 × 140 voxel brain box (1 mm voxels) starting at the origin. */
const BRAIN: VoxelBox = { min: [0, 0, 0], max: [159, 199, 139] };

/** The voxel at fractions (0..1) of the box along x (→ left), y (→ posterior), z (→ superior). */
const at = (fx: number, fy: number, fz: number): Vec3 => [159 * fx, 199 * fy, 139 * fz];

const locate = (centroidVoxel: Vec3, direction?: DirectionCosines) =>
  estimateLocation({
    centroidVoxel,
    brainBox: BRAIN,
    spacing: [1, 1, 1],
    ...(direction === undefined ? {} : { direction }),
  });

describe('approximate location', () => {
  it('names hemisphere and lobe from the position in the brain box (LPS voxel axes)', () => {
    expect(locate(at(0.8, 0.2, 0.7)).description).toBe('Left frontal lobe (approximate)');
    expect(locate(at(0.2, 0.2, 0.7)).description).toBe('Right frontal lobe (approximate)');
    expect(locate(at(0.3, 0.6, 0.8)).description).toBe('Right parietal lobe (approximate)');
    expect(locate(at(0.85, 0.9, 0.6)).description).toBe('Left occipital lobe (approximate)');
    expect(locate(at(0.1, 0.45, 0.35)).description).toBe('Right temporal lobe (approximate)');
    expect(locate(at(0.7, 0.85, 0.15)).description).toBe('Left cerebellum (approximate)');
    expect(locate(at(0.5, 0.55, 0.15)).description).toBe('Brainstem (approximate)');
    expect(locate(at(0.52, 0.3, 0.8)).description).toBe('Frontal lobe, midline (approximate)');
    const location = locate(at(0.8, 0.2, 0.7));
    expect(location.approximate).toBe(true);
    expect(location.relativePosition.left).toBeCloseTo(0.6, 2);
    expect(location.relativePosition.posterior).toBeCloseTo(-0.6, 2);
  });

  it('treats within 5 % of the width from the centre as midline', () => {
    expect(locate(at(0.54, 0.2, 0.7)).hemisphere).toBe('midline');
    expect(locate(at(0.56, 0.2, 0.7)).hemisphere).toBe('left');
    expect(locate(at(0.44, 0.2, 0.7)).hemisphere).toBe('right');
  });

  it('follows the direction cosines: an x axis running to the patient right flips the side', () => {
    const towardsRight: DirectionCosines = [-1, 0, 0, 0, 1, 0, 0, 0, 1];
    expect(locate(at(0.8, 0.2, 0.7), towardsRight).hemisphere).toBe('right');
    // A coronal series: y runs from superior to inferior, z from anterior to posterior.
    const coronal: DirectionCosines = [1, 0, 0, 0, 0, -1, 0, 1, 0];
    const box: VoxelBox = { min: [0, 0, 0], max: [159, 139, 199] };
    const location = estimateLocation({
      centroidVoxel: [159 * 0.8, 139 * 0.3, 199 * 0.2], // high (y small) and anterior (z small)
      brainBox: box,
      spacing: [1, 1, 1],
      direction: coronal,
    });
    expect(location.description).toBe('Left frontal lobe (approximate)');
  });

  it('gives no lobe for a single axial slice, where height is unknown', () => {
    const location = estimateLocation({
      centroidVoxel: [150, 40, 0],
      brainBox: { min: [0, 0, 0], max: [199, 199, 0] },
      spacing: [1, 1, 1],
    });
    expect(location.region).toBeNull();
    expect(location.relativePosition.superior).toBeNull();
    expect(location.description).toBe('Left hemisphere (approximate)');
  });

  it('finds the brain box of the non-zero samples, or none', () => {
    const values = new Float32Array(4 * 3 * 2);
    values[1 + 4 * (2 + 3 * 0)] = 5;
    values[3 + 4 * (1 + 3 * 1)] = 0.5;
    expect(brainBoxFromVolume(values, [4, 3, 2])).toEqual({ min: [1, 1, 0], max: [3, 2, 1] });
    expect(brainBoxFromVolume(values, [4, 3, 2], 1)).toEqual({ min: [1, 2, 0], max: [1, 2, 0] });
    expect(brainBoxFromVolume(new Int16Array(24), [4, 3, 2])).toBeNull();
  });
});
