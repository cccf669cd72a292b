import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppError } from '../../../../src-shared/errors.js';
import { installTestModel } from '../../../test-support/model-fixtures.js';
import { makeOnnxModel } from '../../../test-support/onnx-fixtures.js';
import { makeTempDir, removeTempDir } from '../../../test-support/temp-dir.js';
import { createInferenceEngine, type InferenceEngine } from '../../inference/inference-engine.js';
import { createModelRegistry } from '../../inference/model-registry.js';
import { memoryLogger } from '../../platform/logger.js';
import { segmentVolume, thresholdMask } from './segment-volume.js';
import { IDENTITY_DIRECTION, type Volume } from './volume.js';

// A real ONNX model (output = input, 8x8 input) run by onnxruntime: the pipeline's mechanics
// (normalisation, resizing, batching, progress, cancel) are checked against known arithmetic.
describe('slice-by-slice segmentation of a volume', () => {
  let dir: string;
  let engine: InferenceEngine;

  beforeEach(() => {
    dir = makeTempDir('ns-seg-');
    installTestModel(dir, 'identity-8', {
      bytes: makeOnnxModel({ op: 'Identity', shape: ['N', 1, 8, 8] }),
      manifest: {
        preprocessing: {
          intensity: { method: 'volume-percentile', lowPercentile: 0, highPercentile: 100 },
          resize: 'bilinear',
        },
      },
    });
    engine = createInferenceEngine({
      registry: createModelRegistry(dir),
      logger: memoryLogger(),
      preference: 'cpu',
      threads: 1,
    });
  });
  afterEach(async () => {
    await engine.close();
    removeTempDir(dir);
  });

  /** 16x16 slices with a bright 8x8 square (100) on a dark border (1). */
  function volumeOf(nz: number): Volume {
    const data = new Float32Array(16 * 16 * nz);
    for (let k = 0; k < nz; k++)
      for (let y = 0; y < 16; y++)
        for (let x = 0; x < 16; x++)
          data[k * 256 + y * 16 + x] = x >= 4 && x < 12 && y >= 4 && y < 12 ? 100 : 1;
    return { dims: [16, 16, nz], spacing: [1, 1, 2], direction: IDENTITY_DIRECTION, data };
  }

  it('normalises, resizes to the model input and back, and reports progress per batch', async () => {
    const progress: string[] = [];
    const out = await segmentVolume({
      engine,
      manifest: createModelRegistry(dir).manifest('identity-8'),
      volume: volumeOf(5),
      batchSize: 2,
      onProgress: (done, total) => progress.push(`${done}/${total}`),
    });
    expect(progress).toEqual(['1/3', '2/3', '3/3']);
    expect(out.batches).toBe(3);
    expect(out.probabilities).toHaveLength(16 * 16 * 5);
    // Identity logits: the centre (normalised 1) → sigmoid(1), the border (normalised 0) → sigmoid(0).
    expect(out.probabilities[2 * 256 + 8 * 16 + 8]).toBeCloseTo(1 / (1 + Math.exp(-1)), 4);
    expect(out.probabilities[2 * 256]).toBeCloseTo(0.5, 4);
    const mask = thresholdMask(out.probabilities, 0.6);
    expect(mask[2 * 256 + 8 * 16 + 8]).toBe(1);
    expect(mask[0]).toBe(0);
    expect(out.timings.inferenceMs).toBeGreaterThan(0);
  });

  it('stops between batches when cancelled, with CANCELLED', async () => {
    const controller = new AbortController();
    let batches = 0;
    const run = segmentVolume({
      engine,
      manifest: createModelRegistry(dir).manifest('identity-8'),
      volume: volumeOf(20),
      signal: controller.signal,
      onProgress: (done) => {
        batches = done;
        if (done === 3) controller.abort();
      },
    });
    const error = (await run.catch((e: unknown) => e)) as AppError;
    expect(error.code).toBe('CANCELLED');
    expect(batches).toBe(3);
  });
});
