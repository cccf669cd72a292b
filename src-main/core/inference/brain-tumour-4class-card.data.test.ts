import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rgbToLuma, standardise } from '../analysis/preprocess/intensity.js';
import { resizeBilinear } from '../analysis/preprocess/resize-bilinear.js';
import { decodeJpeg } from '../imaging/jpeg-decode.js';
import { memoryLogger } from '../platform/logger.js';
import { appRoot } from '../platform/version.js';
import { hasSharedData, readCsv, SHARED_DATA } from '../../test-support/shared-data.js';
import { createInferenceEngine } from './inference-engine.js';
import { createModelRegistry } from './model-registry.js';

// The classifier's model card figures, reproduced with the app's own runtime: the JPEG decoder,
// greyscale conversion, resize and standardisation of the app, and onnxruntime-node, over the
// held-back test split listed in models/brain-tumour-4class/split.json.
const ID = 'brain-tumour-4class';
const DATA = join(SHARED_DATA, 'brain-mri-4class-224');
const MODEL_DIR = join(appRoot(), 'models', ID);

interface Evaluation {
  images: number;
  accuracy: number;
  recall: Record<string, number>;
}

interface CardMetrics {
  test: Evaluation;
  /** The shipped model scored on the split of the enlarged data set (added when it was kept). */
  enlarged_set_2026_12_02?: Evaluation & { split: string };
}

async function greyscale01(
  path: string,
): Promise<{ image: Float32Array; rows: number; columns: number }> {
  const frame = await decodeJpeg(readFileSync(path));
  const n = frame.rows * frame.columns;
  const image = new Float32Array(n);
  const px = frame.data;
  for (let i = 0; i < n; i++) {
    const grey =
      frame.samplesPerPixel === 3 ? rgbToLuma(px[3 * i]!, px[3 * i + 1]!, px[3 * i + 2]!) : px[i]!;
    image[i] = grey / 255;
  }
  return { image, rows: frame.rows, columns: frame.columns };
}

describe.skipIf(!hasSharedData('brain-mri-4class-224', 'labels.csv'))(
  `${ID} on its held-back test split`,
  () => {
    const registry = createModelRegistry(join(appRoot(), 'models'));
    const engine = createInferenceEngine({
      registry,
      logger: memoryLogger(),
      preference: 'cpu',
      threads: 1,
    });
    afterAll(() => engine.close());

    it('reproduces the accuracy, recall and confusion matrix of the model card', async () => {
      const { manifest } = await registry.verify(ID);
      const card = JSON.parse(readFileSync(join(MODEL_DIR, 'metrics.json'), 'utf8')) as CardMetrics;
      // The newest evaluation on the card: the enlarged data set's test split where the card has one.
      const evaluation = card.enlarged_set_2026_12_02 ?? card.test;
      const splitPath = card.enlarged_set_2026_12_02
        ? join(appRoot(), card.enlarged_set_2026_12_02.split)
        : join(MODEL_DIR, 'split.json');
      const split = JSON.parse(readFileSync(splitPath, 'utf8')) as { test: string[] };
      const labelOf = new Map(
        readCsv(join(DATA, 'labels.csv')).map((r) => [r['file']!, r['label']!]),
      );
      const labels = manifest.labels;
      const { height, width, name } = manifest.input;
      const matrix = labels.map(() => labels.map(() => 0));
      for (const file of split.test) {
        const truth = labels.indexOf(labelOf.get(file) ?? '');
        expect(truth, `${file} has a known label`).toBeGreaterThanOrEqual(0);
        const { image, rows, columns } = await greyscale01(join(DATA, file));
        const input = standardise(resizeBilinear(image, rows, columns, height, width));
        const { outputs } = await engine.run(ID, {
          [name]: { data: input, dims: [1, 1, height, width] },
        });
        const logits = outputs[manifest.outputs[0]!.name]!.data;
        let best = 0;
        for (let k = 1; k < logits.length; k++) if (logits[k]! > logits[best]!) best = k;
        matrix[truth]![best]!++;
      }
      const correct = labels.reduce((s, _, k) => s + matrix[k]![k]!, 0);
      const accuracy = correct / split.test.length;
      console.log(
        `${ID}: accuracy ${(100 * accuracy).toFixed(1)} % (card ${(100 * evaluation.accuracy).toFixed(1)} %) on ${split.test.length} images; confusion ${JSON.stringify(matrix)}`,
      );
      expect(split.test.length).toBe(evaluation.images);
      // JPEG decoding (libjpeg-turbo here, PIL in training) may differ by one grey level in a
      // few pixels; that may flip an image or two near a decision boundary, no more.
      expect(Math.abs(accuracy - evaluation.accuracy)).toBeLessThanOrEqual(0.005);
      labels.forEach((label, k) => {
        const recall = matrix[k]![k]! / matrix[k]!.reduce((s, v) => s + v, 0);
        expect(Math.abs(recall - evaluation.recall[label]!), label).toBeLessThanOrEqual(0.02);
      });
    }, 600_000);
  },
);
