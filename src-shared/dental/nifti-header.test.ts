import { describe, expect, it } from 'vitest';
import { NiftiHeaderError, readNiftiHeader } from './nifti-header.js';

const ascii = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));

/** A NIfTI-1 header of a 96 × 80 × 40 int16 CBCT, 0.4 mm voxels, in the given byte order. */
function header(littleEndian: boolean): Uint8Array {
  const bytes = new Uint8Array(352);
  const v = new DataView(bytes.buffer);
  v.setInt32(0, 348, littleEndian);
  [3, 96, 80, 40, 1, 1, 1, 1].forEach((d, n) => v.setInt16(40 + n * 2, d, littleEndian));
  v.setInt16(70, 4, littleEndian);
  v.setInt16(72, 16, littleEndian);
  [1, 0.4, 0.4, 0.4, 0, 0, 0, 0].forEach((d, n) => v.setFloat32(76 + n * 4, d, littleEndian));
  v.setFloat32(108, 352, littleEndian);
  v.setFloat32(112, 1, littleEndian);
  v.setFloat32(116, -1024, littleEndian);
  v.setFloat32(124, 3000, littleEndian);
  v.setFloat32(128, -1000, littleEndian);
  bytes[123] = 2 + 8;
  bytes.set(ascii('CBCT phantom'), 148);
  v.setInt16(252, 1, littleEndian);
  v.setInt16(254, 2, littleEndian);
  // Quaternion of a 180° turn about z (b = c = 0, d = 1): x and y reversed.
  v.setFloat32(264, 1, littleEndian);
  v.setFloat32(268, 10, littleEndian);
  v.setFloat32(272, 20, littleEndian);
  v.setFloat32(276, -5, littleEndian);
  [0.4, 0, 0, -19].forEach((d, n) => v.setFloat32(280 + n * 4, d, littleEndian));
  [0, 0.4, 0, -16].forEach((d, n) => v.setFloat32(296 + n * 4, d, littleEndian));
  [0, 0, 0.4, -8].forEach((d, n) => v.setFloat32(312 + n * 4, d, littleEndian));
  bytes.set(ascii('n+1'), 344);
  return bytes;
}

describe('the NIfTI-1 header for the metadata view', () => {
  it.each([true, false])('reads every field (little-endian: %s)', (le) => {
    const h = readNiftiHeader(header(le));
    expect(h.littleEndian).toBe(le);
    expect(h.dim.slice(0, 4)).toEqual([3, 96, 80, 40]);
    expect(h.pixdim[1]).toBeCloseTo(0.4);
    expect(h.datatypeName).toBe('int16');
    expect(h.sclInter).toBe(-1024);
    expect([h.calMin, h.calMax]).toEqual([-1000, 3000]);
    expect(h.description).toBe('CBCT phantom');
    expect(h.magic).toBe('n+1');
    expect([h.qformCode, h.sformCode]).toEqual([1, 2]);
    expect(h.qform[0]?.[0]).toBeCloseTo(-0.4);
    expect(h.qform[1]?.[1]).toBeCloseTo(-0.4);
    expect(h.qform[2]?.[2]).toBeCloseTo(0.4);
    expect(h.qform[0]?.[3]).toBe(10);
    expect(h.sform[0]).toEqual([expect.closeTo(0.4), 0, 0, -19]);
    const byName = new Map(h.fields.map((f) => [f.name, f.value]));
    expect(byName.get('Dimensions (dim)')).toBe('3: 96 × 80 × 40');
    expect(byName.get('Units (xyzt_units)')).toBe('space mm, time s (code 10)');
    expect(byName.get('qform code')).toBe('1 (scanner anatomical)');
    expect(byName.get('sform code')).toBe('2 (aligned anatomical)');
    expect(byName.get('Data type')).toBe('int16 (code 4), 16 bits');
  });

  it('refuses what is not a NIfTI-1 header, saying what it is', () => {
    expect(() => readNiftiHeader(new Uint8Array(100))).toThrow(NiftiHeaderError);
    expect(() => readNiftiHeader(new Uint8Array(400))).toThrow(/not a NIfTI-1 file/);
    const two = new Uint8Array(600);
    new DataView(two.buffer).setInt32(0, 540, true);
    expect(() => readNiftiHeader(two)).toThrow(/NIfTI-2/);
  });
});
