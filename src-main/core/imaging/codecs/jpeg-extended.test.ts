import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeDicom } from '../../../test-support/dicom-fixtures.js';
import { hasTool } from '../../../test-support/shared-data.js';
import { makeTempDir, removeTempDir } from '../../../test-support/temp-dir.js';
import { decodeDicomFrame } from '../dicom/decode-frame.js';
import { parseDicom } from '../dicom/parse-dicom.js';
import { describePixels } from '../dicom/pixel-description.js';
import type { DecodedFrame } from '../frame.js';
import { jpegPrecision, withoutFillBytes } from './jpeg-extended.js';

async function decodeFirstFrame(path: string): Promise<DecodedFrame> {
  const parsed = parseDicom(new Uint8Array(readFileSync(path)));
  return decodeDicomFrame(parsed, describePixels(parsed.dataSet), 0);
}

/** A 12-bit image with smooth and sharp structure: a gradient, a bright disc, dark corner. */
function phantom(row: number, column: number): number {
  const inDisc = (row - 40) ** 2 + (column - 30) ** 2 < 15 ** 2;
  if (inDisc) return 3900;
  if (row < 8 && column < 8) return 0;
  return 200 + row * 40 + column * 10;
}

describe('12-bit JPEG Extended (process 4)', () => {
  let temp = '';
  afterEach(() => {
    if (temp !== '') removeTempDir(temp);
  });

  it('needs dcmtk to make its fixtures (installed by scripts/install.sh)', () => {
    expect(hasTool('dcmcjpeg'), 'dcmtk is missing: run bash scripts/install.sh').toBe(true);
  });

  it.runIf(hasTool('dcmcjpeg'))(
    'decodes a 12-bit lossy image to within one grey level of dcmtk, and close to the original',
    async () => {
      temp = makeTempDir();
      const original = join(temp, 'original.dcm');
      const jpeg = join(temp, 'jpeg12.dcm');
      const reference = join(temp, 'dcmtk.dcm');
      writeFileSync(original, makeDicom({ rows: 64, columns: 64, pixel: phantom }));
      execFileSync('dcmcjpeg', ['+ee', '+q', '90', original, jpeg]);
      execFileSync('dcmdjpeg', [jpeg, reference]);

      const parsed = parseDicom(new Uint8Array(readFileSync(jpeg)));
      expect(parsed.transferSyntaxUid).toBe('1.2.840.10008.1.2.4.51');
      const ours = await decodeFirstFrame(jpeg);
      const dcmtk = await decodeFirstFrame(reference);
      const source = await decodeFirstFrame(original);
      expect(ours.dtype).toBe('uint16');
      let maxFromDcmtk = 0;
      let sumFromSource = 0;
      for (let i = 0; i < ours.data.length; i++) {
        maxFromDcmtk = Math.max(maxFromDcmtk, Math.abs(ours.data[i]! - dcmtk.data[i]!));
        sumFromSource += Math.abs(ours.data[i]! - source.data[i]!);
      }
      expect(maxFromDcmtk).toBeLessThanOrEqual(1);
      // Lossy at quality 90 on a 0–4095 scale: a few levels on average, no systematic shift.
      expect(sumFromSource / ours.data.length).toBeLessThan(12);
      expect(ours.maxValue).toBeGreaterThan(3800);
    },
  );

  it.runIf(hasTool('dcmcjpeg'))(
    'reports a cut-off 12-bit codestream as a damaged file',
    async () => {
      temp = makeTempDir();
      const original = join(temp, 'original.dcm');
      const jpeg = join(temp, 'jpeg12.dcm');
      writeFileSync(original, makeDicom({ rows: 64, columns: 64, pixel: phantom }));
      execFileSync('dcmcjpeg', ['+ee', original, jpeg]);
      const bytes = readFileSync(jpeg);
      // Zero the entropy-coded data and the end-of-image marker inside the single fragment.
      const soi = bytes.indexOf(Buffer.from([0xff, 0xd8]));
      const sos = bytes.indexOf(Buffer.from([0xff, 0xda]), soi);
      bytes.fill(0, sos + 20, bytes.length - 12);
      writeFileSync(jpeg, bytes);
      await expect(decodeFirstFrame(jpeg)).rejects.toMatchObject({
        code: 'CORRUPT_FILE',
        message: expect.stringMatching(/JPEG Extended frame 1 cannot be decoded: .+/) as unknown,
      });
    },
  );
});

describe('jpegPrecision', () => {
  const header = (marker: number, precision: number): Uint8Array =>
    Uint8Array.from([
      0xff,
      0xd8,
      0xff,
      0xe0,
      0x00,
      0x04,
      0x00,
      0x00,
      0xff,
      marker,
      0x00,
      0x0b,
      precision,
      0x00,
      0x40,
      0x00,
      0x40,
      0x01,
      0x01,
      0x11,
      0x00,
    ]);

  it('reads the precision from the start-of-frame header after other segments', () => {
    expect(jpegPrecision(header(0xc0, 8))).toBe(8);
    expect(jpegPrecision(header(0xc1, 12))).toBe(12);
  });

  it('says 0 when there is no frame header to read', () => {
    expect(jpegPrecision(Uint8Array.from([0xff, 0xd8, 0xff, 0xda, 0x00, 0x02, 0x00]))).toBe(0);
    expect(jpegPrecision(Uint8Array.from([1, 2, 3, 4, 5, 6]))).toBe(0);
  });
});

describe('withoutFillBytes', () => {
  it('drops 0xFF fill bytes before markers but keeps stuffed bytes and segment payloads', () => {
    const stream = Uint8Array.from([
      0xff,
      0xd8, // SOI
      0xff,
      0xdb,
      0x00,
      0x05,
      0x10,
      0xff,
      0xff, // DQT whose payload holds 0xFFFF
      0xff,
      0xda,
      0x00,
      0x03,
      0x01, // SOS header
      0x12,
      0xff,
      0x00,
      0x34,
      0xff,
      0xd0,
      0x56, // entropy data: stuffed 0xFF00 and RST0
      0xff,
      0xff,
      0xff,
      0xd9, // two fill bytes, then EOI
    ]);
    expect([...withoutFillBytes(stream)]).toEqual([
      0xff, 0xd8, 0xff, 0xdb, 0x00, 0x05, 0x10, 0xff, 0xff, 0xff, 0xda, 0x00, 0x03, 0x01, 0x12,
      0xff, 0x00, 0x34, 0xff, 0xd0, 0x56, 0xff, 0xd9,
    ]);
  });
});
