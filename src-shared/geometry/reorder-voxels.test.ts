import { describe, expect, it } from 'vitest';
import type { AxisPermutation } from './reorient.js';
import { permuteVoxels, unpermuteVoxels } from './reorder-voxels.js';

const PERMUTATIONS: Array<[number, number, number]> = [
  [0, 1, 2],
  [0, 2, 1],
  [1, 0, 2],
  [1, 2, 0],
  [2, 0, 1],
  [2, 1, 0],
];

/** Every axis order with every combination of flips: the 48 ways a grid can lie. */
const PLANS: AxisPermutation[] = PERMUTATIONS.flatMap((sourceAxis) =>
  Array.from({ length: 8 }, (_, bits) => ({
    sourceAxis,
    flip: [(bits & 1) !== 0, (bits & 2) !== 0, (bits & 4) !== 0] as [boolean, boolean, boolean],
  })),
);

describe('permuteVoxels', () => {
  // A grid with three different sizes, so a stride taken from the wrong axis shows.
  const dims: [number, number, number] = [5, 3, 4];
  const data = Float32Array.from({ length: 60 }, (_, n) => n);
  const at = (x: number, y: number, z: number): number => data[x + 5 * (y + 3 * z)]!;

  it('puts each voxel where its plan says, for all 48 axis orders and flips', () => {
    for (const plan of PLANS) {
      const out = [0, 1, 2].map((axis) => dims[plan.sourceAxis[axis]!]!);
      const permuted = permuteVoxels(data, dims, plan, new Float32Array(60));
      for (let k = 0; k < out[2]!; k++)
        for (let j = 0; j < out[1]!; j++)
          for (let i = 0; i < out[0]!; i++) {
            const source = [0, 0, 0];
            [i, j, k].forEach((value, axis) => {
              source[plan.sourceAxis[axis]!] = plan.flip[axis] ? out[axis]! - 1 - value : value;
            });
            expect(permuted[i + out[0]! * (j + out[1]! * k)]).toBe(
              at(source[0]!, source[1]!, source[2]!),
            );
          }
      expect([...unpermuteVoxels(permuted, dims, plan, new Float32Array(60))]).toEqual([...data]);
    }
  });

  it('reorders a 240 × 240 × 155 label map in well under a second', () => {
    const big = new Uint8Array(240 * 240 * 155);
    for (let n = 0; n < big.length; n++) big[n] = n % 7;
    const plan: AxisPermutation = { sourceAxis: [0, 2, 1], flip: [false, true, false] };
    const started = Date.now();
    const permuted = permuteVoxels(big, [240, 240, 155], plan, new Uint8Array(big.length));
    const back = unpermuteVoxels(permuted, [240, 240, 155], plan, new Uint8Array(big.length));
    // ~20 ms on an idle machine; the bound leaves room for a loaded CI runner.
    expect(Date.now() - started).toBeLessThan(1000);
    let mismatches = 0;
    for (let n = 0; n < big.length; n++) if (back[n] !== big[n]) mismatches++;
    expect(mismatches).toBe(0);
  });
});
