import type { Vector3 } from '../volume.js';
import type { NiftiHeader } from './nifti-header.js';

/** A voxel-to-patient affine: patient = M · [i, j, k] + offset. Columns of M are voxel axes. */
export interface Affine {
  /** m[row][column], row = patient axis, column = voxel axis. */
  m: [Vector3, Vector3, Vector3];
  offset: Vector3;
}

/** The NIfTI affine (RAS+): sform if set, else qform, else the voxel size alone (method 1). */
export function niftiAffineRas(h: NiftiHeader): {
  affine: Affine;
  source: 'sform' | 'qform' | 'none';
} {
  if (h.sformCode > 0) {
    const [x, y, z] = h.srow;
    return {
      affine: {
        m: [
          [x[0]!, x[1]!, x[2]!],
          [y[0]!, y[1]!, y[2]!],
          [z[0]!, z[1]!, z[2]!],
        ],
        offset: [x[3]!, y[3]!, z[3]!],
      },
      source: 'sform',
    };
  }
  const dx = Math.abs(h.pixdim[1] || 1);
  const dy = Math.abs(h.pixdim[2] || 1);
  const dz = Math.abs(h.pixdim[3] || 1);
  if (h.qformCode > 0) {
    const [b, c, d] = h.quatern;
    const a = Math.sqrt(Math.max(0, 1 - (b * b + c * c + d * d)));
    const qfac = h.pixdim[0]! < 0 ? -1 : 1;
    const r: [Vector3, Vector3, Vector3] = [
      [a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c)],
      [2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b)],
      [2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - b * b - c * c],
    ];
    const scale = [dx, dy, dz * qfac];
    return {
      affine: {
        m: r.map((row) => row.map((v, col) => v * scale[col]!)) as Affine['m'],
        offset: [...h.qoffset],
      },
      source: 'qform',
    };
  }
  return {
    affine: {
      m: [
        [dx, 0, 0],
        [0, dy, 0],
        [0, 0, dz],
      ],
      offset: [0, 0, 0],
    },
    source: 'none',
  };
}

/** NIfTI's patient space is RAS+, DICOM's (and Neurosphere's) LPS+: negate x and y. */
export function rasToLps(a: Affine): Affine {
  return {
    m: [a.m[0].map((v) => -v) as Vector3, a.m[1].map((v) => -v) as Vector3, [...a.m[2]]],
    offset: [-a.offset[0], -a.offset[1], a.offset[2]],
  };
}

/**
 * How to re-order voxels so that axis 0 runs towards the patient's left, axis 1 posterior and
 * axis 2 superior (the usual axial stack). For each output axis: which input axis feeds it, and
 * whether it is reversed. The same image stored in any voxel order maps to the same array.
 */
export interface Reorientation {
  sourceAxis: [number, number, number];
  flip: [boolean, boolean, boolean];
}

export function canonicalReorientation(lps: Affine): Reorientation {
  const taken = { rows: new Set<number>(), cols: new Set<number>() };
  const sourceAxis: [number, number, number] = [0, 1, 2];
  const flip: [boolean, boolean, boolean] = [false, false, false];
  // Greedy on the largest remaining |cosine|: pairs each patient axis with its closest voxel axis.
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

/** The affine of the re-ordered grid, given the source grid's dims. */
export function reorientedAffine(
  lps: Affine,
  plan: Reorientation,
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

/** Voxel sizes (column norms) and unit direction vectors of an affine's axes. */
export function spacingAndDirection(a: Affine): {
  spacing: Vector3;
  direction: [Vector3, Vector3, Vector3];
} {
  const spacing = [0, 1, 2].map((col) =>
    Math.hypot(a.m[0][col]!, a.m[1][col]!, a.m[2][col]!),
  ) as Vector3;
  const direction = [0, 1, 2].map((col) =>
    [0, 1, 2].map((row) => a.m[row]![col]! / (spacing[col] || 1)),
  ) as [Vector3, Vector3, Vector3];
  return { spacing, direction };
}
