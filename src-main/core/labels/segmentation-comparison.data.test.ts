import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasSharedData, SHARED_DATA } from '../../test-support/shared-data.js';
import { setupAdmin, startTestCore, type TestCore } from '../../test-support/test-core.js';
import { readNiftiVolume } from '../imaging/nifti/nifti-volume.js';
import { appRoot } from '../platform/version.js';

// A BraTS case as a site would use it: the FLAIR volume imported, the expert's label map added
// as its segmentation, the shipped model run. analysis.compareSegmentation must give the Dice
// and volumes counted here straight from the stored mask and the label file (whole tumour =
// label > 0; BraTS voxels are 1 mm³, so mL = voxels / 1000), and the model card's Dice.
const BRATS = join(SHARED_DATA, 'brats2018-3d-nifti');
const present = hasSharedData('brats2018-3d-nifti', 'SOURCE.md');
const MODELS = join(appRoot(), 'models');
const CASE = 'Brats18_CBICA_ABM_1';

describe.skipIf(!present)('AI mask against the BraTS expert label map (shipped model)', () => {
  let t: TestCore;
  let token: string;
  beforeAll(async () => {
    t = startTestCore({ modelsDir: MODELS, jobConcurrency: 1 });
    token = await setupAdmin(t);
  });
  afterAll(() => t?.dispose());

  it(`${CASE}: Dice and volumes as counted from the files, and as in the model card`, async () => {
    const flair = join(BRATS, CASE, `${CASE}_flair.nii.gz`);
    const seg = join(BRATS, CASE, `${CASE}_seg.nii.gz`);
    const imported = await t.ok('import.files', { paths: [flair] }, token);
    expect((await t.core.jobs.whenFinished(imported.id)).status).toBe('completed');
    const scanId = (await t.ok('import.report', { id: imported.id }, token)).scanIds[0]!;
    const added = await t.ok('import.files', { paths: [seg], segmentationOf: scanId }, token);
    expect((await t.core.jobs.whenFinished(added.id)).status).toBe('completed');
    const segmentation = (await t.ok('scans.get', { id: scanId }, token)).segmentations[0]!;
    expect(segmentation.labels).toEqual([1, 2, 4]);
    const job = await t.ok('analysis.start', { scanId, classificationModel: null }, token);
    expect((await t.core.jobs.whenFinished(job.id)).error).toBeNull();

    // Counted here: the stored mask against the label file, voxel by voxel (identical affines).
    const { mask } = await t.core.analysis.outputs(scanId);
    const label = readNiftiVolume(readFileSync(seg), { maxBytes: 1 << 30 }).data;
    let ai = 0;
    let expert = 0;
    let overlap = 0;
    for (let i = 0; i < mask!.length; i++) {
      if (mask![i]! > 0) ai++;
      if (label[i]! > 0) expert++;
      if (mask![i]! > 0 && label[i]! > 0) overlap++;
    }

    const result = await t.ok(
      'analysis.compareSegmentation',
      { scanId, segmentationId: segmentation.id },
      token,
    );
    console.log(
      `${CASE}: Dice ${result.dice?.toFixed(3)}, AI ${result.aiMl?.toFixed(1)} mL, expert ` +
        `${result.expertMl?.toFixed(1)} mL, difference ${result.differencePercent?.toFixed(1)}%`,
    );
    expect(result).toMatchObject({ aiVoxels: ai, expertVoxels: expert, overlapVoxels: overlap });
    expect(result.dice).toBeCloseTo((2 * overlap) / (ai + expert), 12);
    expect(result.expertMl).toBeCloseTo(expert / 1000, 9);
    expect(result.differencePercent).toBeCloseTo(((ai - expert) / expert) * 100, 9);
    const card = JSON.parse(
      readFileSync(join(MODELS, 'lgg-flair-unet', 'manifest.json'), 'utf8'),
    ) as { metrics: Record<string, number> };
    expect(Math.abs(result.dice! - card.metrics[`bratsDice_${CASE}`]!)).toBeLessThanOrEqual(0.02);
  }, 300_000);
});
