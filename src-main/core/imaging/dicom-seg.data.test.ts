import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import dicomParser from 'dicom-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outcomes, runImport } from '../../test-support/import-helpers.js';
import { hasSharedData, SHARED_DATA } from '../../test-support/shared-data.js';
import { setupAdmin, startTestCore, type TestCore } from '../../test-support/test-core.js';
import { decodeDicomFrame } from './dicom/decode-frame.js';
import { parseDicom } from './dicom/parse-dicom.js';
import { describePixels } from './dicom/pixel-description.js';

// The shared samples' SEGs (DICOM_INDEX.csv, "Segmentation Storage") all mark the liver on the
// 3-slice GE CT of series-ct-3slice-with-seg: the original, and pydicom's re-encodings of it
// (deflated frames, RLE, JPEG 2000). liver_1frame.dcm says 1 frame but describes 3.
const SAMPLES = join(SHARED_DATA, 'dicom-samples');
const CT = join(SAMPLES, 'series-ct-3slice-with-seg');
const REENCODED = ['liver_deflate.dcm', 'liver_j2k.dcm', 'liver_rle.dcm'].map((name) =>
  join(SAMPLES, 'pydicom-data', name),
);
const ONE_FRAME = join(SAMPLES, 'pydicom-test-files/liver_1frame.dcm');
const hasSamples = hasSharedData('dicom-samples/series-ct-3slice-with-seg', 'liver_seg.dcm');

/** The SEG decoded directly: each frame's mask placed on the frame of the image it names. */
async function expectedVolume(segPath: string, frameOfSop: Map<string, number>, size: number) {
  const bytes = readFileSync(segPath);
  const parsed = parseDicom(bytes);
  const pixels = describePixels(parsed.dataSet);
  const perFrame = dicomParser.parseDicom(bytes).elements['x52009230']!.items!;
  const volume = new Uint8Array(size * frameOfSop.size);
  for (let i = 0; i < pixels.frames; i++) {
    const source =
      perFrame[i]!.dataSet!.elements['x00089124']!.items![0]!.dataSet!.elements[
        'x00082112'
      ]!.items![0]!.dataSet!.string('x00081155')!;
    const k = frameOfSop.get(source)!;
    const { data } = await decodeDicomFrame(parsed, pixels, i);
    for (let p = 0; p < size; p++) if (data[p] !== 0) volume[k * size + p] = 1;
  }
  return volume;
}

describe.skipIf(!hasSamples)('DICOM SEG samples as segmentations of their CT', () => {
  let t: TestCore;
  let token: string;
  beforeAll(async () => {
    t = startTestCore();
    token = await setupAdmin(t);
  });
  afterAll(() => t.dispose());

  it('imports the CT folder with liver_seg.dcm as one scan with its segmentation', async () => {
    const { report } = await runImport(t, token, [CT, ...REENCODED, ONE_FRAME]);
    expect(outcomes(report)).toEqual({
      '01.dcm': 'imported',
      '02.dcm': 'imported',
      '03.dcm': 'imported',
      'liver_seg.dcm': 'imported',
      'liver_deflate.dcm': 'imported',
      'liver_j2k.dcm': 'imported',
      'liver_rle.dcm': 'imported',
      'liver_1frame.dcm': 'rejected CORRUPT_FILE',
    });
    expect(report.items.find((i) => i.path === ONE_FRAME)?.reason).toMatch(
      /holds 1 frame\(s\) of pixels .* but describes 3/,
    );
    expect(report.scanIds).toHaveLength(1);
    const scanId = report.scanIds[0]!;
    const scans = await t.ok('scans.list', {}, token);
    expect(scans.total).toBe(1);

    // Each CT frame's SOP Instance UID, read from the CT files themselves.
    const framePaths = t.core.db
      .prepare(
        `SELECT x.original_path AS path FROM scan_frames f JOIN files x ON x.id = f.file_id
         WHERE f.scan_id = ? ORDER BY f.frame_index`,
      )
      .all(scanId) as Array<{ path: string }>;
    const frameOfSop = new Map(
      framePaths.map((f, k) => [
        dicomParser
          .parseDicom(readFileSync(f.path), { untilTag: 'x7fe00010' })
          .string('x00080018')!,
        k,
      ]),
    );
    expect(frameOfSop.size).toBe(3);
    const expected = await expectedVolume(join(CT, 'liver_seg.dcm'), frameOfSop, 512 * 512);
    expect(expected.filter((v) => v === 1).length).toBeGreaterThan(1000);

    const detail = await t.ok('scans.get', { id: scanId }, token);
    expect(detail.segmentations.map((s) => s.source).sort()).toEqual([
      'liver_deflate.dcm: Liver Segmentation (QIICR QIN IOWA)',
      'liver_j2k.dcm: Liver Segmentation (QIICR QIN IOWA)',
      'liver_rle.dcm: Liver Segmentation (QIICR QIN IOWA)',
      'liver_seg.dcm: Liver Segmentation (QIICR QIN IOWA)',
    ]);
    for (const segmentation of detail.segmentations) {
      expect(segmentation.labels).toEqual([1]);
      const volume = await t.core.labels.getVolume(scanId, segmentation.id);
      expect(volume.info).toMatchObject({ columns: 512, rows: 512, frames: 3, labels: [1] });
      expect(volume.data.length).toBe(expected.length);
      expect(Buffer.from(volume.data).equals(Buffer.from(expected)), segmentation.source).toBe(
        true,
      );
    }
  });
});
