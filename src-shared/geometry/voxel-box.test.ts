import { describe, expect, it } from 'vitest';
import { boxVoxelCount, cropToBox, EMPTY_BOX, nonZeroBox } from './voxel-box.js';

type Triple = [number, number, number];

/** A synthetic label volume: two balls of different labels and one stray voxel. */
function syntheticVolume(dims: Triple): Uint8Array {
  const [nx, ny, nz] = dims;
  const volume = new Uint8Array(nx * ny * nz);
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) {
        if (Math.hypot(x - 12, y - 9, z - 7) <= 3) volume[x + nx * (y + ny * z)] = 2;
        if (Math.hypot(x - 20, y - 15, z - 10) <= 2) volume[x + nx * (y + ny * z)] = 4;
      }
  volume[25 + nx * (4 + ny * 12)] = 1;
  return volume;
}

describe('nonZeroBox and cropToBox', () => {
  const dims: Triple = [30, 22, 16];
  const volume = syntheticVolume(dims);

  it('finds the smallest box around every labelled voxel', () => {
    // x: ball 1 from 9, stray voxel at 25; y: stray at 4, ball 2 to 17; z: ball 1 from 4, stray at 12.
    expect(nonZeroBox(volume, dims)).toEqual({ offset: [9, 4, 4], size: [17, 14, 9] });
  });

  it('crops exactly the box: every voxel equal to the volume at offset + index', () => {
    const box = nonZeroBox(volume, dims);
    const crop = cropToBox(volume, dims, box);
    expect(crop.length).toBe(boxVoxelCount(box));
    const [sx, sy, sz] = box.size;
    let labelled = 0;
    for (let z = 0; z < sz; z++)
      for (let y = 0; y < sy; y++)
        for (let x = 0; x < sx; x++) {
          const [ox, oy, oz] = box.offset;
          const value = crop[x + sx * (y + sy * z)]!;
          expect(value).toBe(volume[ox + x + dims[0] * (oy + y + dims[1] * (oz + z))]);
          if (value !== 0) labelled++;
        }
    // Nothing labelled is left outside the box.
    expect(labelled).toBe(volume.filter((v) => v !== 0).length);
  });

  it('answers the empty box for an empty mask, and the whole grid for a full one', () => {
    expect(nonZeroBox(new Uint8Array(30 * 22 * 16), dims)).toEqual(EMPTY_BOX);
    expect(cropToBox(new Uint8Array(8), [2, 2, 2], EMPTY_BOX)).toHaveLength(0);
    expect(nonZeroBox(new Uint8Array(24).fill(3), [4, 3, 2])).toEqual({
      offset: [0, 0, 0],
      size: [4, 3, 2],
    });
  });

  it('finds a single voxel in a corner', () => {
    const corner = new Uint8Array(24);
    corner[23] = 1;
    expect(nonZeroBox(corner, [4, 3, 2])).toEqual({ offset: [3, 2, 1], size: [1, 1, 1] });
  });

  it('refuses a mask of the wrong size and a box that leaves the grid', () => {
    expect(() => nonZeroBox(new Uint8Array(10), [4, 3, 2])).toThrow(/10 voxels, not 4×3×2/);
    expect(() =>
      cropToBox(new Uint8Array(24), [4, 3, 2], { offset: [2, 0, 0], size: [3, 1, 1] }),
    ).toThrow(/leaves the 4×3×2 grid/);
  });
});
