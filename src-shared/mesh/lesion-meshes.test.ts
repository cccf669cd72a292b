import { describe, expect, it } from 'vitest';
import { cropToBox, nonZeroBox } from '../geometry/voxel-box.js';
import { meshLesions } from './lesion-meshes.js';
import { LESION_QUALITY } from './mask-surface.js';
import type { VolumePlacement } from './patient-space.js';

type Triple = [number, number, number];

const placement: VolumePlacement = {
  origin: [100, -50, 20],
  direction: [
    [-1, 0, 0],
    [0, -1, 0],
    [0, 0, 1],
  ],
};

/** Two balls (radius in voxels) far from the grid's origin. */
function twoBalls(dims: Triple): Uint8Array {
  const [nx, ny, nz] = dims;
  const mask = new Uint8Array(nx * ny * nz);
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++)
        if (Math.hypot(x - 40, y - 30, z - 25) <= 6 || Math.hypot(x - 52, y - 41, z - 30) <= 3)
          mask[x + nx * (y + ny * z)] = 1;
  return mask;
}

describe('meshLesions on a cropped mask', () => {
  const dims: Triple = [64, 56, 40];
  const spacing: Triple = [0.9, 0.9, 1.2];
  const mask = twoBalls(dims);

  it('gives the same lesions from the labelled box with its offset as from the whole grid', () => {
    const box = nonZeroBox(mask, dims);
    for (const quality of ['low', 'medium'] as const) {
      const whole = meshLesions({
        mask,
        dims,
        spacing,
        placement,
        quality: LESION_QUALITY[quality],
      });
      const cropped = meshLesions({
        mask: cropToBox(mask, dims, box),
        dims: box.size,
        offset: box.offset,
        spacing,
        placement,
        quality: LESION_QUALITY[quality],
      });
      expect(cropped.map((l) => [l.id, l.voxelCount])).toEqual(
        whole.map((l) => [l.id, l.voxelCount]),
      );
      expect(cropped).toHaveLength(2);
      for (const [n, lesion] of cropped.entries()) {
        const reference = whole[n]!;
        expect(lesion.mesh.indices).toEqual(reference.mesh.indices);
        const p = lesion.mesh.positions;
        for (let i = 0; i < p.length; i++)
          expect(Math.abs(p[i]! - reference.mesh.positions[i]!)).toBeLessThan(1e-3);
        expect(lesion.maxDiameterMm).toBeCloseTo(reference.maxDiameterMm, 3);
      }
      // The large ball's centre in patient space: origin + direction · (index × spacing).
      expect(cropped[0]!.centre[0]).toBeCloseTo(100 - 40 * 0.9, 0);
      expect(cropped[0]!.centre[1]).toBeCloseTo(-50 - 30 * 0.9, 0);
      expect(cropped[0]!.centre[2]).toBeCloseTo(20 + 25 * 1.2, 0);
    }
  });

  it('answers no lesions for an empty mask', () => {
    expect(
      meshLesions({
        mask: new Uint8Array(dims[0] * dims[1] * dims[2]),
        dims,
        spacing,
        placement,
        quality: LESION_QUALITY.low,
      }),
    ).toEqual([]);
  });
});
