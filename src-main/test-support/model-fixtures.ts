import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { modelManifestSchema, type ModelManifest } from '../../src-shared/model-manifest.js';
import { appRoot } from '../core/platform/version.js';
import { makeOnnxModel } from './onnx-fixtures.js';

/** Installs a model folder (model.onnx + manifest.json) the way a release ships one. */
export function installTestModel(
  modelsDir: string,
  id: string,
  options: { bytes?: Uint8Array; manifest?: Partial<ModelManifest>; size?: number } = {},
): { dir: string; manifest: ModelManifest } {
  const size = options.size ?? 8;
  const bytes = options.bytes ?? makeOnnxModel({ op: 'Sigmoid', shape: ['N', 1, size, size] });
  const dir = join(modelsDir, id);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'model.onnx'), bytes);
  const manifest: ModelManifest = {
    id,
    version: '0.0.1',
    task: 'segmentation',
    modality: 'MR',
    file: 'model.onnx',
    sha256: createHash('sha256').update(bytes).digest('hex'),
    input: {
      name: 'input',
      layout: 'NCHW',
      channels: 1,
      height: size,
      width: size,
      dtype: 'float32',
    },
    outputs: [{ name: 'logits', shape: ['N', 1, size, size], semantics: 'test output' }],
    preprocessing: { intensity: { method: 'none' }, resize: 'bilinear' },
    labels: ['background', 'tumour'],
    thresholds: { probability: 0.5 },
    training: {},
    metrics: {},
    licence: 'test',
    intendedUse: 'tests only',
    ...options.manifest,
  };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return { dir, manifest };
}

/**
 * "bright-spot": an identity "segmentation" model on 8×8 inputs, so its probability map is the
 * normalised image itself and the bright parts of a test image become the lesion. The analysis
 * pipeline runs for real (preprocessing, inference, thresholds, metrics) without trained weights.
 */
export function installBrightSpotModel(modelsDir: string): {
  dir: string;
  manifest: ModelManifest;
} {
  return installTestModel(modelsDir, 'bright-spot', {
    bytes: makeOnnxModel({ op: 'Identity', shape: ['N', 1, 8, 8] }),
    manifest: {
      preprocessing: {
        intensity: { method: 'volume-percentile', lowPercentile: 1, highPercentile: 99 },
        resize: 'bilinear',
      },
      thresholds: { probability: 0.65, minComponentPixels: 4 },
    },
  });
}

/**
 * The `bright-spot` identity model as the default segmentation model, declaring what the shipped
 * FLAIR model declares it reads: applicability tests then exercise the real manifest's rules
 * without the real network's cost.
 */
export function installFlairIdentityModel(modelsDir: string): {
  dir: string;
  manifest: ModelManifest;
} {
  const shipped = modelManifestSchema.parse(
    JSON.parse(readFileSync(join(appRoot(), 'models/lgg-flair-unet/manifest.json'), 'utf8')),
  );
  return installTestModel(modelsDir, 'flair-identity', {
    bytes: makeOnnxModel({ op: 'Identity', shape: ['N', 1, 8, 8] }),
    manifest: {
      preprocessing: {
        intensity: { method: 'volume-percentile', lowPercentile: 1, highPercentile: 99 },
        resize: 'bilinear',
      },
      thresholds: { probability: 0.65, minComponentPixels: 4 },
      role: 'tumour-segmentation',
      default: true,
      ...(shipped.applicability !== undefined && { applicability: shipped.applicability }),
    },
  });
}
