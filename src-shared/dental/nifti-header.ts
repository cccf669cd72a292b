/**
 * The whole NIfTI-1 header (348 bytes, either byte order), read into named, readable fields
 * for the NIfTI metadata view (the seed's nifti-metadata): dims, pixdim, datatype, qform/sform
 * codes and matrices, intent, description, units, scaling and calibration.
 */

export interface NiftiHeaderField {
  readonly name: string;
  readonly value: string;
}

export interface NiftiHeader {
  readonly littleEndian: boolean;
  readonly dim: number[];
  readonly pixdim: number[];
  readonly datatype: number;
  readonly datatypeName: string;
  readonly bitpix: number;
  readonly qformCode: number;
  readonly sformCode: number;
  /** The qform as a 4 × 4 matrix (rows), from the quaternion, offsets and pixdim. */
  readonly qform: number[][];
  /** The sform rows srow_x, srow_y, srow_z and [0 0 0 1]. */
  readonly sform: number[][];
  readonly sclSlope: number;
  readonly sclInter: number;
  readonly calMin: number;
  readonly calMax: number;
  readonly description: string;
  readonly intentCode: number;
  readonly intentName: string;
  readonly xyztUnits: number;
  readonly magic: string;
  /** Every field in header order, as label and readable value. */
  readonly fields: NiftiHeaderField[];
}

export class NiftiHeaderError extends Error {}

const DATATYPES: Readonly<Record<number, string>> = {
  2: 'uint8',
  4: 'int16',
  8: 'int32',
  16: 'float32',
  32: 'complex64',
  64: 'float64',
  128: 'rgb24',
  256: 'int8',
  512: 'uint16',
  768: 'uint32',
  1024: 'int64',
  1280: 'uint64',
};

const XFORM_CODES: Readonly<Record<number, string>> = {
  0: 'unknown',
  1: 'scanner anatomical',
  2: 'aligned anatomical',
  3: 'Talairach',
  4: 'MNI 152',
  5: 'template',
};

const SPACE_UNITS: Readonly<Record<number, string>> = { 0: 'unknown', 1: 'm', 2: 'mm', 3: 'µm' };
const TIME_UNITS: Readonly<Record<number, string>> = {
  0: 'unknown',
  8: 's',
  16: 'ms',
  24: 'µs',
  32: 'Hz',
  40: 'ppm',
  48: 'rad/s',
};

const INTENTS: Readonly<Record<number, string>> = {
  0: 'none',
  2: 'correlation',
  3: 't-test',
  4: 'F-test',
  5: 'z-score',
  1002: 'label',
  1007: 'vector',
  1011: 'dimensionless',
};

function text(bytes: Uint8Array, from: number, length: number): string {
  const slice = bytes.subarray(from, from + length);
  const end = slice.indexOf(0);
  // Latin-1: one character per byte (src-shared has no DOM or Node text decoders).
  return String.fromCharCode(...(end < 0 ? slice : slice.subarray(0, end))).trim();
}

function num(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
}

function matrixText(m: number[][]): string {
  return m.map((row) => `[${row.map(num).join(', ')}]`).join(' ');
}

/** The qform matrix of the NIfTI-1 standard (method 2). */
function qformMatrix(
  b: number,
  c: number,
  d: number,
  offset: [number, number, number],
  pixdim: number[],
): number[][] {
  const a = Math.sqrt(Math.max(0, 1 - (b * b + c * c + d * d)));
  const qfac = (pixdim[0] ?? 1) < 0 ? -1 : 1;
  const [dx, dy, dz] = [pixdim[1] ?? 1, pixdim[2] ?? 1, (pixdim[3] ?? 1) * qfac];
  const r = [
    [a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c)],
    [2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b)],
    [2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b],
  ];
  return [
    [(r[0]?.[0] ?? 0) * dx, (r[0]?.[1] ?? 0) * dy, (r[0]?.[2] ?? 0) * dz, offset[0]],
    [(r[1]?.[0] ?? 0) * dx, (r[1]?.[1] ?? 0) * dy, (r[1]?.[2] ?? 0) * dz, offset[1]],
    [(r[2]?.[0] ?? 0) * dx, (r[2]?.[1] ?? 0) * dy, (r[2]?.[2] ?? 0) * dz, offset[2]],
    [0, 0, 0, 1],
  ];
}

/** Reads the header from the first 348 (or more) bytes of an uncompressed NIfTI-1 file. */
export function readNiftiHeader(bytes: Uint8Array): NiftiHeader {
  if (bytes.byteLength < 348)
    throw new NiftiHeaderError(
      `A NIfTI-1 header has 348 bytes; this file has only ${bytes.byteLength}.`,
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let le = true;
  if (view.getInt32(0, true) !== 348) {
    if (view.getInt32(0, false) !== 348) {
      if (view.getInt32(0, true) === 540 || view.getInt32(0, false) === 540)
        throw new NiftiHeaderError('This is a NIfTI-2 file; the metadata view reads NIfTI-1.');
      throw new NiftiHeaderError('This is not a NIfTI-1 file (its header size is not 348).');
    }
    le = false;
  }
  const i16 = (o: number): number => view.getInt16(o, le);
  const f32 = (o: number): number => view.getFloat32(o, le);
  const dim = Array.from({ length: 8 }, (_, n) => i16(40 + n * 2));
  const pixdim = Array.from({ length: 8 }, (_, n) => f32(76 + n * 4));
  const datatype = i16(70);
  const bitpix = i16(72);
  const qformCode = i16(252);
  const sformCode = i16(254);
  const qform = qformMatrix(f32(256), f32(260), f32(264), [f32(268), f32(272), f32(276)], pixdim);
  const srow = (o: number): number[] => [f32(o), f32(o + 4), f32(o + 8), f32(o + 12)];
  const sform = [srow(280), srow(296), srow(312), [0, 0, 0, 1]];
  const xyztUnits = bytes[123] ?? 0;
  const intentCode = i16(68);
  const header = {
    littleEndian: le,
    dim,
    pixdim,
    datatype,
    datatypeName: DATATYPES[datatype] ?? `unknown (${datatype})`,
    bitpix,
    qformCode,
    sformCode,
    qform,
    sform,
    sclSlope: f32(112),
    sclInter: f32(116),
    calMin: f32(128),
    calMax: f32(124),
    description: text(bytes, 148, 80),
    intentCode,
    intentName: text(bytes, 328, 16),
    xyztUnits,
    magic: text(bytes, 344, 4),
  };
  const rank = Math.max(0, Math.min(7, dim[0] ?? 0));
  const fields: NiftiHeaderField[] = [
    { name: 'Header size (sizeof_hdr)', value: '348' },
    { name: 'Byte order', value: le ? 'little-endian' : 'big-endian' },
    { name: 'Magic', value: header.magic },
    { name: 'Dimensions (dim)', value: `${rank}: ${dim.slice(1, rank + 1).join(' × ')}` },
    { name: 'dim[0..7]', value: dim.join(', ') },
    {
      name: 'Voxel size (pixdim)',
      value: pixdim
        .slice(1, rank + 1)
        .map(num)
        .join(' × '),
    },
    { name: 'pixdim[0..7] (pixdim[0] = qfac)', value: pixdim.map(num).join(', ') },
    { name: 'Data type', value: `${header.datatypeName} (code ${datatype}), ${bitpix} bits` },
    { name: 'Data offset (vox_offset)', value: num(f32(108)) },
    {
      name: 'Scaling (scl_slope, scl_inter)',
      value: `${num(header.sclSlope)}, ${num(header.sclInter)}${header.sclSlope === 0 ? ' (slope 0: no scaling)' : ''}`,
    },
    {
      name: 'Display range (cal_min, cal_max)',
      value: `${num(header.calMin)}, ${num(header.calMax)}`,
    },
    {
      name: 'Units (xyzt_units)',
      value: `space ${SPACE_UNITS[xyztUnits & 7] ?? 'unknown'}, time ${TIME_UNITS[xyztUnits & 56] ?? 'unknown'} (code ${xyztUnits})`,
    },
    {
      name: 'Intent',
      value: `${INTENTS[intentCode] ?? `code ${intentCode}`}${header.intentName !== '' ? `, "${header.intentName}"` : ''} (p1 ${num(f32(56))}, p2 ${num(f32(60))}, p3 ${num(f32(64))})`,
    },
    { name: 'Description (descrip)', value: header.description || '(empty)' },
    { name: 'Auxiliary file (aux_file)', value: text(bytes, 228, 24) || '(empty)' },
    {
      name: 'qform code',
      value: `${qformCode} (${XFORM_CODES[qformCode] ?? 'other'})`,
    },
    {
      name: 'Quaternion (b, c, d) and offset (x, y, z)',
      value: `${[256, 260, 264].map((o) => num(f32(o))).join(', ')}; ${[268, 272, 276].map((o) => num(f32(o))).join(', ')}`,
    },
    { name: 'qform matrix', value: matrixText(qform) },
    { name: 'sform code', value: `${sformCode} (${XFORM_CODES[sformCode] ?? 'other'})` },
    { name: 'sform matrix (srow_x, srow_y, srow_z)', value: matrixText(sform) },
    {
      name: 'Slices (dim_info, slice_start, slice_end, slice_code, slice_duration)',
      value: `${bytes[39] ?? 0}, ${i16(74)}, ${i16(120)}, ${bytes[122] ?? 0}, ${num(f32(132))}`,
    },
    { name: 'Time offset (toffset)', value: num(f32(136)) },
  ];
  return { ...header, fields };
}
