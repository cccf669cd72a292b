import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ScanGrowth } from '../../../src-shared/contract/growth.js';
import { asScanId } from '../../../src-shared/ids.js';
import { writeDicomSeries } from '../../test-support/dicom-fixtures.js';
import { runImport } from '../../test-support/import-helpers.js';
import { installBrightSpotModel } from '../../test-support/model-fixtures.js';
import { setupAdmin, startTestCore, type TestCore } from '../../test-support/test-core.js';

/** A 64 × 64 head with a bright square spot of `side` pixels at rows and columns 14…. */
const headWithSpotOf =
  (side: number) =>
  (r: number, c: number): number => {
    if ((r - 32) ** 2 + (c - 32) ** 2 > 30 ** 2) return 0;
    return r >= 14 && r < 14 + side && c >= 14 && c < 14 + side ? 3000 : 700;
  };

describe('reports.growth (real store, imports and analyses, through the router)', () => {
  let t: TestCore;
  let token: string;
  beforeEach(async () => {
    t = startTestCore();
    token = await setupAdmin(t);
    installBrightSpotModel(join(t.root, 'models'));
  });
  afterEach(() => t.dispose());

  async function study(folder: string, date: string, spot: number): Promise<string> {
    const paths = writeDicomSeries(join(t.inputDir, folder), 6, {
      rows: 64,
      columns: 64,
      studyDate: date,
      seriesDescription: 'AX FLAIR',
      pixel: headWithSpotOf(spot),
    });
    const { report } = await runImport(t, token, paths);
    const scanId = asScanId(report.scanIds[0]!);
    await t.core.analysis.analyseAndStore(scanId, {
      segmentationModel: 'bright-spot',
      classificationModel: null,
    });
    return scanId;
  }

  async function growthOf(scanId: string): Promise<ScanGrowth> {
    const answer = await t.core.router.call(
      'reports.growth',
      { scanId },
      { transport: 'test', token },
    );
    if (!answer.ok) throw new Error(answer.error.message);
    return answer.value as ScanGrowth;
  }

  it('follows the lesion from the earlier study: rows per date, the change, and a plot', async () => {
    await study('jan', '20240115', 12);
    const current = await study('apr', '20240415', 18);
    const growth = await growthOf(current);
    expect(growth.timepoints.map((p) => [p.date, p.isCurrent])).toEqual([
      ['2024-01-15', false],
      ['2024-04-15', true],
    ]);
    expect(growth.rows.map((r) => r.date)).toEqual(['2024-01-15', '2024-04-15']);
    const [before, after] = growth.rows;
    // The spot grew (12 → 18 pixels a side): the change is the rows' own volumes' ratio, and
    // per month over the 91 days between the studies (30.44-day months).
    expect(after!.volumeMl).toBeGreaterThan(before!.volumeMl);
    const percent = (after!.volumeMl / before!.volumeMl - 1) * 100;
    expect(after!.changePercent).toBeCloseTo(percent, 6);
    expect(after!.changePercentPerMonth).toBeCloseTo(percent / (91 / 30.44), 6);
    expect(after!.changeFromFirstPercent).toBeCloseTo(percent, 6);
    expect(before!.changePercent).toBeNull();
    expect(growth.plotSvg).toMatch(/^<svg[\s\S]*<\/svg>$/);
    expect(growth.plotSvg).not.toMatch(/<script/i);
  });

  it('has no rows and no plot with one analysed study, and refuses an unknown scan', async () => {
    const only = await study('jan', '20240115', 12);
    const growth = await growthOf(only);
    expect(growth.timepoints).toHaveLength(1);
    expect(growth.rows).toEqual([]);
    expect(growth.plotSvg).toBeNull();
    const missing = await t.core.router.call(
      'reports.growth',
      { scanId: '0c1d2e3f-1111-4222-8333-444455556666' },
      { transport: 'test', token },
    );
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.error.code).toBe('NOT_FOUND');
  });
});
