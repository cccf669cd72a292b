import { gunzipSync } from 'node:zlib';
import { AppError } from '../../../../src-shared/errors.js';
import type { FrameSamples } from '../frame.js';
import { rasToLps, spacingAndDirection } from '../../../../src-shared/geometry/affine.js';
import { checkImageSize, gunzipHead } from '../image-limits.js';
import {
  nearestLpsPermutation,
  permutedDims,
  reorientedAffine,
} from '../../../../src-shared/geometry/reorient.js';
import type { AxisVectors, Vector3 } from '../../../../src-shared/geometry/vector.js';
import { niftiAffineRas } from './nifti-geometry.js';
import { NIFTI_DATATYPES, readNiftiHeader, type NiftiHeader } from './nifti-header.js';

/** A NIfTI image re-ordered to the canonical axial stack (see nearestLpsPermutation). */
export interface NiftiGeometry {
  dims: Vector3;
  spacing: Vector3;
  /** Centre of voxel (0,0,0) in LPS mm. */
  origin: Vector3;
  direction: AxisVectors;
  samplesPerPixel: 1 | 3;
  rescaleSlope: number;
  rescaleIntercept: number;
  description: string;
  warnings: string[];
}

export interface NiftiVolume extends NiftiGeometry {
  /** Voxels in canonical order: x fastest, then y, then z; RGB interleaved. */
  data: FrameSamples;
}

const GZIP = [0x1f, 0x8b];

function tooLarge(limit: number): AppError {
  return new AppError(
    'FILE_TOO_LARGE',
    `NIfTI image is larger than ${Math.round(limit / 1_048_576)} MB once decompressed`,
  );
}

/** What the header declares: the bytes up to the voxels plus every volume's voxels. */
function declaredBytes(h: NiftiHeader): number {
  const bytesPerVoxel = NIFTI_DATATYPES[h.datatype]?.bytes ?? 8;
  const offset = Math.max(Math.floor(h.voxOffset), h.version === 1 ? 348 : 540);
  return offset + h.dims.reduce((a, b) => a * b, 1) * bytesPerVoxel;
}

/**
 * The file's bytes, gunzipped when it is .nii.gz (by content). The header is read first, from
 * a small inflated prefix, and checked against IMAGE_LIMITS; then the stream is inflated no
 * further than the size the header declares (nor beyond `maxBytes`), so a gzip bomb stops at
 * its header or at its declared size, never gigabytes later.
 */
export function niftiBytes(file: Uint8Array, maxBytes: number): Uint8Array {
  const isGzip = file[0] === GZIP[0] && file[1] === GZIP[1];
  const h = readNiftiHeader(isGzip ? gunzipHead(file, 544) : file);
  const [columns = 1, rows = 1, slices = 1] = h.dims;
  checkImageSize(
    { rows, columns, frames: slices, bytesPerPixel: NIFTI_DATATYPES[h.datatype]?.bytes ?? 8 },
    'The NIfTI volume',
  );
  const declared = declaredBytes(h);
  if (declared > maxBytes) throw tooLarge(maxBytes);
  if (!isGzip) return file;
  try {
    // A little more than declared: extensions and padding a writer may append after the voxels.
    return gunzipSync(file, { maxOutputLength: declared + 65_536 });
  } catch (error) {
    if (error instanceof RangeError)
      throw new AppError(
        'FILE_TOO_LARGE',
        `The NIfTI file decompresses to more than the ${declared} bytes its header declares: ` +
          'it is damaged or not what it claims to be. Export it again.',
      );
    throw new AppError(
      'CORRUPT_FILE',
      'NIfTI file cannot be decompressed: the .gz data is damaged or truncated',
    );
  }
}

function describe(
  h: NiftiHeader,
): NiftiGeometry & { voxelCount: number; bytesPerVoxel: number; warnings: string[] } {
  const type = NIFTI_DATATYPES[h.datatype];
  if (type === undefined) {
    throw new AppError(
      'UNSUPPORTED_FORMAT',
      `NIfTI data type ${h.datatype} (e.g. complex) cannot be shown: convert the image to integer or float voxels`,
    );
  }
  const [nx, ny, nz] = h.dims as Vector3;
  const warnings: string[] = [];
  const volumes = h.dims.slice(3).reduce((a, b) => a * b, 1);
  if (volumes > 1) warnings.push(`4D image: only the first of ${volumes} volumes is shown.`);
  const { affine, source } = niftiAffineRas(h);
  if (source === 'none')
    warnings.push('The NIfTI file has no qform or sform: orientation is unknown.');
  const lps = rasToLps(affine);
  const plan = nearestLpsPermutation(lps);
  const canonical = reorientedAffine(lps, plan, h.dims);
  const { spacing, direction } = spacingAndDirection(canonical);
  // scl_slope 0 means "no scaling" (NIfTI-1 standard), intercept included.
  const isScaled = Number.isFinite(h.sclSlope) && h.sclSlope !== 0;
  const slope = isScaled ? h.sclSlope : 1;
  const inter = isScaled && Number.isFinite(h.sclInter) ? h.sclInter : 0;
  return {
    dims: permutedDims(h.dims as Vector3, plan),
    spacing,
    origin: canonical.offset,
    direction,
    samplesPerPixel: type.samples,
    rescaleSlope: slope,
    rescaleIntercept: inter,
    description: h.description,
    warnings,
    voxelCount: nx * ny * nz,
    bytesPerVoxel: type.bytes,
  };
}

function readerFor(h: NiftiHeader, view: DataView): (at: number) => number {
  const le = h.littleEndian;
  switch (h.datatype) {
    case 2:
    case 128:
      return (at) => view.getUint8(at);
    case 256:
      return (at) => view.getInt8(at);
    case 4:
      return (at) => view.getInt16(at, le);
    case 512:
      return (at) => view.getUint16(at, le);
    case 8:
      return (at) => view.getInt32(at, le);
    case 768:
      return (at) => view.getUint32(at, le);
    case 16:
      return (at) => view.getFloat32(at, le);
    default:
      return (at) => view.getFloat64(at, le);
  }
}

function outputArray(datatype: number, length: number): FrameSamples {
  switch (datatype) {
    case 2:
    case 128:
      return new Uint8Array(length);
    case 4:
    case 256:
      return new Int16Array(length);
    case 512:
      return new Uint16Array(length);
    default:
      return new Float32Array(length);
  }
}

/**
 * Reads a NIfTI-1/2 image (.nii or .nii.gz): header, first 3D volume, re-ordered so the same
 * image stored in any voxel order comes out identical, with its LPS geometry.
 */
export function readNiftiVolume(file: Uint8Array, options: { maxBytes: number }): NiftiVolume {
  const bytes = niftiBytes(file, options.maxBytes);
  const h = readNiftiHeader(bytes);
  const g = describe(h);
  const { voxelCount, bytesPerVoxel } = g;
  const needed = voxelCount * bytesPerVoxel;
  if (needed > options.maxBytes) throw tooLarge(options.maxBytes);
  const offset = Math.max(Math.floor(h.voxOffset), h.version === 1 ? 348 : 540);
  if (offset + needed > bytes.length) {
    throw new AppError(
      'CORRUPT_FILE',
      `NIfTI file is truncated: ${Math.max(0, bytes.length - offset)} bytes of voxels present, ${needed} needed`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, needed);
  const read = readerFor(h, view);
  const samples = g.samplesPerPixel;
  const out = outputArray(h.datatype, voxelCount * samples);
  const plan = nearestLpsPermutation(rasToLps(niftiAffineRas(h).affine));
  const srcDims = h.dims;
  const srcStride = [1, srcDims[0]!, srcDims[0]! * srcDims[1]!];
  const step = [0, 1, 2].map((t) => srcStride[plan.sourceAxis[t]!]! * (plan.flip[t] ? -1 : 1));
  const start = [0, 1, 2].reduce(
    (sum, t) =>
      sum +
      (plan.flip[t] ? (srcDims[plan.sourceAxis[t]!]! - 1) * srcStride[plan.sourceAxis[t]!]! : 0),
    0,
  );
  const [ox, oy, oz] = g.dims;
  // RGB24 stores each voxel's three bytes together; the rest one value per voxel.
  let o = 0;
  for (let z = 0; z < oz; z++) {
    for (let y = 0; y < oy; y++) {
      let voxel = start + z * step[2]! + y * step[1]!;
      for (let x = 0; x < ox; x++, voxel += step[0]!) {
        const at = voxel * bytesPerVoxel;
        for (let s = 0; s < samples; s++) out[o++] = read(at + s);
      }
    }
  }
  const { voxelCount: _v, bytesPerVoxel: _b, ...geometry } = g;
  return { ...geometry, data: out };
}

/** Distinct non-zero values of an integer label map (null if not a plausible label map). */
export function labelValues(data: FrameSamples, maxLabels = 1000): number[] | null {
  const seen = new Set<number>();
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v === 0) continue;
    if (!Number.isInteger(v)) return null;
    if (!seen.has(v)) {
      seen.add(v);
      if (seen.size > maxLabels) return null;
    }
  }
  return [...seen].sort((a, b) => a - b);
}
