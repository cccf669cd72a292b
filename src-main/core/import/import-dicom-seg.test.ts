import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixtureUid, writeDicomSeries } from '../../test-support/dicom-fixtures.js';
import { makeDicomSeg, type SegFrameFixture } from '../../test-support/dicom-seg-fixtures.js';
import { outcomes, runImport, tableCounts } from '../../test-support/import-helpers.js';
import { setupAdmin, startTestCore, type TestCore } from '../../test-support/test-core.js';

const SIZE = 16;
const inBox =
  (r0: number, r1: number, c0: number, c1: number) =>
  (r: number, c: number): number =>
    r >= r0 && r <= r1 && c >= c0 && c <= c1 ? 1 : 0;

describe('DICOM SEG files become segmentations of the series they were drawn on', () => {
  let t: TestCore;
  let token: string;
  let seriesUid: string;
  let studyUid: string;
  let seriesDir: string;
  beforeEach(async () => {
    t = startTestCore();
    token = await setupAdmin(t);
    seriesUid = fixtureUid();
    studyUid = fixtureUid();
    seriesDir = join(t.inputDir, 'series');
    // Slice i (1..4) is SOP Instance UID <series>.<i>, at z = (i - 1) * 5 mm.
    writeDicomSeries(seriesDir, 4, {
      seriesInstanceUid: seriesUid,
      studyInstanceUid: studyUid,
    });
  });
  afterEach(() => t.dispose());

  /** Written out of slice order; slice 3's second frame names no source image, only its position. */
  const frames = (): SegFrameFixture[] => [
    { segment: 2, sopInstanceUid: `${seriesUid}.4`, pixel: inBox(0, 3, 0, 3) },
    { segment: 1, sopInstanceUid: `${seriesUid}.2`, pixel: inBox(4, 9, 4, 9) },
    { segment: 2, sopInstanceUid: `${seriesUid}.3`, pixel: inBox(6, 11, 6, 11) },
    { segment: 1, sopInstanceUid: null, position: [0, 0, 10], pixel: inBox(2, 7, 2, 7) },
  ];

  /** The label volume expected on the scan's frames (frame k = slice k + 1). */
  function expectedVolume(): number[] {
    const volume = new Array<number>(SIZE * SIZE * 4).fill(0);
    const slices = [4, 2, 3, 3];
    frames().forEach((frame, i) => {
      const k = slices[i]! - 1;
      for (let r = 0; r < SIZE; r++)
        for (let c = 0; c < SIZE; c++) {
          const v = k * SIZE * SIZE + r * SIZE + c;
          // Overlap: the higher segment number wins.
          if (frame.pixel(r, c) === 1) volume[v] = Math.max(volume[v]!, frame.segment);
        }
    });
    return volume;
  }

  function writeSeg(
    dir: string,
    name: string,
    options: Partial<Parameters<typeof makeDicomSeg>[0]> = {},
  ): string {
    const path = join(dir, name);
    writeFileSync(
      path,
      makeDicomSeg({
        referencedSeriesUid: seriesUid,
        studyInstanceUid: studyUid,
        frames: frames(),
        ...options,
      }),
    );
    return path;
  }

  async function checkSegmentation(scanId: string): Promise<void> {
    expect(tableCounts(t).scans).toBe(1);
    const detail = await t.ok('scans.get', { id: scanId }, token);
    expect(detail.segmentations).toHaveLength(1);
    const segmentation = detail.segmentations[0]!;
    expect(segmentation.labels).toEqual([1, 2]);
    expect(segmentation.source).toBe('tumour-seg.dcm: Tumour segmentation (TUMOUR)');
    // The frames are in slice order: frame k shows slice k + 1.
    const framePaths = t.core.db
      .prepare(
        `SELECT x.original_path AS path FROM scan_frames f JOIN files x ON x.id = f.file_id
         WHERE f.scan_id = ? ORDER BY f.frame_index`,
      )
      .all(scanId) as Array<{ path: string }>;
    expect(framePaths.map((f) => f.path.split('/').pop())).toEqual([
      'slice-0001.dcm',
      'slice-0002.dcm',
      'slice-0003.dcm',
      'slice-0004.dcm',
    ]);
    const volume = await t.core.labels.getVolume(scanId, segmentation.id);
    expect(volume.info).toMatchObject({ columns: SIZE, rows: SIZE, frames: 4, labels: [1, 2] });
    expect([...volume.data]).toEqual(expectedVolume());
  }

  it('imports the series, then the SEG on its own, as one scan with one segmentation', async () => {
    const first = await runImport(t, token, [seriesDir]);
    const scanId = first.report.scanIds[0]!;
    const segPath = writeSeg(t.inputDir, 'tumour-seg.dcm');
    const { report } = await runImport(t, token, [segPath]);
    expect(report.items).toEqual([expect.objectContaining({ status: 'imported', scanId })]);
    await checkSegmentation(scanId);

    // The same bytes again: a duplicate, still of that scan, and no second segmentation.
    const again = await runImport(t, token, [segPath]);
    expect(outcomes(again.report)).toEqual({ 'tumour-seg.dcm': 'duplicate DUPLICATE' });
    expect(again.report.items[0]!.scanId).toBe(scanId);
    await checkSegmentation(scanId);
  });

  it('takes another encoding of a stored SEG (same SOP Instance UID) as a duplicate', async () => {
    const first = await runImport(t, token, [seriesDir]);
    const scanId = first.report.scanIds[0]!;
    const uid = fixtureUid();
    await runImport(t, token, [writeSeg(t.inputDir, 'tumour-seg.dcm', { sopInstanceUid: uid })]);
    // Other bytes (a re-export with another description), same object.
    const copy = writeSeg(t.inputDir, 'tumour-seg-copy.dcm', {
      sopInstanceUid: uid,
      seriesDescription: 'Re-exported',
    });
    const { report } = await runImport(t, token, [copy]);
    expect(outcomes(report)).toEqual({ 'tumour-seg-copy.dcm': 'duplicate DUPLICATE' });
    expect(report.items[0]).toMatchObject({
      scanId,
      reason: `Already imported: SOP Instance UID ${uid} is stored`,
    });
    await checkSegmentation(scanId);
  });

  it('imports a SEG found before its series in the same folder after the series', async () => {
    // Named to come before the slices: it is recorded after them all the same.
    writeSeg(seriesDir, 'a-tumour-seg.dcm');
    const { report } = await runImport(t, token, [seriesDir]);
    expect(report.imported).toBe(5);
    expect(report.scanIds).toHaveLength(1);
    const scanId = report.scanIds[0]!;
    const detail = await t.ok('scans.get', { id: scanId }, token);
    expect(detail.segmentations[0]!.source).toBe('a-tumour-seg.dcm: Tumour segmentation (TUMOUR)');
    expect(tableCounts(t).scans).toBe(1);
    const volume = await t.core.labels.getVolume(scanId, detail.segmentations[0]!.id);
    expect([...volume.data]).toEqual(expectedVolume());
  });

  it('rejects a SEG whose series is not imported, saying which series to import first', async () => {
    const orphanUid = fixtureUid();
    const path = writeSeg(t.inputDir, 'orphan-seg.dcm', { referencedSeriesUid: orphanUid });
    const { report } = await runImport(t, token, [path]);
    expect(report.items[0]).toMatchObject({
      status: 'rejected',
      code: 'INVALID_INPUT',
      reason: `This DICOM segmentation belongs to series ${orphanUid}, which is not imported: import that series first, then this file.`,
    });
    expect(tableCounts(t)).toMatchObject({ scans: 0, files: 0 });
  });

  it('rejects a SEG whose Number of Frames disagrees with its functional groups as corrupt', async () => {
    await runImport(t, token, [seriesDir]);
    const path = writeSeg(t.inputDir, 'short-seg.dcm', { numberOfFrames: 3 });
    const { report } = await runImport(t, token, [path]);
    expect(report.items[0]).toMatchObject({
      status: 'rejected',
      code: 'CORRUPT_FILE',
      reason: expect.stringMatching(/holds 3 frame\(s\) of pixels .* but describes 4/),
    });
    expect(tableCounts(t).files).toBe(4);
  });

  it('refuses a SEG on another pixel grid and a frame on an image that was not imported', async () => {
    const { report: series } = await runImport(t, token, [seriesDir]);
    const small = writeSeg(t.inputDir, 'small-seg.dcm', {
      rows: 8,
      columns: 8,
    });
    const stranger = writeSeg(t.inputDir, 'stranger-seg.dcm', {
      frames: [{ segment: 1, sopInstanceUid: `${seriesUid}.9`, pixel: () => 1 }],
    });
    const { report } = await runImport(t, token, [small, stranger]);
    expect(report.items).toEqual([
      expect.objectContaining({
        code: 'UNSUPPORTED_FORMAT',
        reason: expect.stringMatching(/8x8 pixels but the image it was drawn on is 16x16/),
      }),
      expect.objectContaining({
        code: 'INVALID_INPUT',
        reason: expect.stringMatching(`image ${seriesUid}.9, which is not among the imported`),
      }),
    ]);
    const detail = await t.ok('scans.get', { id: series.scanIds[0]! }, token);
    expect(detail.segmentations).toEqual([]);
  });

  it('thresholds a FRACTIONAL SEG at half its maximum value', async () => {
    const { report: series } = await runImport(t, token, [seriesDir]);
    const scanId = series.scanIds[0]!;
    const path = writeSeg(t.inputDir, 'fractional-seg.dcm', {
      type: 'FRACTIONAL',
      maximumFractionalValue: 200,
      segments: [{ number: 3, label: 'Necrosis' }],
      // Column c holds c * 20: columns 5.. reach 100 (half of 200) and count.
      frames: [
        { segment: 3, sopInstanceUid: `${seriesUid}.1`, pixel: (_r, c) => Math.min(200, c * 20) },
      ],
    });
    const { report } = await runImport(t, token, [path]);
    expect(report.items[0]).toMatchObject({ status: 'imported', scanId });
    const detail = await t.ok('scans.get', { id: scanId }, token);
    const volume = await t.core.labels.getVolume(scanId, detail.segmentations[0]!.id);
    const expected = new Array<number>(SIZE * SIZE * 4).fill(0);
    for (let r = 0; r < SIZE; r++) for (let c = 5; c < SIZE; c++) expected[r * SIZE + c] = 3;
    expect([...volume.data]).toEqual(expected);
  });
});
