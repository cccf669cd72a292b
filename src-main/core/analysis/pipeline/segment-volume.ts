import { AppError } from '../../../../src-shared/errors.js';
import type { ModelManifest } from '../../../../src-shared/model-manifest.js';
import type { InferenceEngine } from '../../inference/inference-engine.js';
import { sigmoid } from '../preprocess/activations.js';
import { applyWindow, nonZeroPercentileWindow } from '../preprocess/intensity.js';
import { resizeBilinear } from '../preprocess/resize-bilinear.js';
import type { Volume } from './volume.js';

export interface SegmentationTimings {
  preprocessMs: number;
  inferenceMs: number;
  postprocessMs: number;
}

export interface SegmentationOutput {
  /** Tumour probability per voxel, same grid as the input volume. */
  probabilities: Float32Array;
  timings: SegmentationTimings;
  batches: number;
}

export interface SegmentOptions {
  engine: InferenceEngine;
  manifest: ModelManifest;
  /** An axial volume in LPS order (see reorient.ts). */
  volume: Volume;
  batchSize?: number;
  signal?: AbortSignal | undefined;
  onProgress?: (done: number, total: number) => void;
  /**
   * Extra voxels that belong to the same series (e.g. the other PNG slices of one export), so
   * the intensity window is computed over the whole series as in training, not one slice.
   */
  windowSamples?: Float32Array | undefined;
}

export function windowPercentiles(manifest: ModelManifest): { low: number; high: number } {
  const intensity = manifest.preprocessing.intensity as {
    method: string;
    lowPercentile?: number;
    highPercentile?: number;
  };
  if (intensity.method !== 'volume-percentile') {
    throw new AppError(
      'MODEL_UNAVAILABLE',
      `Model ${manifest.id} asks for intensity method "${intensity.method}", which this version cannot apply.`,
    );
  }
  return { low: intensity.lowPercentile ?? 1, high: intensity.highPercentile ?? 99 };
}

/**
 * Runs a 2D segmentation model over every axial slice: the volume is normalised as the manifest
 * says, each slice resized to the model's input, inferred in batches (progress after each,
 * cancellable between them), and the probabilities resized back to the slice size.
 */
export async function segmentVolume(options: SegmentOptions): Promise<SegmentationOutput> {
  const { engine, manifest, volume } = options;
  const [nx, ny, nz] = volume.dims;
  const { height, width, name: inputName } = manifest.input;
  const batchSize = Math.max(1, options.batchSize ?? 1);
  const outputName = manifest.outputs[0]?.name ?? 'logits';
  const sliceSize = nx * ny;

  const mirrored = manifest.preprocessing.testTimeFlips?.includes('horizontal') === true;
  let started = performance.now();
  const { low, high } = windowPercentiles(manifest);
  const windowSource = options.windowSamples ?? volume.data;
  const normalised = applyWindow(volume.data, nonZeroPercentileWindow(windowSource, low, high));
  const timings: SegmentationTimings = {
    preprocessMs: performance.now() - started,
    inferenceMs: 0,
    postprocessMs: 0,
  };

  const probabilities = new Float32Array(volume.data.length);
  const totalBatches = Math.ceil(nz / batchSize);
  for (let batch = 0; batch < totalBatches; batch++) {
    if (options.signal?.aborted === true)
      throw new AppError('CANCELLED', 'The analysis was cancelled.');
    const first = batch * batchSize;
    const count = Math.min(batchSize, nz - first);

    started = performance.now();
    const modelSlice = height * width;
    // With flip TTA the batch holds the slices, then their mirrors: one run, twice the rows.
    const rows = mirrored ? 2 * count : count;
    const input = new Float32Array(rows * modelSlice);
    for (let s = 0; s < count; s++) {
      const slice = normalised.subarray((first + s) * sliceSize, (first + s + 1) * sliceSize);
      const resized = input.subarray(s * modelSlice, (s + 1) * modelSlice);
      resizeBilinear(slice, ny, nx, height, width, resized);
      if (mirrored) mirrorColumns(resized, height, width, input.subarray((count + s) * modelSlice));
    }
    timings.preprocessMs += performance.now() - started;

    const result = await engine.run(manifest.id, {
      [inputName]: { data: input, dims: [rows, 1, height, width] },
    });
    timings.inferenceMs += result.ms;
    const logits = result.outputs[outputName];
    if (logits === undefined)
      throw new AppError(
        'MODEL_UNAVAILABLE',
        `Model ${manifest.id} returned no "${outputName}" output.`,
      );

    started = performance.now();
    const probs = new Float32Array(modelSlice);
    for (let s = 0; s < count; s++) {
      for (let i = 0; i < modelSlice; i++) probs[i] = sigmoid(logits.data[s * modelSlice + i]!);
      if (mirrored) {
        // The mirror's probabilities, mirrored back, averaged with the slice's own.
        const base = (count + s) * modelSlice;
        for (let y = 0; y < height; y++)
          for (let x = 0; x < width; x++) {
            const i = y * width + x;
            probs[i] =
              0.5 * (probs[i]! + sigmoid(logits.data[base + y * width + (width - 1 - x)]!));
          }
      }
      // Resize probabilities, not labels, back to the slice: as the model card's metrics were computed.
      resizeBilinear(
        probs,
        height,
        width,
        ny,
        nx,
        probabilities.subarray((first + s) * sliceSize, (first + s + 1) * sliceSize),
      );
    }
    timings.postprocessMs += performance.now() - started;
    options.onProgress?.(batch + 1, totalBatches);
  }
  return { probabilities, timings, batches: totalBatches };
}

/** Writes the left-right mirror of a height x width image into `out`. */
function mirrorColumns(
  image: Float32Array,
  height: number,
  width: number,
  out: Float32Array,
): void {
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) out[y * width + x] = image[y * width + (width - 1 - x)]!;
}

/** probability >= threshold, as a 0/1 mask. */
export function thresholdMask(probabilities: Float32Array, threshold: number): Uint8Array {
  const mask = new Uint8Array(probabilities.length);
  for (let i = 0; i < probabilities.length; i++) mask[i] = probabilities[i]! >= threshold ? 1 : 0;
  return mask;
}
