import { AppError } from '../../../../src-shared/errors.js';
import type { ModelManifest } from '../../../../src-shared/model-manifest.js';
import type { InferenceEngine } from '../../inference/inference-engine.js';
import { softmax } from '../preprocess/activations.js';
import { percentileOfSorted } from '../preprocess/intensity.js';

/**
 * The sequence gate (models/sequence-gate): a small CNN that says what a 2D image looks like —
 * brain FLAIR, brain T1, brain T1 post-contrast, chest radiograph or something else — so that a
 * model is not run on images it cannot read. The preprocessing below is the one of
 * models/training/gate_common.py (prepare_gate_input), step for step; the parity fixtures in
 * models/sequence-gate/parity/ hold Python's results.
 */

/** Pixels above this fraction of the 1–99 % window span the bounding box that is kept. */
const BOX_THRESHOLD = 0.1;
const LOW_PERCENTILE = 1;
const HIGH_PERCENTILE = 99;

export interface GateImage {
  /** Stored values row by row; RGB interleaved when samplesPerPixel is 3. */
  pixels: ArrayLike<number>;
  width: number;
  height: number;
  /** 3: the grey value is the mean of the three colour samples (default 1). */
  samplesPerPixel?: 1 | 3;
}

export interface GateReading {
  /** The most probable label of the manifest (e.g. "brain-flair", "chest-xray", "other"). */
  label: string;
  /** Its temperature-scaled softmax probability. */
  probability: number;
  probabilities: Record<string, number>;
  /** probability >= the manifest's thresholds.minProbability: below it the gate is unsure. */
  confident: boolean;
}

function greyValues(image: GateImage): Float64Array {
  const { pixels, width, height } = image;
  const samples = image.samplesPerPixel ?? 1;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new AppError(
      'INVALID_INPUT',
      `The sequence gate needs an image of at least 1×1 pixels; got ${width}×${height}.`,
    );
  }
  if (pixels.length !== width * height * samples) {
    throw new AppError(
      'INVALID_INPUT',
      `The sequence gate got ${pixels.length} samples for a ${width}×${height} image with ` +
        `${samples} sample(s) per pixel (expected ${width * height * samples}).`,
    );
  }
  const grey = new Float64Array(width * height);
  for (let i = 0; i < grey.length; i++) {
    let v: number;
    if (samples === 3) v = (pixels[3 * i]! + pixels[3 * i + 1]! + pixels[3 * i + 2]!) / 3;
    else v = pixels[i]!;
    grey[i] = Number.isFinite(v) ? v : 0;
  }
  return grey;
}

/** (out × side) weights of the area average: output i covers [i·side/out, (i+1)·side/out). */
function areaWeights(side: number, out: number): Array<Array<[number, number]>> {
  const step = side / out;
  const rows: Array<Array<[number, number]>> = [];
  for (let i = 0; i < out; i++) {
    const a = i * step;
    const b = (i + 1) * step;
    const taps: Array<[number, number]> = [];
    for (let k = Math.floor(a); k < Math.min(Math.ceil(b), side); k++) {
      const overlap = Math.min(b, k + 1) - Math.max(a, k);
      if (overlap > 0) taps.push([k, overlap / step]);
    }
    rows.push(taps);
  }
  return rows;
}

/**
 * The gate's input tensor (1×1×size×size, float32, 0..1) from one 2D image: 1–99 % percentile
 * window of all pixels, crop to the box of pixels above 10 % of the window, centre in a zero
 * square, area average to size×size (size = the manifest's input height, 64).
 */
export function prepareGateInput(image: GateImage, size = 64): Float32Array {
  const { width, height } = image;
  const grey = greyValues(image);
  const sorted = Float64Array.from(grey).sort();
  const lo = percentileOfSorted(sorted, LOW_PERCENTILE);
  const hi = percentileOfSorted(sorted, HIGH_PERCENTILE);
  const scaled = new Float64Array(grey.length);
  if (hi > lo) {
    for (let i = 0; i < grey.length; i++)
      scaled[i] = Math.min(1, Math.max(0, (grey[i]! - lo) / (hi - lo)));
  }

  let top = height;
  let bottom = -1;
  let left = width;
  let right = -1;
  for (let r = 0; r < height; r++) {
    for (let c = 0; c < width; c++) {
      if (scaled[r * width + c]! > BOX_THRESHOLD) {
        if (r < top) top = r;
        if (r > bottom) bottom = r;
        if (c < left) left = c;
        if (c > right) right = c;
      }
    }
  }
  if (bottom < 0) [top, bottom, left, right] = [0, height - 1, 0, width - 1];
  const boxH = bottom - top + 1;
  const boxW = right - left + 1;
  const side = Math.max(boxH, boxW);
  const rowOffset = Math.floor((side - boxH) / 2);
  const colOffset = Math.floor((side - boxW) / 2);
  // Value of the zero-padded square at (r, c).
  const square = (r: number, c: number): number => {
    const br = r - rowOffset;
    const bc = c - colOffset;
    if (br < 0 || br >= boxH || bc < 0 || bc >= boxW) return 0;
    return scaled[(top + br) * width + left + bc]!;
  };

  const weights = areaWeights(side, size);
  // Rows first (size × side), then columns (size × size), as R · S · Rᵀ in Python.
  const byRows = new Float64Array(size * side);
  for (let i = 0; i < size; i++) {
    for (let c = 0; c < side; c++) {
      let sum = 0;
      for (const [k, w] of weights[i]!) sum += w * square(k, c);
      byRows[i * side + c] = sum;
    }
  }
  const out = new Float32Array(size * size);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      let sum = 0;
      for (const [k, w] of weights[j]!) sum += w * byRows[i * side + k]!;
      out[i * size + j] = sum;
    }
  }
  return out;
}

/** The gate's answer from its logits: temperature-scaled softmax over the manifest's labels. */
export function readGateOutput(logits: ArrayLike<number>, manifest: ModelManifest): GateReading {
  if (logits.length !== manifest.labels.length) {
    throw new AppError(
      'MODEL_UNAVAILABLE',
      `Model ${manifest.id} returned ${logits.length} logits for ${manifest.labels.length} labels: ` +
        'the model file and its manifest do not belong together. Reinstall the model.',
    );
  }
  const probabilities = softmax(logits, manifest.calibration?.temperature ?? 1);
  let best = 0;
  for (let i = 1; i < probabilities.length; i++)
    if (probabilities[i]! > probabilities[best]!) best = i;
  const probability = probabilities[best]!;
  return {
    label: manifest.labels[best]!,
    probability,
    probabilities: Object.fromEntries(manifest.labels.map((l, i) => [l, probabilities[i]!])),
    confident: probability >= (manifest.thresholds['minProbability'] ?? 0),
  };
}

/** Runs the gate on one image with the engine (the model must be a task "image-gate" model). */
export async function runSequenceGate(options: {
  engine: InferenceEngine;
  manifest: ModelManifest;
  image: GateImage;
}): Promise<GateReading> {
  const { engine, manifest, image } = options;
  if (manifest.task !== 'image-gate') {
    throw new AppError(
      'MODEL_UNAVAILABLE',
      `Model ${manifest.id} is a ${manifest.task} model, not an image gate.`,
    );
  }
  const { name, height, width } = manifest.input;
  if (height !== width) {
    throw new AppError(
      'MODEL_UNAVAILABLE',
      `Model ${manifest.id} declares a ${width}×${height} input; the gate's preprocessing makes square inputs.`,
    );
  }
  const input = prepareGateInput(image, height);
  const result = await engine.run(manifest.id, {
    [name]: { data: input, dims: [1, 1, height, width] },
  });
  const logitsName = manifest.outputs[0]?.name ?? 'logits';
  const logits = result.outputs[logitsName];
  if (logits === undefined) {
    throw new AppError('MODEL_UNAVAILABLE', `Model ${manifest.id} did not return "${logitsName}".`);
  }
  return readGateOutput(logits.data, manifest);
}
