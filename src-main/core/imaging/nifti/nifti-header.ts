import { AppError } from '../../../../src-shared/errors.js';
import type { Vector3 } from '../../../../src-shared/geometry/vector.js';

/** The parts of a NIfTI-1 or NIfTI-2 header that decide how to read and place the voxels. */
export interface NiftiHeader {
  version: 1 | 2;
  littleEndian: boolean;
  /** dim[1..7]: sizes along i, j, k, t, … (at least three, missing ones are 1). */
  dims: number[];
  datatype: number;
  bitpix: number;
  /** pixdim[0] is qfac; pixdim[1..3] the voxel size. */
  pixdim: number[];
  voxOffset: number;
  sclSlope: number;
  sclInter: number;
  qformCode: number;
  sformCode: number;
  quatern: Vector3;
  qoffset: Vector3;
  srow: [number[], number[], number[]];
  description: string;
  intentCode: number;
}

export const NIFTI1_HEADER_BYTES = 348;
export const NIFTI2_HEADER_BYTES = 540;

function corrupt(reason: string): AppError {
  return new AppError('CORRUPT_FILE', `NIfTI file is damaged: ${reason}`);
}

function readString(bytes: Uint8Array, at: number, length: number): string {
  const slice = bytes.subarray(at, at + length);
  const end = slice.indexOf(0);
  return Buffer.from(end >= 0 ? slice.subarray(0, end) : slice)
    .toString('latin1')
    .trim();
}

/** Whether the bytes start with a NIfTI-1 or NIfTI-2 header (either byte order). */
export function isNiftiHeader(bytes: Uint8Array): boolean {
  if (bytes.length < NIFTI1_HEADER_BYTES) return false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const size = view.getInt32(0, true);
  const swapped = view.getInt32(0, false);
  if (size === NIFTI1_HEADER_BYTES || swapped === NIFTI1_HEADER_BYTES) {
    const magic = readString(bytes, 344, 4);
    return magic === 'n+1' || magic === 'ni1';
  }
  if ((size === NIFTI2_HEADER_BYTES || swapped === NIFTI2_HEADER_BYTES) && bytes.length >= 12) {
    const magic = readString(bytes, 4, 4);
    return magic === 'n+2' || magic === 'ni2';
  }
  return false;
}

function dimsFrom(raw: number[]): number[] {
  const rank = raw[0]!;
  if (!Number.isInteger(rank) || rank < 1 || rank > 7) throw corrupt(`dim[0] is ${rank}`);
  const dims = raw.slice(1, 1 + rank).map((d) => (d === 0 ? 1 : d));
  while (dims.length < 3) dims.push(1);
  for (const d of dims) {
    if (!Number.isSafeInteger(d) || d < 1) throw corrupt(`a dimension is ${d}`);
  }
  return dims;
}

/** Parses a NIfTI-1 (348-byte) or NIfTI-2 (540-byte) header in either byte order. */
export function readNiftiHeader(bytes: Uint8Array): NiftiHeader {
  if (!isNiftiHeader(bytes)) throw corrupt('no NIfTI-1/NIfTI-2 header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le =
    view.getInt32(0, true) === NIFTI1_HEADER_BYTES ||
    view.getInt32(0, true) === NIFTI2_HEADER_BYTES;
  const version =
    (le ? view.getInt32(0, true) : view.getInt32(0, false)) === NIFTI1_HEADER_BYTES ? 1 : 2;
  if (version === 2 && bytes.length < NIFTI2_HEADER_BYTES)
    throw corrupt('the NIfTI-2 header is truncated');
  const i16 = (at: number): number => view.getInt16(at, le);
  const i32 = (at: number): number => view.getInt32(at, le);
  const f32 = (at: number): number => view.getFloat32(at, le);
  const f64 = (at: number): number => view.getFloat64(at, le);
  const i64 = (at: number): number => Number(view.getBigInt64(at, le));
  if (version === 1) {
    return {
      version,
      littleEndian: le,
      dims: dimsFrom(Array.from({ length: 8 }, (_, i) => i16(40 + 2 * i))),
      intentCode: i16(68),
      datatype: i16(70),
      bitpix: i16(72),
      pixdim: Array.from({ length: 8 }, (_, i) => f32(76 + 4 * i)),
      voxOffset: f32(108),
      sclSlope: f32(112),
      sclInter: f32(116),
      description: readString(bytes, 148, 80),
      qformCode: i16(252),
      sformCode: i16(254),
      quatern: [f32(256), f32(260), f32(264)],
      qoffset: [f32(268), f32(272), f32(276)],
      srow: [0, 1, 2].map((r) =>
        Array.from({ length: 4 }, (_, c) => f32(280 + 16 * r + 4 * c)),
      ) as NiftiHeader['srow'],
    };
  }
  return {
    version,
    littleEndian: le,
    datatype: i16(12),
    bitpix: i16(14),
    dims: dimsFrom(Array.from({ length: 8 }, (_, i) => i64(16 + 8 * i))),
    pixdim: Array.from({ length: 8 }, (_, i) => f64(104 + 8 * i)),
    voxOffset: i64(168),
    sclSlope: f64(176),
    sclInter: f64(184),
    description: readString(bytes, 240, 80),
    qformCode: i32(344),
    sformCode: i32(348),
    quatern: [f64(352), f64(360), f64(368)],
    qoffset: [f64(376), f64(384), f64(392)],
    srow: [0, 1, 2].map((r) =>
      Array.from({ length: 4 }, (_, c) => f64(400 + 32 * r + 8 * c)),
    ) as NiftiHeader['srow'],
    intentCode: i32(504),
  };
}

/** Bytes per voxel and how the data set maps to a frame type, per NIfTI datatype code. */
export const NIFTI_DATATYPES: Readonly<
  Record<number, { name: string; bytes: number; samples: 1 | 3 }>
> = {
  2: { name: 'uint8', bytes: 1, samples: 1 },
  4: { name: 'int16', bytes: 2, samples: 1 },
  8: { name: 'int32', bytes: 4, samples: 1 },
  16: { name: 'float32', bytes: 4, samples: 1 },
  64: { name: 'float64', bytes: 8, samples: 1 },
  128: { name: 'rgb24', bytes: 3, samples: 3 },
  256: { name: 'int8', bytes: 1, samples: 1 },
  512: { name: 'uint16', bytes: 2, samples: 1 },
  768: { name: 'uint32', bytes: 4, samples: 1 },
};
