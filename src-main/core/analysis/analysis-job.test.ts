import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Job } from '../../../src-shared/contract/entities.js';
import { writeDicomSeries } from '../../test-support/dicom-fixtures.js';
import { makePng } from '../../test-support/image-fixtures.js';
import { installBrightSpotModel, installTestModel } from '../../test-support/model-fixtures.js';
import { addUser, setupAdmin, startTestCore, type TestCore } from '../../test-support/test-core.js';
import { brainTumourFindings } from '../../../src-shared/contract/analysis.js';

// The pipeline's plumbing with a real (tiny) ONNX model: output = input, so "tumour" is exactly
// where the normalised image is bright. Accuracy with the trained model is tested separately.
describe('analysis as a job', () => {
  let t: TestCore;
  let token: string;
  beforeEach(async () => {
    t = startTestCore();
    token = await setupAdmin(t);
    installBrightSpotModel(join(t.root, 'models'));
  });
  afterEach(() => t.dispose());

  async function importOne(path: string): Promise<string> {
    const job = await t.ok('import.files', { paths: [path] }, token);
    const done = await t.core.jobs.whenFinished(job.id);
    expect(done.status).toBe('completed');
    const report = await t.ok('import.report', { id: job.id }, token);
    return report.scanIds[0]!;
  }

  async function analyse(scanId: string, model = 'bright-spot'): Promise<Job> {
    const job = await t.ok(
      'analysis.start',
      { scanId, segmentationModel: model, classificationModel: null },
      token,
    );
    return t.core.jobs.whenFinished(job.id);
  }

  it('finds, measures and locates a bright lesion in a PNG, in pixels, and stores the result', async () => {
    const path = join(t.inputDir, 'slice.png');
    // A 64x64 picture: a faint head-shaped disc with one bright 12x12 spot in its upper left.
    writeFileSync(
      path,
      makePng(64, 64, (x, y) => {
        if ((x - 32) ** 2 + (y - 32) ** 2 > 30 ** 2) return 0;
        return x >= 14 && x < 26 && y >= 14 && y < 26 ? 250 : 60;
      }),
    );
    const scanId = await importOne(path);
    const job = await analyse(scanId);
    expect(job.status).toBe('completed');
    const analysis = await t.ok('analysis.get', { scanId }, token);
    const findings = brainTumourFindings(analysis)!;
    expect(analysis.applicability.verdict).toBe('unchecked');
    expect(findings.tumourDetected).toBe(true);
    expect(findings.detections).toHaveLength(1);
    const lesion = findings.detections[0]!;
    expect(lesion.units).toBe('pixels');
    expect(lesion.boundingBox.voxels.min[0]).toBeGreaterThanOrEqual(12);
    expect(lesion.boundingBox.voxels.max[0]).toBeLessThanOrEqual(27);
    expect(lesion.metrics.kind).toBe('slice');
    expect(findings.location).toMatch(/approximate/i);
    expect(analysis.provider).toBe('cpu');
    expect(analysis.input).toMatchObject({
      format: 'png',
      dimensions: [64, 64, 1],
      voxelSizes: null,
      units: 'pixels',
    });
    expect(analysis.timings.inferenceMs).toBeGreaterThan(0);
    expect((await t.ok('scans.list', {}, token)).items[0]?.status).toBe('completed');
    const outputs = await t.core.analysis.outputs(scanId);
    expect(outputs.mask).toHaveLength(64 * 64);
    expect(outputs.mask?.[20 * 64 + 20]).toBe(1);
    expect(outputs.mask?.[5 * 64 + 5]).toBe(0);
  });

  it('normalises a 2D slice over its whole series when told its sibling slices', async () => {
    // Alone, the spot (150) is the brightest thing in its slice; within the series, whose other
    // slice reaches 255, it is only moderately bright and stays below the threshold.
    const spotPath = join(t.inputDir, 'case_10.png');
    writeFileSync(
      spotPath,
      makePng(32, 32, (x, y) => (x >= 10 && x < 20 && y >= 10 && y < 20 ? 150 : 60)),
    );
    const brightPath = join(t.inputDir, 'case_11.png');
    writeFileSync(
      brightPath,
      makePng(32, 32, () => 255),
    );
    const spot = await importOne(spotPath);
    const bright = await importOne(brightPath);

    expect((await analyse(spot)).status).toBe('completed');
    expect(
      brainTumourFindings(await t.ok('analysis.get', { scanId: spot }, token))?.tumourDetected,
    ).toBe(true);

    const job = await t.ok(
      'analysis.start',
      {
        scanId: spot,
        segmentationModel: 'bright-spot',
        classificationModel: null,
        normaliseWith: [spot, bright],
      },
      token,
    );
    expect((await t.core.jobs.whenFinished(job.id)).status).toBe('completed');
    const withSeries = await t.ok('analysis.get', { scanId: spot }, token);
    expect(brainTumourFindings(withSeries)?.tumourDetected).toBe(false);
    expect(withSeries.notes).toMatch(/normalised over this image and 1 other slice/);
  });

  it('measures a lesion of a DICOM series in millimetres in 3D', async () => {
    writeDicomSeries(join(t.inputDir, 'series'), 8, {
      rows: 32,
      columns: 32,
      pixelSpacing: [0.5, 0.5],
      spacingZ: 2,
      pixel: (r, c) => (r >= 10 && r < 20 && c >= 10 && c < 20 ? 3000 : 400),
    });
    const scanId = await importOne(join(t.inputDir, 'series'));
    expect((await analyse(scanId)).status).toBe('completed');
    const analysis = await t.ok('analysis.get', { scanId }, token);
    expect(analysis.input.units).toBe('mm');
    const lesion = brainTumourFindings(analysis)!.detections[0]!;
    expect(lesion.metrics.kind).toBe('volume');
    expect(analysis.input.voxelSizes).toEqual([0.5, 0.5, 2]);
    // Every voxel is 0.5 × 0.5 × 2 mm = 0.5 mm³; the lesion spans several slices.
    if (lesion.metrics.kind === 'volume')
      expect(lesion.metrics.volume_mm3).toBeCloseTo(lesion.voxelCount * 0.5, 6);
    expect(lesion.boundingBox.voxels.max[2] - lesion.boundingBox.voxels.min[2]).toBe(7);
    expect(brainTumourFindings(analysis)?.size).toMatch(/mL|cm/);
  });

  it('fails with MODEL_UNAVAILABLE for a missing model and marks the scan failed', async () => {
    const path = join(t.inputDir, 'a.png');
    writeFileSync(path, makePng(16, 16));
    const scanId = await importOne(path);
    const job = await analyse(scanId, 'not-installed');
    expect(job.status).toBe('failed');
    expect(job.error?.code).toBe('MODEL_UNAVAILABLE');
    expect((await t.ok('scans.get', { id: scanId }, token)).scan.status).toBe('failed');
    expect((await t.fail('analysis.get', { scanId }, token)).code).toBe('NOT_FOUND');
  });

  it('refuses a viewer, who may read results but not start analyses', async () => {
    const path = join(t.inputDir, 'b.png');
    writeFileSync(path, makePng(16, 16));
    const scanId = await importOne(path);
    const viewer = await addUser(t, token, 'reader', 'viewer');
    expect((await t.fail('analysis.start', { scanId }, viewer.token)).code).toBe(
      'PERMISSION_DENIED',
    );
  });

  it('lists installed models and says which cannot be used', async () => {
    installTestModel(join(t.root, 'models'), 'broken', { manifest: { sha256: 'f'.repeat(64) } });
    const models = await t.ok('models.list', {}, token);
    expect(models.find((m) => m.id === 'bright-spot')?.usable).toBe(true);
    expect(models.find((m) => m.id === 'broken')).toMatchObject({ usable: false });
  });
});
