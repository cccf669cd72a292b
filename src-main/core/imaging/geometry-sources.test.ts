import { describe, expect, it } from 'vitest';
import {
  affineOfGrid,
  patientToVoxel,
  rasToLps,
  voxelToPatient,
} from '../../../src-shared/geometry/affine.js';
import { patientPoint, voxelPoint } from '../../../src-shared/geometry/units.js';
import type { Vector3 } from '../../../src-shared/geometry/vector.js';
import { makeNifti } from '../../test-support/volume-fixtures.js';
import { niftiAffineRas } from './nifti/nifti-geometry.js';
import { readNiftiHeader, type NiftiHeader } from './nifti/nifti-header.js';
import { readNiftiVolume } from './nifti/nifti-volume.js';
import { assembleVolume, type SliceCandidate } from './volume.js';

/** Known patient positions from the two sources of geometry: NIfTI headers and DICOM series. */

function expectClose(actual: readonly number[], expected: readonly number[]): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
}

function header(overrides: Partial<NiftiHeader>): NiftiHeader {
  return {
    version: 1,
    littleEndian: true,
    dims: [10, 10, 10],
    datatype: 4,
    bitpix: 16,
    pixdim: [1, 2, 3, 4],
    voxOffset: 352,
    sclSlope: 1,
    sclInter: 0,
    qformCode: 0,
    sformCode: 0,
    quatern: [0, 0, 0],
    qoffset: [0, 0, 0],
    srow: [
      [0, 0, 0, 0],
      [0, 0, 0, 0],
      [0, 0, 0, 0],
    ],
    description: '',
    intentCode: 0,
    ...overrides,
  };
}

const lpsOfVoxel = (h: NiftiHeader, index: Vector3): readonly number[] =>
  voxelToPatient(rasToLps(niftiAffineRas(h).affine), voxelPoint(index));

describe('NIfTI headers to LPS', () => {
  // 90° about the scanner's z axis: quaternion (a, b, c, d) = (cos 45°, 0, 0, sin 45°), so
  // R = [[0,-1,0],[1,0,0],[0,0,1]]; with voxel size 2×3×4 and qoffset (10, 20, 30) in RAS,
  // voxel (1, 2, 3) is at RAS (10 - 3·2, 20 + 2·1, 30 + 4·3) = (4, 22, 42), i.e. LPS (-4, -22, 42).
  const rotatedZ = {
    qformCode: 1,
    quatern: [0, 0, Math.SQRT1_2] as Vector3,
    qoffset: [10, 20, 30] as Vector3,
  };

  it('places a voxel by the qform (quaternion, voxel size, offset)', () => {
    expectClose(lpsOfVoxel(header(rotatedZ), [1, 2, 3]), [-4, -22, 42]);
    expectClose(lpsOfVoxel(header(rotatedZ), [0, 0, 0]), [-10, -20, 30]);
  });

  it('reverses the slice axis when qfac (pixdim[0]) is -1', () => {
    // Same as above with k negated: z = 30 - 4·3 = 18.
    expectClose(
      lpsOfVoxel(header({ ...rotatedZ, pixdim: [-1, 2, 3, 4] }), [1, 2, 3]),
      [-4, -22, 18],
    );
  });

  it('prefers the sform, e.g. the 2 mm MNI template grid whose voxel (45, 63, 36) is the origin', () => {
    const mni = header({
      ...rotatedZ,
      sformCode: 4,
      srow: [
        [-2, 0, 0, 90],
        [0, 2, 0, -126],
        [0, 0, 2, -72],
      ],
    });
    expectClose(lpsOfVoxel(mni, [45, 63, 36]), [0, 0, 0]);
    // RAS (90, -126, -72) is the MNI box's right-posterior-inferior corner: LPS (-90, 126, -72).
    expectClose(lpsOfVoxel(mni, [0, 0, 0]), [-90, 126, -72]);
    const affine = rasToLps(niftiAffineRas(mni).affine);
    expectClose(patientToVoxel(affine, patientPoint([10, -20, 30])), [50, 73, 51]);
  });

  it('reads a file into the canonical L, P, S grid that keeps every voxel in place', () => {
    // The MNI orientation: i already runs to the patient's left (RAS x falls), but j runs
    // anterior (RAS y rises): the reader reverses j, so canonical (a, b, c) is the file's
    // (a, 2 - b, c) and the origin is the file's voxel (0, 2, 0).
    const sform: [number[], number[], number[]] = [
      [-2, 0, 0, 90],
      [0, 2, 0, -126],
      [0, 0, 2, -72],
    ];
    const file = makeNifti({ dims: [4, 3, 2], sform });
    const volume = readNiftiVolume(file, { maxBytes: 1 << 20 });
    expectClose(volume.origin, [-90, 122, -72]);
    expectClose(volume.spacing, [2, 2, 2]);
    expectClose(volume.direction.flat(), [1, 0, 0, 0, 1, 0, 0, 0, 1]);
    const canonical = affineOfGrid(volume);
    const fileAffine = rasToLps(niftiAffineRas(readNiftiHeader(file)).affine);
    expectClose(
      voxelToPatient(canonical, voxelPoint([1, 0, 1])),
      voxelToPatient(fileAffine, voxelPoint([1, 2, 1])),
    );
    // The same place holds the same value (the fixture stores i + 10 j + 100 k).
    expect(volume.data[1 + 4 * (0 + 3 * 1)]).toBe(1 + 10 * 2 + 100 * 1);
  });
});

describe('a DICOM series to LPS', () => {
  // A sagittal series: rows run posterior, columns inferior (ImageOrientationPatient
  // 0\1\0\0\0\-1), slices stepping 2 mm towards the patient's right: normal = row × column
  // = (-1, 0, 0).
  const SAGITTAL = [0, 1, 0, 0, 0, -1] as const;
  const slice = (x: number): SliceCandidate => ({
    fileId: `x${x}`,
    frameNumber: 0,
    label: `slice at x=${x}`,
    rows: 256,
    columns: 192,
    imageType: ['ORIGINAL', 'PRIMARY'],
    position: [x, -100, 120],
    orientation: SAGITTAL,
  });

  it('places voxel (i, j, k) at the k-th slice position plus i columns and j rows', () => {
    const volume = assembleVolume([slice(6), slice(10), slice(8)], {
      pixelSpacing: [0.5, 0.8],
      fallbackSliceSpacing: null,
    });
    expect(volume.frames.map((f) => f.fileId)).toEqual(['x10', 'x8', 'x6']);
    expect(volume.origin).toEqual([10, -100, 120]);
    const affine = affineOfGrid({
      origin: volume.origin!,
      direction: volume.direction!,
      spacing: [volume.spacing[0], volume.spacing[1], volume.spacing[2]!],
    });
    // Slice 2 is at x = 6; 4 columns of 0.5 mm posterior, 10 rows of 0.8 mm down.
    expectClose(voxelToPatient(affine, voxelPoint([4, 10, 2])), [6, -98, 112]);
    expectClose(patientToVoxel(affine, patientPoint([6, -98, 112])), [4, 10, 2]);
    // Every slice's first voxel is that slice's Image Position (Patient).
    for (const [k, x] of [10, 8, 6].entries())
      expectClose(voxelToPatient(affine, voxelPoint([0, 0, k])), [x, -100, 120]);
  });
});
