import type { Scan } from '../../../src-shared/contract/entities.js';
import type { AxisVectors, Vector3 } from '../../../src-shared/geometry/vector.js';
import {
  encodeNiftiMask,
  sformOfGrid,
  type NiftiGeometry,
} from '../analysis/output/nifti-mask-writer.js';
import { encodePng } from '../analysis/output/png-encoder.js';

const AXIS_ALIGNED: AxisVectors = [
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
];

export interface MaskFile {
  extension: 'png' | 'nii.gz';
  bytes: Buffer;
  /** Geometry the scan did not record and that was filled in (the file is still written). */
  warnings: string[];
}

/** A single 2D picture gets a PNG mask; everything with slices (even one DICOM slice) a NIfTI. */
export function isFlatPicture(scan: Scan, dims: Vector3): boolean {
  return scan.kind === 'image' && dims[2] === 1;
}

/** The voxel geometry of the scan as NIfTI wants it, from what the import stored. */
export function niftiGeometryOf(
  scan: Scan,
  dims: Vector3,
): { geometry: NiftiGeometry; warnings: string[] } {
  const warnings: string[] = [];
  if (scan.dims !== null && scan.dims.some((n, axis) => n !== dims[axis]))
    warnings.push(
      `the analysed grid ${dims.join('×')} differs from the scan's ${scan.dims.join('×')}: check the mask's position`,
    );
  let spacing: Vector3 = [1, 1, 1];
  if (scan.spacing === null) warnings.push('the scan has no voxel size: written as 1 mm');
  else {
    if (scan.spacing[2] === null) warnings.push('the scan has no slice spacing: written as 1 mm');
    spacing = [scan.spacing[0], scan.spacing[1], scan.spacing[2] ?? 1];
  }
  if (scan.origin === null) warnings.push('the scan has no patient position: placed at 0, 0, 0');
  if (scan.direction === null) warnings.push('the scan has no orientation: written axis-aligned');
  // The scan stores the voxel axes as three LPS vectors [column, row, slice], as a VolumeGrid
  // does; the sform turns LPS into NIfTI's RAS.
  const [x, y, z] = sformOfGrid({
    spacing,
    origin: scan.origin === null ? [0, 0, 0] : [...scan.origin],
    direction: scan.direction ?? AXIS_ALIGNED,
  });
  // Negating LPS zeros gives -0: written as 0 so header dumps do not show "-0".
  const plusZero = (row: number[]): number[] => row.map((v) => (v === 0 ? 0 : v));
  return { geometry: { dims, spacing, sform: [plusZero(x), plusZero(y), plusZero(z)] }, warnings };
}

/**
 * The mask as a file: values exactly 0 and 1 (not 0/255: tools count the 1s as the lesion),
 * an 8-bit greyscale PNG for a 2D picture, else .nii.gz on the input's voxel grid and geometry.
 * `mask` is on the scan's own grid, x (column) fastest, then row, then slice.
 */
export function encodeMaskFile(scan: Scan, dims: Vector3, mask: Uint8Array): MaskFile {
  const [columns, rows, slices] = dims;
  if (mask.length !== columns * rows * slices)
    throw new Error(`The stored mask has ${mask.length} voxels, not ${dims.join('×')}.`);
  const binary = Uint8Array.from(mask, (v) => (v > 0 ? 1 : 0));
  if (isFlatPicture(scan, dims))
    return { extension: 'png', bytes: encodePng(binary, columns, rows, 1), warnings: [] };
  const { geometry, warnings } = niftiGeometryOf(scan, dims);
  return { extension: 'nii.gz', bytes: encodeNiftiMask(binary, geometry), warnings };
}
