import type { ChestXrayFindings } from '../../../../../src-shared/contract/analysis.js';
import { AppError } from '../../../../../src-shared/errors.js';
import type { ModelManifest } from '../../../../../src-shared/model-manifest.js';
import type { InferenceEngine } from '../../../inference/inference-engine.js';
import { classActivationMap } from '../../classify/class-activation-map.js';
import { softmax } from '../../preprocess/activations.js';
import { modelInput } from './preprocess.js';

export interface RadiographReading {
  label: ChestXrayFindings['label'];
  probabilities: ChestXrayFindings['probabilities'];
  threshold: number;
  /** Class activation map of the label, 0..1, at outRows × outColumns (row-major). */
  heatmap: Float32Array;
  /** The picture was larger than the training pictures and was area-averaged down first. */
  wasReduced: boolean;
  timings: { preprocessMs: number; inferenceMs: number; postprocessMs: number };
}

/**
 * Runs the chest X-ray model on one radiograph (0..1 display scale): calibrated probabilities
 * (softmax of the logits over the manifest's temperature), the label at the manifest's
 * operating point on p(pneumonia), and the class activation map of that label.
 */
export async function readRadiograph(options: {
  engine: InferenceEngine;
  manifest: ModelManifest;
  display: Float32Array;
  rows: number;
  columns: number;
  /** Size of the heatmap (the picture the result shows). */
  outRows: number;
  outColumns: number;
}): Promise<RadiographReading> {
  const { engine, manifest } = options;
  const cam = manifest.cam;
  const pneumoniaIndex = manifest.labels.indexOf('pneumonia');
  const normalIndex = manifest.labels.indexOf('normal');
  if (cam === undefined || pneumoniaIndex < 0 || normalIndex < 0)
    throw new AppError(
      'MODEL_UNAVAILABLE',
      `Model ${manifest.id} is not a normal/pneumonia classifier with a class activation head; ` +
        'install the chest X-ray model (models/chest-xray-pneumonia).',
    );
  let started = performance.now();
  const { height, width, name } = manifest.input;
  const { input, wasReduced } = modelInput(options.display, options.rows, options.columns, height);
  const preprocessMs = performance.now() - started;
  const logitsName = manifest.outputs[0]?.name ?? 'logits';
  const result = await engine.run(manifest.id, {
    [name]: { data: input, dims: [1, 1, height, width] },
  });
  const logits = result.outputs[logitsName];
  const features = result.outputs[cam.featureOutput];
  if (logits === undefined || features === undefined)
    throw new AppError(
      'MODEL_UNAVAILABLE',
      `Model ${manifest.id} did not return "${logitsName}" and "${cam.featureOutput}".`,
    );

  started = performance.now();
  const p = softmax(logits.data, manifest.calibration?.temperature ?? 1);
  const pneumonia = p[pneumoniaIndex] ?? 0;
  const threshold = manifest.thresholds['probability'] ?? 0.5;
  const label = pneumonia >= threshold ? 'pneumonia' : 'normal';
  const [, channels = 0, fh = 0, fw = 0] = features.dims;
  const heatmap = classActivationMap({
    features: features.data,
    channels,
    height: fh,
    width: fw,
    classWeights: cam.weights[label === 'pneumonia' ? pneumoniaIndex : normalIndex] ?? [],
    outHeight: options.outRows,
    outWidth: options.outColumns,
  });
  return {
    label,
    probabilities: { normal: p[normalIndex] ?? 0, pneumonia },
    threshold,
    heatmap,
    wasReduced,
    timings: { preprocessMs, inferenceMs: result.ms, postprocessMs: performance.now() - started },
  };
}

/** The sentence an expert reader sees, with what a "normal" answer does not cover. */
export function chestXrayStatement(reading: Pick<RadiographReading, 'label' | 'probabilities'>) {
  // Two decimals, but never "1.00" or "0.00": a calibrated model is not certain.
  const value = reading.probabilities.pneumonia;
  const p = value >= 0.995 ? '> 0.99' : value < 0.005 ? '< 0.01' : `= ${value.toFixed(2)}`;
  return reading.label === 'pneumonia'
    ? `Pneumonia suggested (p ${p}).`
    : `No pneumonia seen (p(pneumonia) ${p}); other findings are not assessed.`;
}
