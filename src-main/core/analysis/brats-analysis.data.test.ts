import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasSharedData, SHARED_DATA } from '../../test-support/shared-data.js';
import { setupAdmin, startTestCore, type TestCore } from '../../test-support/test-core.js';
import { readNiftiVolume } from '../imaging/nifti/nifti-volume.js';
import { appRoot } from '../platform/version.js';
import { brainTumourFindings } from '../../../src-shared/contract/analysis.js';

// The shipped segmentation model run by the app itself (NIfTI import → analysis job → stored
// mask) on BraTS 2018 FLAIR volumes, scored against the expert label (whole tumour = label > 0).
// The model card's figures come from the Python evaluation; the app must reproduce them:
// same preprocessing, same orientation, same threshold and component filter.
const BRATS = join(SHARED_DATA, 'brats2018-3d-nifti');
const present = hasSharedData('brats2018-3d-nifti', 'SOURCE.md');
const MODELS = join(appRoot(), 'models');

/** Per-case Dice from models/lgg-flair-unet/manifest.json (evaluate_segmentation.py). */
function cardDice(caseId: string): number {
  const manifest = JSON.parse(
    readFileSync(join(MODELS, 'lgg-flair-unet', 'manifest.json'), 'utf8'),
  ) as {
    metrics: Record<string, number>;
  };
  return manifest.metrics[`bratsDice_${caseId}`]!;
}

function dice(prediction: Uint8Array, truth: ArrayLike<number>): number {
  let overlap = 0;
  let predicted = 0;
  let actual = 0;
  for (let i = 0; i < prediction.length; i++) {
    const p = prediction[i]! > 0;
    const g = truth[i]! > 0;
    if (p) predicted++;
    if (g) actual++;
    if (p && g) overlap++;
  }
  return predicted + actual === 0 ? 1 : (2 * overlap) / (predicted + actual);
}

describe.skipIf(!present)('BraTS FLAIR volumes through the app (shipped model)', () => {
  let t: TestCore;
  let token: string;
  beforeAll(async () => {
    t = startTestCore({ modelsDir: MODELS, jobConcurrency: 1 });
    token = await setupAdmin(t);
  });
  afterAll(() => t?.dispose());

  // Two cases the model segments well and the hardest one: a regression on either side shows.
  for (const caseId of ['Brats18_CBICA_ABM_1', 'Brats18_TCIA01_201_1', 'Brats18_2013_20_1']) {
    it(`${caseId}: reproduces the model card's Dice within 2 points`, async () => {
      const flair = join(BRATS, caseId, `${caseId}_flair.nii.gz`);
      const imported = await t.ok('import.files', { paths: [flair] }, token);
      expect((await t.core.jobs.whenFinished(imported.id)).status).toBe('completed');
      const scanId = (await t.ok('import.report', { id: imported.id }, token)).scanIds[0]!;
      const job = await t.ok('analysis.start', { scanId, classificationModel: null }, token);
      const finished = await t.core.jobs.whenFinished(job.id);
      expect(finished.error).toBeNull();

      const { analysis, mask } = await t.core.analysis.outputs(scanId);
      expect(analysis.input).toMatchObject({
        dimensions: [240, 240, 155],
        voxelSizes: [1, 1, 1],
        units: 'mm',
      });
      const label = readNiftiVolume(readFileSync(join(BRATS, caseId, `${caseId}_seg.nii.gz`)), {
        maxBytes: 1 << 30,
      });
      const score = dice(mask!, label.data);
      console.log(
        `${caseId}: Dice ${score.toFixed(3)} (card ${cardDice(caseId).toFixed(3)}), ${brainTumourFindings(analysis)!.detections.length} lesion(s), ${analysis.timings.totalMs.toFixed(0)} ms`,
      );
      expect(Math.abs(score - cardDice(caseId))).toBeLessThanOrEqual(0.02);
      expect(brainTumourFindings(analysis)?.tumourDetected).toBe(true);
      const largest = brainTumourFindings(analysis)!.detections[0]!;
      expect(largest.metrics.kind).toBe('volume');
    }, 180_000);
  }
});
