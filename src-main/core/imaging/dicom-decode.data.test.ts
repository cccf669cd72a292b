import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasSharedData, hasTool, readCsv, SHARED_DATA } from '../../test-support/shared-data.js';
import { decodeDicomFrame } from './dicom/decode-frame.js';
import { parseDicom } from './dicom/parse-dicom.js';
import { describePixels } from './dicom/pixel-description.js';
import type { DecodedFrame } from './frame.js';

const SAMPLES = join(SHARED_DATA, 'dicom-samples');
const hasSamples = hasSharedData('dicom-samples', 'DICOM_INDEX.csv');
const hasDcmtk = hasSamples && hasTool('dcmdjpeg');

async function decodeAll(path: string, maxFrames = 64): Promise<DecodedFrame[]> {
  const parsed = parseDicom(readFileSync(path));
  const pixels = describePixels(parsed.dataSet);
  const frames: DecodedFrame[] = [];
  for (let i = 0; i < Math.min(pixels.frames, maxFrames); i++) {
    frames.push(await decodeDicomFrame(parsed, pixels, i));
  }
  return frames;
}

/** dcmtk's decompressor (or converter) for a transfer syntax: the independent reference. */
function dcmtkTool(ts: string): string[] | null {
  if (
    [
      '1.2.840.10008.1.2.4.50',
      '1.2.840.10008.1.2.4.51',
      '1.2.840.10008.1.2.4.57',
      '1.2.840.10008.1.2.4.70',
    ].includes(ts)
  )
    return ['dcmdjpeg'];
  if (ts === '1.2.840.10008.1.2.5') return ['dcmdrle'];
  if (ts === '1.2.840.10008.1.2.4.80' || ts === '1.2.840.10008.1.2.4.81') return ['dcmdjpls'];
  if (['1.2.840.10008.1.2', '1.2.840.10008.1.2.2', '1.2.840.10008.1.2.1.99'].includes(ts))
    return ['dcmconv', '+te'];
  return null;
}

const isLossy = (ts: string): boolean =>
  [
    '1.2.840.10008.1.2.4.50',
    '1.2.840.10008.1.2.4.51',
    '1.2.840.10008.1.2.4.81',
    '1.2.840.10008.1.2.4.91',
  ].includes(ts);

function differences(a: DecodedFrame, b: DecodedFrame): { max: number; mean: number } {
  let max = 0;
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) {
    const d = Math.abs(a.data[i]! - b.data[i]!);
    sum += d;
    if (d > max) max = d;
  }
  return { max, mean: sum / Math.max(1, a.data.length) };
}

const DCMTK_REFUSES = /JLSL_08_07_0_1F|liver_rle/;

describe.skipIf(!hasSamples)('decoding every image in ../shared/data/dicom-samples', () => {
  const rows = hasSamples ? readCsv(join(SAMPLES, 'DICOM_INDEX.csv')) : [];
  const images = rows.filter(
    (r) =>
      r.rows !== '' &&
      r.photometric !== '' &&
      !r.file!.includes('dicomdirtests') &&
      !r.file!.startsWith('series-philips'),
  );
  const work = mkdtempSync(join(tmpdir(), 'ns-dcmtk-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it.each(images.map((r) => [r.file!, r] as const))('%s', async (file, row) => {
    const path = join(SAMPLES, file);
    const frames = await decodeAll(path);
    expect(frames.length).toBe(Math.min(Number.parseInt(row.frames || '1', 10), 64));
    const first = frames[0]!;
    expect([first.columns, first.rows]).toEqual([Number(row.cols), Number(row.rows)]);
    expect(first.data.length).toBe(first.rows * first.columns * first.samplesPerPixel);
    const tool = dcmtkTool(row.transfer_syntax!);
    if (!hasDcmtk || tool === null) return;
    const reference = join(work, file.replaceAll('/', '_'));
    try {
      execFileSync(tool[0]!, [...tool.slice(1), path, reference], { stdio: 'ignore' });
    } catch {
      // dcmtk 3.6.7 refuses a few valid files (e.g. 7-bit JPEG-LS); nothing to compare with.
      expect(file).toMatch(DCMTK_REFUSES);
      return;
    }
    const expected = await decodeAll(reference);
    expect(expected.length).toBe(frames.length);
    for (const [i, frame] of frames.entries()) {
      const ref = expected[i]!;
      expect(frame.samplesPerPixel, `frame ${i + 1} samples`).toBe(ref.samplesPerPixel);
      const diff = differences(frame, ref);
      if (row.transfer_syntax === '1.2.840.10008.1.2.4.51') {
        // 12-bit JPEG: the two decoders' inverse DCTs round differently by at most one level.
        expect(diff.max, `frame ${i + 1} largest difference`).toBeLessThanOrEqual(1);
      } else if (isLossy(row.transfer_syntax!)) {
        // Two JPEG decoders may round the inverse DCT and colour conversion differently.
        expect(diff.mean, `frame ${i + 1} mean difference`).toBeLessThan(1.5);
      } else {
        expect(diff.max, `frame ${i + 1} largest difference`).toBe(0);
      }
    }
  });

  it('decodes one Siemens slice identically from all six transfer syntaxes', async () => {
    const folder = join(SAMPLES, 'dcm_qa_ts-siemens-brain-slice');
    const [reference, ...others] = await Promise.all(
      ['1', '2', '4', '5', '7', '9'].map(
        async (n) => (await decodeAll(join(folder, `${n}.dcm`)))[0]!,
      ),
    );
    for (const other of others) expect(differences(other, reference!).max).toBe(0);
    expect(reference!.dtype).toBe('uint16');
  });

  it('decodes JPEG 2000 lossless exactly like the same image decoded by dcmtk from JPEG lossless', async () => {
    for (const image of ['CT1', 'MR1']) {
      const j2k = (await decodeAll(join(SAMPLES, `nema-wg04/J2KR/${image}_J2KR`)))[0]!;
      const lossless = (await decodeAll(join(SAMPLES, `nema-wg04/JPLL/${image}_JPLL`)))[0]!;
      expect(differences(j2k, lossless).max, image).toBe(0);
      const lossy = (await decodeAll(join(SAMPLES, `nema-wg04/J2KI/${image}_J2KI`)))[0]!;
      expect(differences(lossy, lossless).mean, `${image} lossy`).toBeLessThan(
        0.02 * (lossless.maxValue - lossless.minValue),
      );
    }
    const emri = await decodeAll(join(SAMPLES, 'pydicom-data/emri_small.dcm'));
    const emriJ2k = await decodeAll(join(SAMPLES, 'pydicom-data/emri_small_jpeg_2k_lossless.dcm'));
    emri.forEach((frame, i) => expect(differences(emriJ2k[i]!, frame).max).toBe(0));
  });

  it('decodes the 1-bit liver segmentation identically from RLE, JPEG 2000 and deflated frames', async () => {
    const reference = await decodeAll(join(SAMPLES, 'series-ct-3slice-with-seg/liver_seg.dcm'));
    for (const name of ['liver_rle', 'liver_j2k', 'liver_deflate']) {
      const frames = await decodeAll(join(SAMPLES, `pydicom-data/${name}.dcm`));
      expect(frames.length, name).toBe(reference.length);
      frames.forEach((frame, i) =>
        expect(differences(frame, reference[i]!).max, `${name} ${i}`).toBe(0),
      );
    }
    expect(reference.some((frame) => frame.maxValue === 1)).toBe(true);
  });

  it('masks bits above Bits Stored and sign-extends 12-bit signed data', async () => {
    const folder = join(SAMPLES, 'edge-12bit-stored');
    // The raw words reach 65535 (garbage in bits 12-15); only the low 12 bits are the value.
    const unsigned = (await decodeAll(join(folder, '12bitUnsigned_0x0F0F.dcm')))[0]!;
    expect(unsigned.dtype).toBe('uint16');
    expect(unsigned.maxValue).toBe(4095);
    const signed = (await decodeAll(join(folder, '12bitSigned_0x0F0F.dcm')))[0]!;
    expect(signed.dtype).toBe('int16');
    expect([signed.minValue, signed.maxValue]).toEqual([-2048, 2047]);
    // Same words: the signed value is the unsigned one sign-extended from bit 11.
    for (let i = 0; i < unsigned.data.length; i += 997) {
      const u = unsigned.data[i]!;
      expect(signed.data[i]).toBe(u >= 2048 ? u - 4096 : u);
    }
  });

  it('turns colour models into RGB: YBR_FULL_422, palette colour, planar RGB', async () => {
    const ybr = (
      await decodeAll(join(SAMPLES, 'pydicom-test-files/SC_ybr_full_422_uncompressed.dcm'))
    )[0]!;
    const rgb = (await decodeAll(join(SAMPLES, 'pydicom-test-files/SC_rgb_small_odd.dcm')))[0]!;
    expect(ybr.photometric).toBe('RGB');
    expect(rgb.photometric).toBe('RGB');
    // pydicom's SC_rgb test images start with a band of pure red (Y 76, Cb 85, Cr 255).
    expect(Array.from(ybr.data.subarray(0, 3))).toEqual([254, 0, 0]);
    expect(rgb.samplesPerPixel).toBe(3);
    expect(ybr.data[1]!).toBeLessThan(10);
    const palette = (await decodeAll(join(SAMPLES, 'pydicom-test-files/examples_palette.dcm')))[0]!;
    expect(palette.samplesPerPixel).toBe(3);
    expect(palette.maxValue).toBeGreaterThan(0);
  });
});
