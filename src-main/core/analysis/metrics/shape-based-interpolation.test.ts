import { describe, expect, it } from 'vitest';
import {
  refineAlongAxis,
  refinementFactors,
  type SampledMask,
} from './shape-based-interpolation.js';

/** A stack of z-planes, plane z holding a centred disc of radius radii[z] (mm; < 0: empty). */
function discStack(
  radii: number[],
  size = 21,
  spacing: [number, number, number] = [1, 1, 3],
): SampledMask {
  const field = new Float32Array(size * size * radii.length);
  const centre = (size - 1) / 2;
  radii.forEach((radius, z) => {
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++)
        if (Math.hypot(x - centre, y - centre) <= radius) field[x + size * (y + size * z)] = 1;
  });
  return { field, dims: [size, size, radii.length], spacing };
}

/** Pixels set in fine plane z. */
function planeArea(mask: SampledMask, z: number): number {
  const size = mask.dims[0] * mask.dims[1];
  return mask.field.subarray(z * size, (z + 1) * size).reduce((a, b) => a + b, 0);
}

describe('shape-based interpolation', () => {
  it('refines only clearly coarser axes, by the ratio to the finest spacing', () => {
    expect(refinementFactors([0.8, 1, 2.5])).toEqual([1, 1, 3]);
    expect(refinementFactors([1, 1, 1])).toEqual([1, 1, 1]);
    expect(refinementFactors([0.9, 0.9, 1.2])).toEqual([1, 1, 1]);
    expect(refinementFactors([3, 0.5, 0.5])).toEqual([6, 1, 1]);
    expect(refinementFactors([0.2, 0.2, 6])).toEqual([1, 1, 8]);
  });

  it('keeps the original planes and spaces the new ones evenly', () => {
    const coarse = discStack([-1, 4, 8, 8, -1]);
    const fine = refineAlongAxis(coarse, 2, 3);
    expect(fine.dims).toEqual([21, 21, 13]);
    expect(fine.spacing).toEqual([1, 1, 1]);
    for (let z = 0; z < 5; z++) expect(planeArea(fine, 3 * z)).toBe(planeArea(coarse, z));
  });

  it('moves a contour smoothly between planes instead of in one step', () => {
    const fine = refineAlongAxis(discStack([-1, 3, 9, -1]), 2, 3);
    const areas = [3, 4, 5, 6].map((z) => planeArea(fine, z));
    for (let i = 1; i < areas.length; i++) expect(areas[i]!).toBeGreaterThan(areas[i - 1]!);
  });

  it('ends an object at most half a slice beyond its last plane', () => {
    const fine = refineAlongAxis(discStack([-1, -1, 6, -1, -1]), 2, 4);
    // Plane 2 sits at fine plane 8; half a slice is 2 fine planes, the end itself excluded.
    expect([5, 6, 7, 8, 9, 10, 11].map((z) => planeArea(fine, z) > 0)).toEqual([
      false,
      false,
      true,
      true,
      true,
      false,
      false,
    ]);
  });

  it('leaves the mask alone for a factor below 2', () => {
    const coarse = discStack([-1, 5, -1]);
    expect(refineAlongAxis(coarse, 2, 1)).toBe(coarse);
  });
});
