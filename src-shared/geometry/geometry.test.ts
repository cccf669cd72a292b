import { describe, expect, it } from 'vitest';
import {
  affineOfGrid,
  gridOfAffine,
  lpsToRas,
  patientToVoxel,
  rasToLps,
  voxelToPatient,
  type VolumeGrid,
} from './affine.js';
import { lpsPermutationOfAxes, permutedDims, reorientedAffine } from './reorient.js';
import { permuteVoxels, unpermuteVoxels } from './reorder-voxels.js';
import {
  millimetres,
  patientPoint,
  voxelPoint,
  voxels,
  type Millimetres,
  type PatientPoint,
  type VoxelPoint,
} from './units.js';
import { cross, normalise, type AxisVectors, type Vector3 } from './vector.js';

/** Rotation by `angle` about the unit axis `u` (Rodrigues), as three column vectors. */
function rotatedAxes(u: Vector3, angle: number): AxisVectors {
  const [x, y, z] = u;
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  const t = 1 - c;
  const r = [
    [t * x * x + c, t * x * y - s * z, t * x * z + s * y],
    [t * x * y + s * z, t * y * y + c, t * y * z - s * x],
    [t * x * z - s * y, t * y * z + s * x, t * z * z + c],
  ];
  return [0, 1, 2].map((col) => [r[0]![col]!, r[1]![col]!, r[2]![col]!]) as AxisVectors;
}

function expectClose(actual: readonly number[], expected: readonly number[], digits = 9): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, digits));
}

const OBLIQUE: VolumeGrid = {
  dims: [64, 48, 20],
  spacing: [0.9, 1.1, 3.5],
  origin: [-112.5, 87.25, -40],
  direction: rotatedAxes(normalise([1, 2, 3])!, 0.7),
};

describe('voxel ↔ patient transforms', () => {
  it('go voxel → patient → voxel and back for an oblique, anisotropic grid', () => {
    const affine = affineOfGrid(OBLIQUE);
    for (const index of [
      [0, 0, 0],
      [63, 47, 19],
      [12.5, 30.25, 7.75],
      [-3, 100, 2],
    ] as Vector3[]) {
      const patient = voxelToPatient(affine, voxelPoint(index));
      expectClose(patientToVoxel(affine, patient), index);
    }
    const point = patientPoint([10, -20, 30]);
    expectClose(voxelToPatient(affine, patientToVoxel(affine, point)), point);
  });

  it('places voxel (0,0,0) at the origin and steps along each axis by its spacing', () => {
    const affine = affineOfGrid(OBLIQUE);
    expectClose(voxelToPatient(affine, voxelPoint([0, 0, 0])), OBLIQUE.origin);
    const step = voxelToPatient(affine, voxelPoint([0, 0, 1]));
    const moved = step.map((v, i) => v - OBLIQUE.origin[i]!);
    expectClose(
      moved,
      OBLIQUE.direction[2].map((v) => v * 3.5),
    );
  });

  it('recovers the grid from its affine', () => {
    const grid = gridOfAffine(affineOfGrid(OBLIQUE), OBLIQUE.dims);
    expect(grid.dims).toEqual(OBLIQUE.dims);
    expectClose(grid.spacing, OBLIQUE.spacing);
    expectClose(grid.origin, OBLIQUE.origin);
    grid.direction.forEach((axis, a) => expectClose(axis, OBLIQUE.direction[a]!));
  });

  it('turns LPS into RAS and back by negating x and y', () => {
    const lps = affineOfGrid(OBLIQUE);
    const ras = lpsToRas(lps);
    const p = voxelToPatient(lps, voxelPoint([3, 4, 5]));
    const q = voxelToPatient(ras, voxelPoint([3, 4, 5]));
    expectClose(q, [-p[0], -p[1], p[2]]);
    expect(rasToLps(ras)).toEqual(lps);
  });

  it('refuses to invert a grid whose axes are parallel', () => {
    const flat = affineOfGrid({
      ...OBLIQUE,
      direction: [
        [1, 0, 0],
        [1, 0, 0],
        [0, 0, 1],
      ],
    });
    expect(() => patientToVoxel(flat, patientPoint([0, 0, 0]))).toThrow(/singular/);
  });
});

describe('reorientation onto LPS', () => {
  it('snaps an oblique grid to its nearest axes and keeps every voxel where it was', () => {
    // Sagittal-like: i runs anterior→posterior, j superior→inferior, k right→left, tilted 0.1 rad.
    const tilt = rotatedAxes([0, 0, 1], 0.1);
    const anterior = tilt[1].map((v) => -v) as Vector3;
    const inferior: Vector3 = [0, 0, -1];
    const axes: AxisVectors = [anterior, inferior, cross(anterior, inferior)];
    expectClose(axes[2], [Math.cos(0.1), Math.sin(0.1), 0]);
    const plan = lpsPermutationOfAxes(axes);
    expect(plan.sourceAxis).toEqual([2, 0, 1]);
    expect(plan.flip).toEqual([false, true, true]);

    const grid: VolumeGrid = {
      dims: [3, 4, 2],
      spacing: [1, 2, 3],
      origin: [5, 6, 7],
      direction: axes,
    };
    const lps = affineOfGrid(grid);
    const after = reorientedAffine(lps, plan, grid.dims);
    const dims = permutedDims(grid.dims, plan);
    expect(dims).toEqual([2, 3, 4]);
    // Voxel (i, j, k) of the source is voxel (k, n_i-1-i, n_j-1-j) of the re-ordered grid.
    const source = voxelToPatient(lps, voxelPoint([1, 3, 0]));
    const target = voxelToPatient(after, voxelPoint([0, 3 - 1 - 1, 4 - 1 - 3]));
    expectClose(target, source);

    const data = Float32Array.from({ length: 24 }, (_, n) => n);
    const permuted = permuteVoxels(data, grid.dims, plan, new Float32Array(24));
    expect(permuted[0 + 1 * 2 + 0 * 6]).toBe(data[1 + 3 * 3 + 0 * 12]);
    expect([...unpermuteVoxels(permuted, grid.dims, plan, new Float32Array(24))]).toEqual([
      ...data,
    ]);
  });
});

describe('branded units and points', () => {
  const lengthOfLesion = (size: Millimetres): number => size;
  const atVoxel = (index: VoxelPoint): number => index[0];
  const atPatient = (point: PatientPoint): number => point[0];

  it('keep their values and refuse to be mixed (tsc -b checks each @ts-expect-error)', () => {
    expect(lengthOfLesion(millimetres(12.5))).toBe(12.5);
    // @ts-expect-error a count of voxels is not a length in millimetres
    lengthOfLesion(voxels(3));
    // @ts-expect-error a plain number says nothing about its unit
    lengthOfLesion(12.5);
    // @ts-expect-error a patient position is not a voxel index
    atVoxel(patientPoint([1, 2, 3]));
    // @ts-expect-error a voxel index is not a patient position
    atPatient(voxelPoint([1, 2, 3]));
    // @ts-expect-error a bare triple must say which space it is in
    atPatient([1, 2, 3]);
    expect(atVoxel(voxelPoint([4, 5, 6]))).toBe(4);
    // The components of a point keep their unit.
    const x: Millimetres = patientPoint([7, 8, 9])[0];
    expect(x).toBe(7);
  });
});
