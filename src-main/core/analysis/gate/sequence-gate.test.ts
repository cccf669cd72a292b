import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { modelManifestSchema, type ModelManifest } from '../../../../src-shared/model-manifest.js';
import { createInferenceEngine } from '../../inference/inference-engine.js';
import { createModelRegistry } from '../../inference/model-registry.js';
import { memoryLogger } from '../../platform/logger.js';
import { appRoot } from '../../platform/version.js';
import { prepareGateInput, readGateOutput, runSequenceGate } from './sequence-gate.js';

const MODELS_DIR = join(appRoot(), 'models');
const GATE_DIR = join(MODELS_DIR, 'sequence-gate');

interface GateFixture {
  description: string;
  raw: { width: number; height: number; samplesPerPixel: 1 | 3; data: string };
  input: { data: string };
  outputs: { logits: { data: string } };
  probabilities: number[];
}

const floats = (base64: string): Float32Array => {
  const bytes = Buffer.from(base64, 'base64');
  return new Float32Array(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
  );
};

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
};

const manifest = modelManifestSchema.parse(
  JSON.parse(readFileSync(join(GATE_DIR, 'manifest.json'), 'utf8')),
);
const fixtures = readdirSync(join(GATE_DIR, 'parity'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(join(GATE_DIR, 'parity', f), 'utf8')) as GateFixture);

describe('prepareGateInput', () => {
  it('crops to the bright box, centres it in a zero square and area-averages it', () => {
    // 4 rows × 6 columns: background 0, a 2×4 block of 10 at rows 1–2, columns 1–4, one pixel 20.
    const pixels = [
      [0, 0, 0, 0, 0, 0],
      [0, 10, 10, 10, 20, 0],
      [0, 10, 10, 10, 10, 0],
      [0, 0, 0, 0, 0, 0],
    ].flat();
    // Percentiles of the 24 values: 1 % = 0; 99 % = 20 − 0.23·(20 − 10) = 17.7 (linear ranks).
    const out = prepareGateInput({ pixels, width: 6, height: 4 }, 4);
    // Box rows 1–2 × columns 1–4 (2×4) in a 4×4 square, one zero row above and below.
    const v = 10 / 17.7;
    expect(Array.from(out)).toEqual(
      [
        [0, 0, 0, 0],
        [v, v, v, 1],
        [v, v, v, v],
        [0, 0, 0, 0],
      ]
        .flat()
        .map((x) => Math.fround(x)),
    );
  });

  it('averages whole pixels when shrinking by an integer factor', () => {
    const pixels = Array.from({ length: 64 }, (_, i) => 1 + (i % 8) + 8 * Math.floor(i / 8));
    const out = prepareGateInput({ pixels, width: 8, height: 8 }, 2);
    // Window 1 %..99 % of 1..64 = 1.63..64.37; every value > 0.1 except the first row's start.
    const scale = (x: number) => Math.min(1, Math.max(0, (x - 1.63) / (64.37 - 1.63)));
    const quadrant = (r0: number, c0: number) => {
      let sum = 0;
      for (let r = r0; r < r0 + 4; r++)
        for (let c = c0; c < c0 + 4; c++) sum += scale(pixels[r * 8 + c]!);
      return sum / 16;
    };
    // The box starts at the first row with a value above 0.1 (row 0 has 6.6 % .. 11 %).
    expect(out[0]).toBeGreaterThan(0);
    expect(out.length).toBe(4);
    expect(out[3]).toBeCloseTo(quadrant(4, 4), 1);
  });

  it('gives zeros for a constant image and averages RGB samples', () => {
    expect(
      Array.from(prepareGateInput({ pixels: new Array(9).fill(7), width: 3, height: 3 }, 2)),
    ).toEqual([0, 0, 0, 0]);
    const grey = [0, 30, 60, 90];
    const rgb = grey.flatMap((g) => [g - 5, g, g + 5]);
    expect(prepareGateInput({ pixels: rgb, width: 2, height: 2, samplesPerPixel: 3 }, 2)).toEqual(
      prepareGateInput({ pixels: grey, width: 2, height: 2 }, 2),
    );
  });

  it('refuses a buffer that does not match the size, saying what was expected', () => {
    expect(() => prepareGateInput({ pixels: [1, 2, 3], width: 2, height: 2 })).toThrow(
      /3 samples for a 2×2 image .*\(expected 4\)/,
    );
    expect(() => prepareGateInput({ pixels: [], width: 0, height: 0 })).toThrow(/at least 1×1/);
  });
});

describe('readGateOutput', () => {
  it('applies the temperature and the confidence threshold of the manifest', () => {
    const sharp: ModelManifest = { ...manifest, calibration: { temperature: 1 } };
    const reading = readGateOutput([0, 0, 4, 0, 0], sharp);
    expect(reading.label).toBe(manifest.labels[2]);
    expect(reading.probability).toBeCloseTo(Math.exp(4) / (Math.exp(4) + 4), 10);
    expect(reading.confident).toBe(true);
    const unsure = readGateOutput([0, 0, 0.1, 0, 0], sharp);
    expect(unsure.confident).toBe(false);
    expect(Object.keys(unsure.probabilities)).toEqual(manifest.labels);
  });

  it('refuses logits that do not match the labels', () => {
    expect(() => readGateOutput([1, 2], manifest)).toThrow(/2 logits for 5 labels/);
  });
});

describe('sequence gate parity with the Python training code', () => {
  const registry = createModelRegistry(MODELS_DIR);
  const engine = createInferenceEngine({
    registry,
    logger: memoryLogger(),
    preference: 'cpu',
    threads: 1,
  });
  afterAll(() => engine.close());

  it('has fixtures', () => expect(fixtures.length).toBeGreaterThanOrEqual(3));

  for (const fixture of fixtures) {
    it(`${fixture.description}: same input, same probabilities (1e-4)`, async () => {
      const image = {
        pixels: floats(fixture.raw.data),
        width: fixture.raw.width,
        height: fixture.raw.height,
        samplesPerPixel: fixture.raw.samplesPerPixel,
      };
      const input = prepareGateInput(image, manifest.input.height);
      expect(maxAbsDiff(input, floats(fixture.input.data))).toBeLessThanOrEqual(1e-5);

      const fromTorch = readGateOutput(floats(fixture.outputs.logits.data), manifest);
      expect(
        maxAbsDiff(Object.values(fromTorch.probabilities), fixture.probabilities),
      ).toBeLessThanOrEqual(1e-6);

      const { manifest: verified } = await registry.verify('sequence-gate');
      const reading = await runSequenceGate({ engine, manifest: verified, image });
      expect(
        maxAbsDiff(Object.values(reading.probabilities), fixture.probabilities),
      ).toBeLessThanOrEqual(1e-4);
      expect(reading.label).toBe(fromTorch.label);
    });
  }
});
