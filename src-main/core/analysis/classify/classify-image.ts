import { AppError } from '../../../../src-shared/errors.js';
import type { ModelManifest } from '../../../../src-shared/model-manifest.js';
import type { InferenceEngine } from '../../inference/inference-engine.js';
import { softmax } from '../preprocess/activations.js';
import { standardise } from '../preprocess/intensity.js';
import { resizeBilinear } from '../preprocess/resize-bilinear.js';
import { classActivationMap } from './class-activation-map.js';

export interface Classification {
  label: string;
  /** Calibrated probability of the label (temperature-scaled softmax). */
  confidence: number;
  probabilities: Record<string, number>;
  /** Class activation map of the predicted class, 0..1, at the image's size (row-major). */
  heatmap: Float32Array;
  timings: { preprocessMs: number; inferenceMs: number; postprocessMs: number };
}

/**
 * Classifies one greyscale image whose values are already on the 0..1 display scale
 * (8-bit pictures divided by 255; see toDisplayScale for DICOM and NIfTI slices).
 */
export async function classifyImage(options: {
  engine: InferenceEngine;
  manifest: ModelManifest;
  image: Float32Array;
  rows: number;
  columns: number;
}): Promise<Classification> {
  const { engine, manifest, image, rows, columns } = options;
  const cam = manifest.cam;
  if (manifest.task !== 'classification' || cam === undefined) {
    throw new AppError(
      'MODEL_UNAVAILABLE',
      `Model ${manifest.id} is not a classifier with a class activation head.`,
    );
  }
  let started = performance.now();
  const { height, width, name } = manifest.input;
  const input = standardise(resizeBilinear(image, rows, columns, height, width));
  const preprocessMs = performance.now() - started;

  const logitsName = manifest.outputs[0]?.name ?? 'logits';
  const result = await engine.run(manifest.id, {
    [name]: { data: input, dims: [1, 1, height, width] },
  });
  const logits = result.outputs[logitsName];
  const features = result.outputs[cam.featureOutput];
  if (logits === undefined || features === undefined) {
    throw new AppError(
      'MODEL_UNAVAILABLE',
      `Model ${manifest.id} did not return "${logitsName}" and "${cam.featureOutput}".`,
    );
  }

  started = performance.now();
  const probabilities = softmax(logits.data, manifest.calibration?.temperature ?? 1);
  let best = 0;
  for (let i = 1; i < probabilities.length; i++)
    if (probabilities[i]! > probabilities[best]!) best = i;
  const [, channels = 0, fh = 0, fw = 0] = features.dims;
  const heatmap = classActivationMap({
    features: features.data,
    channels,
    height: fh,
    width: fw,
    classWeights: cam.weights[best] ?? [],
    outHeight: rows,
    outWidth: columns,
  });
  return {
    label: manifest.labels[best] ?? String(best),
    confidence: probabilities[best]!,
    probabilities: Object.fromEntries(
      manifest.labels.map((label, i) => [label, probabilities[i] ?? 0]),
    ),
    heatmap,
    timings: { preprocessMs, inferenceMs: result.ms, postprocessMs: performance.now() - started },
  };
}

/**
 * Brings a slice of any bit depth to the 0..1 scale of an 8-bit picture, as a JPEG export of it
 * would look: the 0.5–99.5 percentile range of the slice's values stretched to 0..1.
 */
export function toDisplayScale(values: ArrayLike<number>, isEightBit: boolean): Float32Array {
  const out = new Float32Array(values.length);
  if (isEightBit) {
    for (let i = 0; i < values.length; i++) out[i] = values[i]! / 255;
    return out;
  }
  const sorted = Float64Array.from(values).sort();
  const pick = (p: number): number =>
    sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * (sorted.length - 1)))] ?? 0;
  const low = pick(0.5);
  const high = Math.max(pick(99.5), low + 1e-6);
  for (let i = 0; i < values.length; i++)
    out[i] = Math.min(1, Math.max(0, (values[i]! - low) / (high - low)));
  return out;
}
