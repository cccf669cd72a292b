import type { Affine } from '../../../../src-shared/geometry/affine.js';
import type { Vector3 } from '../../../../src-shared/geometry/vector.js';
import type { NiftiHeader } from './nifti-header.js';

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
