import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asScanId } from '../../../../src-shared/ids.js';
import { headWithSpot, writeDicomSeries } from '../../../test-support/dicom-fixtures.js';
import { makePng } from '../../../test-support/image-fixtures.js';
import { runImport } from '../../../test-support/import-helpers.js';
import { installBrightSpotModel } from '../../../test-support/model-fixtures.js';
import { setupAdmin, startTestCore, type TestCore } from '../../../test-support/test-core.js';
import { createAnalysesRepo } from '../../analysis/analyses-repo.js';
import { decodePng } from '../../imaging/png-decode.js';
import { createScansRepo } from '../../scans/scans-repo.js';
import { reportFigureSource } from './report-figure-source.js';

describe('reportFigureSource (real core: import, analysis, stored mask)', () => {
  let t: TestCore;
  let token: string;
  beforeEach(async () => {
    t = startTestCore();
    token = await setupAdmin(t);
    installBrightSpotModel(join(t.root, 'models'));
  }, 60_000);
  afterEach(() => t.dispose());

  async function analysedStudy(folder: string, date: string) {
    const paths = writeDicomSeries(join(t.inputDir, folder), 6, {
      rows: 64,
      columns: 64,
      studyDate: date,
      pixel: headWithSpot,
    });
    const { report } = await runImport(t, token, paths);
    const scanId = asScanId(report.scanIds[0]!);
    await t.core.analysis.analyseAndStore(scanId, {
      segmentationModel: 'bright-spot',
      classificationModel: null,
    });
    return { scanId, ...createAnalysesRepo(t.core.db).latestOfScan(scanId)! };
  }

  it('makes key images, diameters of the analysis’s lesions and growth over two studies', async () => {
    const source = reportFigureSource({
      db: t.core.db,
      blobs: t.core.blobs,
      frames: t.core.frames,
      scans: createScansRepo(t.core.db),
    });
    const first = await analysedStudy('jan', '20240115');
    const alone = await source({ report: { scanId: first.scanId }, ...first });
    expect(alone.keyImages!.map((image) => image.caption)).toEqual([
      'Axial, slice 4 of 6: lesion outlined',
      expect.stringMatching(/^Coronal \(reformatted\), slice \d+ of 64: lesion outlined$/),
      expect.stringMatching(/^Sagittal \(reformatted\), slice \d+ of 64: lesion outlined$/),
      expect.stringMatching(/^Axial, slice \d of 6: det-1 measured [\d.]+ × [\d.]+ mm \(longest/),
    ]);
    // 0.8 mm columns, 0.9 mm rows: 51.2 × 57.6 mm, drawn 455 × 512 with square pixels.
    const axial = decodePng(alone.keyImages![0]!.png);
    expect([axial.columns, axial.rows]).toEqual([455, 512]);
    expect(alone.diameters!.map((d) => d.detectionId)).toEqual(['det-1']);
    const [lesion] = alone.diameters!;
    expect(lesion!.longestInPlaneMm).toBeGreaterThan(2);
    expect(lesion!.longestInPlaneMm).toBeLessThanOrEqual(lesion!.max3dMm);
    expect(lesion!.productMm2).toBeCloseTo(
      lesion!.longestInPlaneMm * lesion!.perpendicularInPlaneMm,
      9,
    );
    expect(alone.growth).toBeUndefined();

    const second = await analysedStudy('apr', '20240415');
    const both = await source({ report: { scanId: second.scanId }, ...second });
    expect(both.growth!.rows.map((row) => [row.date, row.lesion])).toEqual([
      ['2024-01-15', 'L1 (det-1)'],
      ['2024-04-15', 'L1 (det-1)'],
    ]);
    // The same spot twice: no change.
    expect(both.growth!.rows[1]!.changePercent).toBeCloseTo(0, 9);
    expect(both.growth!.plotSvg).toContain('<polyline');
  }, 60_000);

  it('draws a 2D picture once and leaves its pixel measurements to the analysis', async () => {
    const source = reportFigureSource({
      db: t.core.db,
      blobs: t.core.blobs,
      frames: t.core.frames,
      scans: createScansRepo(t.core.db),
    });
    const path = join(t.inputDir, 'slice.png');
    writeFileSync(
      path,
      makePng(64, 48, (x, y) => ((x - 40) ** 2 + (y - 20) ** 2 < 64 ? 250 : 90)),
    );
    const { report } = await runImport(t, token, [path]);
    const scanId = asScanId(report.scanIds[0]!);
    await t.core.analysis.analyseAndStore(scanId, {
      segmentationModel: 'bright-spot',
      classificationModel: null,
    });
    const stored = createAnalysesRepo(t.core.db).latestOfScan(scanId)!;
    const figures = await source({ report: { scanId }, ...stored });
    expect(figures.keyImages!.map((image) => image.caption)).toEqual([
      'Image: lesion outlined',
      expect.stringMatching(/^Image: det-1 measured [\d.]+ × [\d.]+ px \(longest/),
    ]);
    expect(figures.diameters).toEqual([]);
    expect(figures.growth).toBeUndefined();
  }, 60_000);
});
