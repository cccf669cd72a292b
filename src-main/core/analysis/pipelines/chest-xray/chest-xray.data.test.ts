import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasSharedData, SHARED_DATA } from '../../../../test-support/shared-data.js';
import { decodeJpeg } from '../../../imaging/jpeg-decode.js';
import { createInferenceEngine } from '../../../inference/inference-engine.js';
import { createModelRegistry } from '../../../inference/model-registry.js';
import { memoryLogger } from '../../../platform/logger.js';
import { appRoot } from '../../../platform/version.js';
import { rgbToLuma } from '../../preprocess/intensity.js';
import { modelInput } from './preprocess.js';
import { chestXrayQualityNotes } from './quality.js';
import { readRadiograph } from './read-radiograph.js';

// The shipped chest X-ray model run the way the app runs it (JPEG decoder → display scale →
// the pipeline's preprocessing → onnxruntime-node → calibrated probabilities) on the model
// card's held-back test split (models/chest-xray-pneumonia/split.json): the card's accuracy
// and AUC, computed by package_chest_xray.py in PyTorch, must come out again.
const DATA = join(SHARED_DATA, 'chest-xray-pneumonia-224');
const present = hasSharedData('chest-xray-pneumonia-224', 'SOURCE.md');
const MODELS = join(appRoot(), 'models');
const MODEL_DIR = join(MODELS, 'chest-xray-pneumonia');

/** A data set JPEG as the app reads it: greyscale (PIL's luma for colour), 0..1. */
async function readPicture(file: string) {
  const frame = await decodeJpeg(readFileSync(join(DATA, file)));
  const display = new Float32Array(frame.rows * frame.columns);
  for (let i = 0; i < display.length; i++)
    display[i] =
      (frame.samplesPerPixel === 3
        ? rgbToLuma(frame.data[i * 3]!, frame.data[i * 3 + 1]!, frame.data[i * 3 + 2]!)
        : frame.data[i]!) / 255;
  return { display, rows: frame.rows, columns: frame.columns };
}

/** Area under the ROC curve (Mann–Whitney U, ties counted half), as the card computes it. */
function auc(scores: readonly number[], labels: readonly number[]): number {
  let pairs = 0;
  let wins = 0;
  const positives = scores.filter((_, i) => labels[i] === 1);
  const negatives = scores.filter((_, i) => labels[i] === 0);
  for (const p of positives)
    for (const n of negatives) {
      pairs++;
      wins += p > n ? 1 : p === n ? 0.5 : 0;
    }
  return wins / pairs;
}

function floats(base64: string): Float32Array {
  const bytes = Buffer.from(base64, 'base64');
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
}

describe.skipIf(!present)(
  present
    ? 'chest X-ray model on the model card test split (shipped ONNX, app preprocessing)'
    : `chest X-ray data suite skipped: ${DATA} is absent (the public data set is not on this machine)`,
  () => {
    const registry = createModelRegistry(MODELS);
    const engine = createInferenceEngine({
      registry,
      logger: memoryLogger(),
      preference: 'cpu',
      threads: 1,
    });
    afterAll(() => engine.close());

    it('prepares the parity pictures as the training did (JPEG decode, resize, 8-bit, standardise)', async () => {
      for (const name of ['test_IM-0469-0001', 'test_person1518_bacteria_3969']) {
        const fixture = JSON.parse(
          readFileSync(join(MODEL_DIR, 'parity', `${name}.json`), 'utf8'),
        ) as {
          input: { data: string };
        };
        const folder = name.includes('person') ? 'PNEUMONIA' : 'NORMAL';
        const picture = await readPicture(`${folder}/${name.slice('test_'.length)}.jpeg`);
        const { input } = modelInput(picture.display, picture.rows, picture.columns, 128);
        const expected = floats(fixture.input.data);
        let maxDiff = 0;
        for (let i = 0; i < input.length; i++)
          maxDiff = Math.max(maxDiff, Math.abs(input[i]! - expected[i]!));
        console.info(
          `[chest x-ray] ${name}: app vs training input, max abs diff ${maxDiff.toExponential(2)}`,
        );
        // One 8-bit step after standardisation is about 0.016: the JPEG decoders may differ by one.
        expect(maxDiff, name).toBeLessThan(0.03);
      }
    });

    it("reproduces the card's test accuracy and AUC within 0.5 %", async () => {
      const { manifest } = await registry.verify('chest-xray-pneumonia');
      const split = JSON.parse(readFileSync(join(MODEL_DIR, 'split.json'), 'utf8')) as {
        test: string[];
      };
      const scores: number[] = [];
      const labels: number[] = [];
      let flagged = 0;
      for (const file of split.test) {
        const picture = await readPicture(file);
        const reading = await readRadiograph({
          engine,
          manifest,
          ...picture,
          outRows: 8,
          outColumns: 8,
        });
        scores.push(reading.probabilities.pneumonia);
        const notes = chestXrayQualityNotes({ ...picture, wasInverted: false });
        if (notes.some((n) => n.code === 'under-exposed' || n.code === 'over-exposed')) flagged++;
        labels.push(file.startsWith('PNEUMONIA/') ? 1 : 0);
      }
      const threshold = manifest.thresholds['probability'] ?? 0.5;
      const correct = scores.filter((p, i) => (p >= threshold ? 1 : 0) === labels[i]).length;
      const accuracy = correct / scores.length;
      const metrics = manifest.metrics as Record<string, number>;
      const area = auc(scores, labels);
      console.info(
        `[chest x-ray] ${scores.length} test images: accuracy ${accuracy.toFixed(4)} (card ${metrics['testAccuracy']}), AUC ${area.toFixed(4)} (card ${metrics['testAuc']})`,
      );
      expect(scores.length).toBe(metrics['testImages']);
      // The exposure limits flag pictures unlike the training set: few of the test pictures.
      console.info(`[chest x-ray] exposure notes on ${flagged} of ${scores.length} test images`);
      expect(flagged / scores.length).toBeLessThan(0.02);
      expect(Math.abs(accuracy - metrics['testAccuracy']!)).toBeLessThanOrEqual(0.005);
      expect(Math.abs(area - metrics['testAuc']!)).toBeLessThanOrEqual(0.005);
    }, 600_000);
  },
);
