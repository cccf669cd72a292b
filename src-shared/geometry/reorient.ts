import type { Affine } from './affine.js';
import type { ReadonlyVector3, Vector3 } from './vector.js';

/**
 * How to re-order voxels so that axis 0 runs towards the patient's left, axis 1 posterior and
 * axis 2 superior (the usual axial stack, and the models' convention). For each output axis:
 * which input axis feeds it, and whether that axis is reversed. Oblique volumes are snapped to
 * the nearest patient axes; obliquity is small in clinical brain series.
 */
export interface AxisPermutation {
  /** sourceAxis[o] = input axis (0 i, 1 j, 2 k) that becomes output axis o (0 L, 1 P, 2 S). */
  sourceAxis: [number, number, number];
  /** flip[o]: the input axis points against the patient axis. */
  flip: [boolean, boolean, boolean];
}

/**
 * The permutation onto LPS for an LPS affine (columns are voxel axes, any length). Greedy on
 * the largest remaining |cosine|, so an oblique axis cannot take another's place.
 */
export function nearestLpsPermutation(lps: Affine): AxisPermutation {
  const taken = { rows: new Set<number>(), cols: new Set<number>() };
  const sourceAxis: [number, number, number] = [0, 1, 2];
  const flip: [boolean, boolean, boolean] = [false, false, false];
  for (let step = 0; step < 3; step++) {
    let best = { row: -1, col: -1, value: -1 };
    for (let row = 0; row < 3; row++) {
      if (taken.rows.has(row)) continue;
      for (let col = 0; col < 3; col++) {
        if (taken.cols.has(col)) continue;
        const length = Math.hypot(lps.m[0][col]!, lps.m[1][col]!, lps.m[2][col]!) || 1;
        const value = Math.abs(lps.m[row]![col]!) / length;
        if (value > best.value) best = { row, col, value };
      }
    }
    taken.rows.add(best.row);
    taken.cols.add(best.col);
    sourceAxis[best.row] = best.col;
    flip[best.row] = lps.m[best.row]![best.col]! < 0;
  }
  return { sourceAxis, flip };
}

/** The permutation onto LPS for a volume whose voxel axes point along `axes` (in LPS). */
export function lpsPermutationOfAxes(
  axes: readonly [ReadonlyVector3, ReadonlyVector3, ReadonlyVector3],
): AxisPermutation {
  const row = (r: 0 | 1 | 2): Vector3 => [axes[0][r], axes[1][r], axes[2][r]];
  return nearestLpsPermutation({ m: [row(0), row(1), row(2)], offset: [0, 0, 0] });
}

/** The grid size after the permutation. */
export function permutedDims(dims: ReadonlyVector3, plan: AxisPermutation): Vector3 {
  return [dims[plan.sourceAxis[0]]!, dims[plan.sourceAxis[1]]!, dims[plan.sourceAxis[2]]!];
}

/** The affine of the re-ordered grid, given the source grid's dims. */
export function reorientedAffine(
  lps: Affine,
  plan: AxisPermutation,
  dims: readonly number[],
): Affine {
  const m: [Vector3, Vector3, Vector3] = [
    [0, 0, 0],
    [0, 0, 0],
    [0, 0, 0],
  ];
  const firstVoxel: Vector3 = [0, 0, 0];
  for (let out = 0; out < 3; out++) {
    const src = plan.sourceAxis[out]!;
    const sign = plan.flip[out] ? -1 : 1;
    for (let row = 0; row < 3; row++) m[row]![out] = sign * lps.m[row]![src]!;
    if (plan.flip[out]) firstVoxel[src] = dims[src]! - 1;
  }
  const offset = [0, 1, 2].map(
    (row) =>
      lps.offset[row]! +
      lps.m[row]![0]! * firstVoxel[0] +
      lps.m[row]![1]! * firstVoxel[1] +
      lps.m[row]![2]! * firstVoxel[2],
  ) as Vector3;
  return { m, offset };
}
