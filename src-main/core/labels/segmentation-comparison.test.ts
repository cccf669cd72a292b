import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installBrightSpotModel } from '../../test-support/model-fixtures.js';
import {
  importScan,
  setupAdmin,
  startTestCore,
  type TestCore,
} from '../../test-support/test-core.js';
import { makeNifti } from '../../test-support/volume-fixtures.js';
import { comparisonFigures, diceOf, overlapCounts, voxelMlOf } from './segmentation-comparison.js';

describe('overlap figures', () => {
  it('counts any non-zero label as inside and scores Dice', () => {
    const ai = Uint8Array.from([1, 1, 1, 1, 0, 0, 0, 0]);
    const expert = Uint8Array.from([2, 4, 0, 0, 1, 0, 0, 0]);
    const counts = overlapCounts(ai, expert);
    expect(counts).toEqual({ ai: 4, expert: 3, overlap: 2 });
    expect(diceOf(counts)).toBeCloseTo(4 / 7, 12);
    expect(diceOf({ ai: 0, expert: 0, overlap: 0 })).toBeNull();
    expect(diceOf({ ai: 5, expert: 0, overlap: 0 })).toBe(0);
    expect(() => overlapCounts(ai, new Uint8Array(3))).toThrow(/not on the same grid/);
  });

  it('turns voxels into mL and the difference into a share of the expert volume', () => {
    expect(voxelMlOf([2, 2, 3])).toBeCloseTo(0.012, 12);
    expect(voxelMlOf([1, 1, null])).toBeNull();
    expect(voxelMlOf(null)).toBeNull();
    const figures = comparisonFigures({ ai: 30, expert: 20, overlap: 10 }, 0.5);
    expect(figures).toMatchObject({
      aiMl: 15,
      expertMl: 10,
      differenceMl: 5,
      differencePercent: 50,
    });
    expect(comparisonFigures({ ai: 3, expert: 0, overlap: 0 }, null)).toMatchObject({
      aiMl: null,
      differenceMl: null,
      differencePercent: null,
    });
  });
});

describe('analysis.compareSegmentation with a real core', () => {
  let t: TestCore;
  let token: string;
  beforeEach(async () => {
    t = startTestCore();
    token = await setupAdmin(t);
  });
  afterEach(() => t.dispose());

  const write = (name: string, data: Uint8Array): string => {
    const path = join(t.inputDir, name);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, data);
    return path;
  };
  // 2 × 2 × 3 mm voxels: 12 mm³ = 0.012 mL each.
  const sform: [number[], number[], number[]] = [
    [2, 0, 0, 0],
    [0, 2, 0, 0],
    [0, 0, 3, 0],
  ];
  // 8 × 8 × 3 voxels, the model's own input size (no resampling): a bright 4 × 4 block on slice 1
  // is the whole tumour the identity model segments, 16 voxels.
  const inBlock = (i: number, j: number, k: number): boolean => i < 4 && j < 4 && k === 1;
  // The expert: oedema (2) on half the block (8 voxels), enhancing tumour (4) on 8 voxels beside
  // it, a necrotic core (1) of 4 voxels on slice 2. 20 voxels, 8 shared with the AI mask.
  const expertLabel = (i: number, j: number, k: number): number =>
    k === 1 && i < 4 && j < 2
      ? 2
      : k === 1 && i >= 4 && i < 6 && j < 4
        ? 4
        : k === 2 && i < 2 && j < 2
          ? 1
          : 0;

  it('scores the whole tumour: Dice 16/36, volumes and their difference in mL and %', async () => {
    installBrightSpotModel(join(t.root, 'models'));
    const scanId = await importScan(t, token, [
      write(
        'flair.nii',
        makeNifti({ dims: [8, 8, 3], sform, voxel: (i, j, k) => (inBlock(i, j, k) ? 250 : 60) }),
      ),
    ]);
    const seg = write(
      'labels/seg.nii.gz',
      makeNifti({ dims: [8, 8, 3], sform, datatype: 'uint8', gzip: true, voxel: expertLabel }),
    );
    const job = await t.ok('import.files', { paths: [seg], segmentationOf: scanId }, token);
    await t.core.jobs.whenFinished(job.id);
    const segmentationId = (await t.ok('scans.get', { id: scanId }, token)).segmentations[0]!.id;

    // No analysis yet: a clear error, not a Dice of 0.
    expect(
      await t.fail('analysis.compareSegmentation', { scanId, segmentationId }, token),
    ).toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringMatching(/not been analysed/),
    });

    await t.core.analysis.analyseAndStore(scanId, {
      segmentationModel: 'bright-spot',
      classificationModel: null,
    });
    // The premise: the AI mask is exactly the bright block (16 voxels, all on slice 1; frames
    // are in LPS order, so x and y are flipped from the file's RAS order, for both masks alike).
    const ai = await t.core.labels.getVolume(scanId, 'analysis');
    const aiVoxels = [...ai.data.keys()].filter((v) => ai.data[v] !== 0);
    expect(aiVoxels).toHaveLength(16);
    expect(aiVoxels.every((v) => Math.floor(v / 64) === 1)).toBe(true);

    const result = await t.ok('analysis.compareSegmentation', { scanId, segmentationId }, token);
    expect(result).toMatchObject({
      scanId,
      segmentationId,
      aiVoxels: 16,
      expertVoxels: 20,
      overlapVoxels: 8,
      region: expect.stringMatching(/^Whole tumour: every non-zero label/),
    });
    expect(result.dice).toBeCloseTo(16 / 36, 10);
    expect(result.voxelMl).toBeCloseTo(0.012, 6);
    expect(result.aiMl).toBeCloseTo(0.192, 6);
    expect(result.expertMl).toBeCloseTo(0.24, 6);
    expect(result.differenceMl).toBeCloseTo(-0.048, 6);
    expect(result.differencePercent).toBeCloseTo(-20, 6);

    const audit = t.core.audit.list(20).find((e) => e.action === 'analysis.compareSegmentation');
    expect(audit).toMatchObject({ target: scanId, details: { segmentationId } });
  });

  it('refuses a segmentation of another scan and an unknown scan', async () => {
    const scanId = await importScan(t, token, [write('a.nii', makeNifti({ dims: [4, 4, 2] }))]);
    expect(
      await t.fail(
        'analysis.compareSegmentation',
        { scanId, segmentationId: '00000000-0000-4000-8000-0000000005e9' },
        token,
      ),
    ).toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/no such segmentation/) });
    expect(
      await t.fail(
        'analysis.compareSegmentation',
        {
          scanId: '00000000-0000-4000-8000-00000000dead',
          segmentationId: '00000000-0000-4000-8000-0000000005e9',
        },
        token,
      ),
    ).toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/No such scan/) });
  });
});
