import { describe, expect, it } from 'vitest';
import { maskToSourceOrder, planToLps, reorientToLps } from './reorient.js';
import type { Volume } from './volume.js';

/** A 2x3x4 volume whose value encodes its LPS position: 100*L + 10*P + S. */
function lpsCoded(direction: Volume['direction'], dims: Volume['dims']): Volume {
  const data = new Float32Array(dims[0] * dims[1] * dims[2]);
  const axes = [0, 1, 2].map((a) => [
    direction[a * 3]!,
    direction[a * 3 + 1]!,
    direction[a * 3 + 2]!,
  ]);
  let n = 0;
  for (let k = 0; k < dims[2]; k++)
    for (let j = 0; j < dims[1]; j++)
      for (let i = 0; i < dims[0]; i++) {
        const p = [0, 1, 2].map((c) => i * axes[0]![c]! + j * axes[1]![c]! + k * axes[2]![c]!);
        data[n++] = 100 * p[0]! + 10 * p[1]! + p[2]!;
      }
  return { dims, spacing: [1, 2, 3], direction, data };
}

describe('reorientation to the models axial LPS convention', () => {
  it('leaves an axial LPS volume as it is', () => {
    const v = lpsCoded([1, 0, 0, 0, 1, 0, 0, 0, 1], [2, 3, 4]);
    const { volume } = reorientToLps(v);
    expect(Array.from(volume.data)).toEqual(Array.from(v.data));
    expect(volume.spacing).toEqual([1, 2, 3]);
  });

  it('turns a sagittal, flipped volume into the same LPS-ordered voxels', () => {
    // x runs posterior→anterior, y superior→inferior, z right→left (a typical sagittal 3D T1).
    const sagittal = lpsCoded([0, -1, 0, 0, 0, -1, 1, 0, 0], [3, 4, 2]);
    const { volume, plan } = reorientToLps(sagittal);
    expect(plan.sourceAxis).toEqual([2, 0, 1]);
    expect(plan.flip).toEqual([false, true, true]);
    expect(volume.dims).toEqual([2, 3, 4]);
    expect(volume.spacing).toEqual([3, 1, 2]);
    // Values increase along L, P and S once reoriented: voxel (i,j,k) of the output.
    const at = (i: number, j: number, k: number) => volume.data[i + 2 * j + 6 * k]!;
    expect(at(1, 0, 0) - at(0, 0, 0)).toBe(100);
    expect(at(0, 1, 0) - at(0, 0, 0)).toBe(10);
    expect(at(0, 0, 1) - at(0, 0, 0)).toBe(1);
  });

  it('maps a mask made in LPS order back onto the source voxel grid', () => {
    const direction: Volume['direction'] = [-1, 0, 0, 0, 0, 1, 0, -1, 0];
    const source = lpsCoded(direction, [4, 3, 2]);
    const { volume, plan } = reorientToLps(source);
    const mask = Uint8Array.from(volume.data, (v) => (v === volume.data[5] ? 1 : 0));
    const back = maskToSourceOrder(mask, source.dims, plan);
    const marked = back.findIndex((v) => v === 1);
    expect(source.data[marked]).toBe(volume.data[5]);
    expect(back.reduce((a, b) => a + b, 0)).toBe(1);
  });

  it('snaps a slightly oblique series to its nearest patient axes', () => {
    const c = Math.cos(0.1);
    const s = Math.sin(0.1);
    expect(planToLps([c, s, 0, -s, c, 0, 0, 0, 1])).toEqual({
      sourceAxis: [0, 1, 2],
      flip: [false, false, false],
    });
  });
});
