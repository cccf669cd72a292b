import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { brainTumourFindings, type Analysis } from '../../../../src-shared/contract/analysis.js';
import { asScanId } from '../../../../src-shared/ids.js';
import { writeDicomSeries } from '../../../test-support/dicom-fixtures.js';
import { runImport } from '../../../test-support/import-helpers.js';
import { installBrightSpotModel } from '../../../test-support/model-fixtures.js';
import { setupAdmin, startTestCore, type TestCore } from '../../../test-support/test-core.js';
import { lesionGrowth } from './lesion-growth.js';
import { patientTimepoints } from './prior-analyses.js';

/** A 64 × 64 head with a bright square spot of `side` pixels at rows and columns 14…. */
const headWithSpotOf =
  (side: number) =>
  (r: number, c: number): number => {
    if ((r - 32) ** 2 + (c - 32) ** 2 > 30 ** 2) return 0;
    return r >= 14 && r < 14 + side && c >= 14 && c < 14 + side ? 3000 : 700;
  };

describe('patientTimepoints (real store, real imports and analyses)', () => {
  let t: TestCore;
  let token: string;
  beforeEach(async () => {
    t = startTestCore();
    token = await setupAdmin(t);
    installBrightSpotModel(join(t.root, 'models'));
  });
  afterEach(() => t.dispose());

  /** Imports one 6-slice study of patient NS-0001 and analyses it. */
  async function study(folder: string, date: string, spot: number, description = 'AX FLAIR') {
    const paths = writeDicomSeries(join(t.inputDir, folder), 6, {
      rows: 64,
      columns: 64,
      studyDate: date,
      seriesDescription: description,
      pixel: headWithSpotOf(spot),
    });
    const { report } = await runImport(t, token, paths);
    const scanId = asScanId(report.scanIds[0]!);
    const { analysis } = await t.core.analysis.analyseAndStore(scanId, {
      segmentationModel: 'bright-spot',
      classificationModel: null,
    });
    return { scanId, analysis };
  }
  const volumeOf = (analysis: Analysis): number => {
    const metrics = brainTumourFindings(analysis)!.detections[0]!.metrics;
    return metrics.kind === 'volume' ? metrics.volume_mm3 : NaN;
  };

  it('gathers the earlier studies up to this one, one series each, measured from their masks', async () => {
    const first = await study('jan', '20240115', 12);
    const otherSeries = await study('jan-t2', '20240115', 12, 'AX T2');
    const current = await study('apr', '20240415', 18);
    const later = await study('jun', '20240601', 20);
    // Imports of one date keep their own study: give the T2 series January's study.
    t.core.db
      .prepare('UPDATE scans SET study_id = (SELECT study_id FROM scans WHERE id = ?) WHERE id = ?')
      .run(first.scanId, otherSeries.scanId);

    const { timepoints, skipped } = await patientTimepoints(
      { db: t.core.db, blobs: t.core.blobs },
      current.scanId,
    );
    expect(timepoints.map((p) => [p.date, p.scanId, p.id, p.isCurrent])).toEqual([
      ['2024-01-15', first.scanId, first.analysis.id, false],
      ['2024-04-15', current.scanId, current.analysis.id, true],
    ]);
    expect(skipped).toEqual(
      expect.arrayContaining([
        {
          scanId: otherSeries.scanId,
          reason: 'another series of the same study (AX FLAIR) was used',
        },
        { scanId: later.scanId, reason: 'its study is later than this one' },
      ]),
    );
    expect(skipped).toHaveLength(2);

    const [jan, apr] = timepoints.map((p) => p.lesions[0]!);
    expect(jan!.volume_mm3).toBe(volumeOf(first.analysis));
    expect(apr!.volume_mm3).toBe(volumeOf(current.analysis));
    // Measured on the stored mask: in-plane between the box's side and its diagonal, and the 3D
    // diameter close to the analysis's own (measured on its smoothed surface mesh instead).
    const detection = brainTumourFindings(current.analysis)!.detections[0]!;
    const [sx, sy] = detection.boundingBox.mm!.size;
    expect(apr!.longestAxial_mm).toBeGreaterThanOrEqual(Math.max(sx, sy));
    expect(apr!.longestAxial_mm).toBeLessThanOrEqual(Math.hypot(sx, sy));
    expect(apr!.perpendicularAxial_mm).toBeGreaterThan(0.8 * Math.min(sx, sy));
    const analysed = detection.metrics.kind === 'volume' ? detection.metrics.diameter_mm : NaN;
    expect(Math.abs(apr!.maxDiameter_mm! - analysed) / analysed).toBeLessThan(0.1);
    // The same place in patient space in both studies: followed as one growing lesion.
    const growth = lesionGrowth(timepoints);
    expect(growth.tracks).toHaveLength(1);
    const change = growth.tracks[0]!.points[1]!.vsPrevious!;
    expect(change.days).toBe(91);
    expect(change.volumePercent).toBeCloseTo(
      ((volumeOf(current.analysis) - volumeOf(first.analysis)) / volumeOf(first.analysis)) * 100,
      9,
    );
    expect(change.volumePercent).toBeGreaterThan(50);
  });

  it('gives the current scan alone when the patient has no earlier study, and refuses an unknown scan', async () => {
    const only = await study('only', '20240115', 12);
    const { timepoints, skipped } = await patientTimepoints(
      { db: t.core.db, blobs: t.core.blobs },
      only.scanId,
    );
    expect(timepoints.map((p) => p.isCurrent)).toEqual([true]);
    expect(skipped).toEqual([]);
    await expect(
      patientTimepoints(
        { db: t.core.db, blobs: t.core.blobs },
        '00000000-0000-4000-8000-000000000000',
      ),
    ).rejects.toThrow(/No such scan/);
  });
});
