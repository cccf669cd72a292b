import { gzipSync } from 'node:zlib';
import {
  affineOfGrid,
  affineRows,
  lpsToRas,
  type VolumeGrid,
} from '../../../../src-shared/geometry/affine.js';
import {
  vector3Of,
  type AxisVectors,
  type Vector3,
} from '../../../../src-shared/geometry/vector.js';

export interface NiftiGeometry {
  dims: Vector3;
  spacing: Vector3;
  /**
   * Voxel index (i, j, k) → patient position in mm, RAS+ as NIfTI expects: rows of the 3x4
   * sform matrix. (DICOM LPS is converted by negating the first two rows.)
   */
  sform: [number[], number[], number[]];
}

/**
 * Writes a uint8 label volume (values 0/1 for a mask) as NIfTI-1 .nii.gz with the input's
 * geometry in sform and qform, so research tools overlay it on the original image.
 */
export function encodeNiftiMask(mask: Uint8Array, geometry: NiftiGeometry): Buffer {
  const [nx, ny, nz] = geometry.dims;
  if (mask.length !== nx * ny * nz)
    throw new Error('encodeNiftiMask: mask size does not match dims');
  const header = Buffer.alloc(352);
  header.writeInt32LE(348, 0); // sizeof_hdr
  header.writeInt16LE(3, 40); // dim[0]
  header.writeInt16LE(nx, 42);
  header.writeInt16LE(ny, 44);
  header.writeInt16LE(nz, 46);
  for (let i = 4; i < 8; i++) header.writeInt16LE(1, 40 + i * 2);
  header.writeInt16LE(2, 70); // datatype DT_UINT8
  header.writeInt16LE(8, 72); // bitpix
  header.writeFloatLE(1, 76); // pixdim[0] = qfac
  header.writeFloatLE(geometry.spacing[0], 80);
  header.writeFloatLE(geometry.spacing[1], 84);
  header.writeFloatLE(geometry.spacing[2], 88);
  header.writeFloatLE(352, 108); // vox_offset
  header.writeFloatLE(1, 112); // scl_slope
  header.writeFloatLE(0, 116); // scl_inter
  header.writeFloatLE(1, 128); // cal_max: masks display 0..1
  header.writeUInt8(10, 123); // xyzt_units: mm + s
  header.write('Neurosphere tumour mask', 148, 'latin1');
  header.writeInt16LE(0, 252); // qform_code: unset (sform carries the geometry)
  header.writeInt16LE(2, 254); // sform_code: aligned to the source image
  geometry.sform.forEach((row, r) =>
    row.forEach((v, c) => header.writeFloatLE(v, 280 + r * 16 + c * 4)),
  );
  header.write('n+1\0', 344, 'latin1');
  return gzipSync(
    Buffer.concat([header, Buffer.from(mask.buffer, mask.byteOffset, mask.byteLength)]),
  );
}

/**
 * sform rows (RAS, as NIfTI wants them) of a grid described the DICOM way: origin and voxel
 * axes in LPS (see VolumeGrid).
 */
export function sformOfGrid(
  grid: Pick<VolumeGrid, 'origin' | 'direction' | 'spacing'>,
): NiftiGeometry['sform'] {
  return affineRows(lpsToRas(affineOfGrid(grid)));
}

/** sformOfGrid for a direction given flat: column axis, row axis, slice axis (3 numbers each). */
export function sformFromLps(
  origin: Vector3,
  direction: readonly number[],
  spacing: Vector3,
): NiftiGeometry['sform'] {
  const axes: AxisVectors = [
    vector3Of(direction, 0),
    vector3Of(direction, 3),
    vector3Of(direction, 6),
  ];
  return sformOfGrid({ origin, direction: axes, spacing });
}
