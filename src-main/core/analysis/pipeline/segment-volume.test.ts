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

  it('with horizontal flip TTA, runs each slice and its mirror and averages them, mirrored back', async () => {
    installTestModel(dir, 'identity-8-tta', {
      bytes: makeOnnxModel({ op: 'Identity', shape: ['N', 1, 8, 8] }),
      manifest: {
        preprocessing: {
          intensity: { method: 'volume-percentile', lowPercentile: 0, highPercentile: 100 },
          resize: 'bilinear',
          testTimeFlips: ['horizontal'],
        },
      },
    });
    // An identity model is its own mirror image; adding x/7 to each logit (x = column) after the
    // real run makes the output depend on the side, so averaging with the mirror shows.
    const batchRows: number[] = [];
    const sided: InferenceEngine = {
      ...engine,
      run: async (id, feeds) => {
        const result = await engine.run(id, feeds);
        const logits = result.outputs['logits']!;
        batchRows.push(logits.dims[0]!);
        const data = Float32Array.from(logits.data, (v, i) => v + (i % 8) / 7);
        return { ...result, outputs: { logits: { ...logits, data } } };
      },
    };
    // 8x8 slices (no resizing): the left half bright (100 -> 1), the right half dark (1 -> 0).
    const data = new Float32Array(64 * 3);
    for (let i = 0; i < data.length; i++) data[i] = i % 8 < 4 ? 100 : 1;
    const volume: Volume = {
      dims: [8, 8, 3],
      spacing: [1, 1, 1],
      direction: IDENTITY_DIRECTION,
      data,
    };
    const registry = createModelRegistry(dir);
    const sig = (v: number): number => 1 / (1 + Math.exp(-v));
    const plain = await segmentVolume({
      engine: sided,
      manifest: registry.manifest('identity-8'),
      volume,
    });
    expect(plain.probabilities[8 + 1]).toBeCloseTo(sig(1 + 1 / 7), 5);
    expect(batchRows).toEqual([1, 1, 1]);

    batchRows.length = 0;
    const mirrored = await segmentVolume({
      engine: sided,
      manifest: registry.manifest('identity-8-tta'),
      volume,
      batchSize: 2,
    });
    expect(batchRows).toEqual([4, 2]); // two slices + their mirrors, then one + its mirror
    // Column x: the slice's own sig(v + x/7), and the mirror's sig(v + (7 - x)/7) mirrored back.
    const expected = (v: number, x: number): number => (sig(v + x / 7) + sig(v + (7 - x) / 7)) / 2;
    expect(mirrored.probabilities[8 + 1]).toBeCloseTo(expected(1, 1), 5);
    expect(mirrored.probabilities[2 * 64 + 8 + 6]).toBeCloseTo(expected(0, 6), 5);
    expect(mirrored.probabilities[8 + 1]).not.toBeCloseTo(plain.probabilities[8 + 1]!, 3);
  });
});
