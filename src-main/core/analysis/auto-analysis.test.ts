import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Job } from '../../../src-shared/contract/entities.js';
import { makePng } from '../../test-support/image-fixtures.js';
import { installTestModel } from '../../test-support/model-fixtures.js';
import { makeOnnxModel } from '../../test-support/onnx-fixtures.js';
import { setupAdmin, startTestCore, type TestCore } from '../../test-support/test-core.js';

/** Resolves with every analysis job once `count` of them have finished. */
function whenAnalysesFinish(t: TestCore, count: number): Promise<Job[]> {
  return new Promise((resolve) => {
    const finished = new Map<string, Job>();
    t.core.events.subscribe((name, payload) => {
      const { job } = payload as { job: Job };
      if (name !== 'jobs.updated' || job.type !== 'analysis.run') return;
      if (!['completed', 'failed', 'cancelled'].includes(job.status)) return;
      finished.set(job.id, job);
      if (finished.size === count) resolve([...finished.values()]);
    });
  });
}

describe('analysis started by an import', () => {
  let t: TestCore;
  afterEach(() => t.dispose());

  function installSegmentationModel(): void {
    installTestModel(join(t.root, 'models'), 'default-segmenter', {
      bytes: makeOnnxModel({ op: 'Identity', shape: ['N', 1, 8, 8] }),
      manifest: {
        preprocessing: {
          intensity: { method: 'volume-percentile', lowPercentile: 1, highPercentile: 99 },
          resize: 'bilinear',
        },
        thresholds: { probability: 0.65, minComponentPixels: 4 },
        // Chosen by its manifest, as the shipped models are: no model id is named anywhere.
        role: 'tumour-segmentation',
        default: true,
      },
    });
  }

  it('queues an analysis of each new scan, slices of one folder as one series', async () => {
    t = startTestCore({ analyseImports: true });
    installSegmentationModel();
    const token = await setupAdmin(t);
    const folder = join(t.inputDir, 'case');
    mkdirSync(folder);
    writeFileSync(
      join(folder, 'case_1.png'),
      makePng(32, 32, (x, y) => (x > 10 && x < 20 && y > 10 && y < 20 ? 200 : 40)),
    );
    writeFileSync(
      join(folder, 'case_2.png'),
      makePng(32, 32, () => 40),
    );
    const analyses = whenAnalysesFinish(t, 2);
    await t.ok('import.files', { paths: [folder] }, token);
    const jobs = await analyses;
    expect(jobs.map((j) => j.status)).toEqual(['completed', 'completed']);
    const scans = await t.ok('scans.list', {}, token);
    expect(scans.items.map((s) => s.status)).toEqual(['completed', 'completed']);
    const first = scans.items.find((s) => s.description === 'case_1.png')!;
    expect((await t.ok('analysis.get', { scanId: first.id }, token)).notes).toMatch(
      /1 other slice/,
    );
  });

  it('does nothing when switched off or when no segmentation model is installed', async () => {
    t = startTestCore({ analyseImports: true });
    const token = await setupAdmin(t);
    writeFileSync(join(t.inputDir, 'a.png'), makePng(16, 16));
    const job = await t.ok('import.files', { paths: [join(t.inputDir, 'a.png')] }, token);
    await t.core.jobs.whenFinished(job.id);
    await t.core.jobs.whenIdle();
    expect((await t.ok('jobs.list', {}, token)).items.map((j) => j.type)).toEqual(['import.files']);
  });
});
