import { describe, expect, it } from 'vitest';
import { decimalString, newUid } from './part10.js';
import { segmentCodesOf } from './segment-codes.js';

describe('DICOM value helpers', () => {
  it('writes decimal strings of at most 16 characters', () => {
    expect(decimalString(-119.99999999999997)).toBe('-120');
    expect(decimalString(0.9375)).toBe('0.9375');
    expect(decimalString(-1e-17)).toBe('0');
    expect(decimalString(123456.123456789)).toBe('123456.123456789');
    for (const v of [Math.PI * 1e5, -Math.E * 1e-3, 1 / 3, -98765.4321987654])
      expect(decimalString(v).length).toBeLessThanOrEqual(16);
    expect(() => decimalString(Number.NaN)).toThrow(/cannot be written/);
  });

  it('makes UUID-derived UIDs (2.25 root) of at most 64 characters, never twice the same', () => {
    const uids = new Set(Array.from({ length: 200 }, newUid));
    expect(uids.size).toBe(200);
    for (const uid of uids) {
      expect(uid).toMatch(/^2\.25\.[1-9]\d*$/);
      expect(uid.length).toBeLessThanOrEqual(64);
    }
  });

  it('codes tumour labels as SNOMED neoplasm and anything unknown as an abnormal structure', () => {
    expect(segmentCodesOf('Tumour').type).toMatchObject({ CodeValue: '108369006' });
    expect(segmentCodesOf('tumor').category).toMatchObject({ CodeValue: '49755003' });
    expect(segmentCodesOf('Edema').type).toMatchObject({ CodeValue: '79654002' });
    expect(segmentCodesOf('enhancing ring').type).toMatchObject({ CodeValue: '49755003' });
  });
});
