import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryLogger } from '../platform/logger.js';
import { appRoot } from '../platform/version.js';
import { createInferenceEngine } from './inference-engine.js';
import { createModelRegistry } from './model-registry.js';

// The models shipped in models/: each must verify against its manifest and reproduce, under
// onnxruntime-node, the outputs its training framework (PyTorch) computed for fixed inputs.
const MODELS_DIR = join(appRoot(), 'models');
const SHIPPED = ['lgg-flair-unet', 'brain-tumour-4class', 'sequence-gate', 'chest-xray-pneumonia'];

interface ParityFixture {
  description: string;
  input: { name: string; shape: number[]; data: string };
  outputs: Record<string, { shape: number[]; data: string }>;
  tolerance: { maxAbsDiff: number };
}

const floats = (base64: string): Float32Array => {
  const bytes = Buffer.from(base64, 'base64');
  return new Float32Array(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
  );
};

describe('shipped models', () => {
  const registry = createModelRegistry(MODELS_DIR);
  const engine = createInferenceEngine({
    registry,
    logger: memoryLogger(),
    preference: 'cpu',
    threads: 2,
  });
  afterAll(() => engine.close());

  it('include the segmentation and classification models, the sequence gate and the chest X-ray model', () => {
    expect(registry.ids()).toEqual(expect.arrayContaining(SHIPPED));
  });

  for (const id of SHIPPED) {
    it(`${id}: verifies and reproduces PyTorch's outputs on its parity fixtures`, async () => {
      const { manifest } = await registry.verify(id);
      expect(manifest.intendedUse).toMatch(/not .*diagnos/i);
      const parityDir = join(MODELS_DIR, id, 'parity');
      const files = readdirSync(parityDir).filter((f) => f.endsWith('.json'));
      expect(files.length).toBeGreaterThanOrEqual(2);
      for (const file of files) {
        const fixture = JSON.parse(readFileSync(join(parityDir, file), 'utf8')) as ParityFixture;
        const result = await engine.run(id, {
          [fixture.input.name]: { data: floats(fixture.input.data), dims: fixture.input.shape },
        });
        for (const [name, expected] of Object.entries(fixture.outputs)) {
          const actual = result.outputs[name];
          expect(actual?.dims, `${file} ${name}`).toEqual(expected.shape);
          const want = floats(expected.data);
          let maxDiff = 0;
          for (let i = 0; i < want.length; i++)
            maxDiff = Math.max(maxDiff, Math.abs(actual!.data[i]! - want[i]!));
          expect(maxDiff, `${file} ${name}`).toBeLessThanOrEqual(fixture.tolerance.maxAbsDiff);
        }
      }
    });
  }
});
