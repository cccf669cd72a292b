import type { SpacingMm, Vec3, VolumeDims, VoxelBox } from './types.js';

/** A symmetric 3×3 matrix by its six distinct entries. */
export interface Symmetric3 {
  xx: number;
  xy: number;
  xz: number;
  yy: number;
  yz: number;
  zz: number;
}

/** Eigenvalues in decreasing order, and the unit eigenvector of each. */
export interface SymmetricEigen {
  values: Vec3;
  vectors: [Vec3, Vec3, Vec3];
}

/** Principal moments of a component: the eigen-decomposition of its voxel-centre covariance. */
export interface PrincipalAxes {
  /** Variance along each principal axis in mm², decreasing: major, minor, least. */
  eigenvalues: Vec3;
  /** Unit direction of each principal axis, in the volume's frame. */
  axes: [Vec3, Vec3, Vec3];
}

const MAX_SWEEPS = 50;

/**
 * Eigen-decomposition of a symmetric 3×3 matrix by cyclic Jacobi rotations: each rotation zeroes
 * one off-diagonal entry; the sum of their squares falls quadratically, so a few sweeps reach
 * machine precision. Robust for repeated eigenvalues (spheres), unlike closed-form cubic roots.
 */
export function symmetricEigen3(m: Symmetric3): SymmetricEigen {
  const a = [
    [m.xx, m.xy, m.xz],
    [m.xy, m.yy, m.yz],
    [m.xz, m.yz, m.zz],
  ] as [number[], number[], number[]];
  const v = [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1],
  ] as [number[], number[], number[]];
  const scale = Math.abs(m.xx) + Math.abs(m.yy) + Math.abs(m.zz) + Number.MIN_VALUE;
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    const off = Math.abs(a[0][1]!) + Math.abs(a[0][2]!) + Math.abs(a[1][2]!);
    if (off <= 1e-15 * scale) break;
    for (const [p, q] of [
      [0, 1],
      [0, 2],
      [1, 2],
    ] as const) {
      const apq = a[p][q]!;
      if (apq === 0) continue;
      const theta = (a[q][q]! - a[p][p]!) / (2 * apq);
      const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
      const c = 1 / Math.sqrt(t * t + 1);
      const s = t * c;
      for (let k = 0; k < 3; k++) {
        const [akp, akq] = [a[k]![p]!, a[k]![q]!];
        a[k]![p] = c * akp - s * akq;
        a[k]![q] = s * akp + c * akq;
      }
      for (let k = 0; k < 3; k++) {
        const [apk, aqk] = [a[p][k]!, a[q][k]!];
        a[p][k] = c * apk - s * aqk;
        a[q][k] = s * apk + c * aqk;
      }
      for (let k = 0; k < 3; k++) {
        const [vkp, vkq] = [v[k]![p]!, v[k]![q]!];
        v[k]![p] = c * vkp - s * vkq;
        v[k]![q] = s * vkp + c * vkq;
      }
    }
  }
  const pairs = [0, 1, 2]
    .map((i) => ({ value: a[i]![i]!, vector: [v[0][i]!, v[1][i]!, v[2][i]!] as Vec3 }))
    .sort((x, y) => y.value - x.value);
  return {
    values: [pairs[0]!.value, pairs[1]!.value, pairs[2]!.value],
    vectors: [pairs[0]!.vector, pairs[1]!.vector, pairs[2]!.vector],
  };
}

/**
 * Principal axes of a component from the covariance of its voxel centres in mm (population
 * covariance, as pyradiomics computes it for Elongation and Flatness).
 */
export function principalAxesOfComponent(
  labels: Int32Array,
  dims: VolumeDims,
  label: number,
  box: VoxelBox,
  spacing: SpacingMm,
): PrincipalAxes {
  // Sums relative to the box corner keep the numbers small, so one pass stays accurate.
  let n = 0;
  let sx = 0;
  let sy = 0;
  let sz = 0;
  let sxx = 0;
  let sxy = 0;
  let sxz = 0;
  let syy = 0;
  let syz = 0;
  let szz = 0;
  for (let z = box.min[2]; z <= box.max[2]; z++) {
    const pz = (z - box.min[2]) * spacing[2];
    for (let y = box.min[1]; y <= box.max[1]; y++) {
      const py = (y - box.min[1]) * spacing[1];
      const row = dims[0] * (y + dims[1] * z);
      for (let x = box.min[0]; x <= box.max[0]; x++) {
        if (labels[row + x] !== label) continue;
        const px = (x - box.min[0]) * spacing[0];
        n++;
        sx += px;
        sy += py;
        sz += pz;
        sxx += px * px;
        sxy += px * py;
        sxz += px * pz;
        syy += py * py;
        syz += py * pz;
        szz += pz * pz;
      }
    }
  }
  if (n === 0)
    return {
      eigenvalues: [0, 0, 0],
      axes: [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ],
    };
  const [mx, my, mz] = [sx / n, sy / n, sz / n];
  const { values, vectors } = symmetricEigen3({
    xx: sxx / n - mx * mx,
    xy: sxy / n - mx * my,
    xz: sxz / n - mx * mz,
    yy: syy / n - my * my,
    yz: syz / n - my * mz,
    zz: szz / n - mz * mz,
  });
  // Rounding can leave a flat component's smallest variance a hair below zero.
  return {
    eigenvalues: [values[0], Math.max(0, values[1]), Math.max(0, values[2])],
    axes: vectors,
  };
}
