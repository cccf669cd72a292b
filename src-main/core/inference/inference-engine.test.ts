import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppError } from '../../../src-shared/errors.js';
import { installTestModel } from '../../test-support/model-fixtures.js';
import { makeTempDir, removeTempDir } from '../../test-support/temp-dir.js';
import { memoryLogger } from '../platform/logger.js';
import { createInferenceEngine, type InferenceEngine } from './inference-engine.js';
import type { ProviderPreference } from './execution-providers.js';
import { createModelRegistry } from './model-registry.js';

const input = (values: number[], size = 2) => ({
  input: { data: Float32Array.from(values), dims: [1, 1, size, size] },
});

async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    return error as AppError;
  }
  throw new Error('expected a failure');
}

describe('inference engine', () => {
  let tmp: string;
  let engine: InferenceEngine | undefined;
  const logger = memoryLogger();
  const start = (
    preference: ProviderPreference = 'auto',
    requestTimeoutMs?: number,
  ): InferenceEngine => {
    engine = createInferenceEngine({
      registry: createModelRegistry(tmp),
      logger,
      preference,
      threads: 1,
      ...(requestTimeoutMs !== undefined && { requestTimeoutMs }),
    });
    return engine;
  };
  beforeEach(() => {
    tmp = makeTempDir('ns-infer-');
    installTestModel(tmp, 'sigmoid-2', { size: 2 });
  });
  afterEach(async () => {
    await engine?.close();
    engine = undefined;
    removeTempDir(tmp);
  });

  it('runs a model in the worker and returns what onnxruntime computed', async () => {
    const e = start('cpu');
    const result = await e.run('sigmoid-2', input([0, 1, -1, 2]));
    const out = result.outputs['logits'];
    expect(out?.dims).toEqual([1, 1, 2, 2]);
    expect(Array.from(out?.data ?? []).map((v) => Number(v.toFixed(4)))).toEqual([
      0.5, 0.7311, 0.2689, 0.8808,
    ]);
    expect(result.ms).toBeGreaterThanOrEqual(0);
    expect(e.providerInUse()).toBe('cpu');
    expect(e.providerNote()).toBeNull();
  });

  it('falls back to the CPU when the GPU provider cannot load, and says why', async () => {
    const e = start('auto');
    const loaded = await e.prepare('sigmoid-2');
    // This machine has no CUDA: the fallback is what a clinic without a GPU gets.
    expect(loaded.provider).toBe('cpu');
    expect(loaded.fallbackReason).toMatch(/could not be used.*CPU/);
    // Settings/About shows the same reason.
    expect(e.providerNote()).toBe(loaded.fallbackReason);
    expect((await e.run('sigmoid-2', input([0, 0, 0, 0]))).outputs['logits']?.data[0]).toBeCloseTo(
      0.5,
    );
  });

  it('refuses with PROVIDER_UNAVAILABLE when a missing GPU provider is forced', async () => {
    const e = start('cuda');
    const error = await failure(e.prepare('sigmoid-2'));
    expect(error.code).toBe('PROVIDER_UNAVAILABLE');
    expect(error.message).toMatch(/CUDA could not be used/);
  });

  it('creates the session once and reuses it', async () => {
    const e = start('cpu');
    const first = e.prepare('sigmoid-2');
    expect(e.prepare('sigmoid-2')).toBe(first);
    await first;
    await e.run('sigmoid-2', input([1, 1, 1, 1]));
    expect(e.prepare('sigmoid-2')).toBe(first);
  });

  it('answers MODEL_UNAVAILABLE for a missing, tampered, corrupt or badly described model', async () => {
    const e = start('cpu');
    expect((await failure(e.prepare('not-installed'))).message).toMatch(/not installed/);

    const tampered = installTestModel(tmp, 'tampered', { size: 2 });
    writeFileSync(join(tampered.dir, 'model.onnx'), Buffer.from('something else entirely'));
    const tamperedError = await failure(e.prepare('tampered'));
    expect(tamperedError.code).toBe('MODEL_UNAVAILABLE');
    expect(tamperedError.message).toMatch(/does not match the manifest/);

    // The sha256 matches, but the bytes are not an ONNX model: onnxruntime must refuse, not crash.
    installTestModel(tmp, 'garbage', {
      bytes: Uint8Array.from({ length: 512 }, (_, i) => (i * 37) % 256),
    });
    const garbage = await failure(e.prepare('garbage'));
    expect(garbage.code).toBe('MODEL_UNAVAILABLE');

    const bad = installTestModel(tmp, 'bad-manifest', { size: 2 });
    writeFileSync(
      join(bad.dir, 'manifest.json'),
      JSON.stringify({ ...bad.manifest, sha256: 'nope' }),
    );
    expect((await failure(e.prepare('bad-manifest'))).message).toMatch(/manifest is invalid/);

    // Nothing above broke the engine for the good model.
    expect((await e.run('sigmoid-2', input([0, 0, 0, 0]))).outputs['logits']?.data[1]).toBeCloseTo(
      0.5,
    );
  });

  it('reports an input of the wrong shape as INVALID_INPUT', async () => {
    const e = start('cpu');
    const error = await failure(
      e.run('sigmoid-2', { input: { data: new Float32Array(9), dims: [1, 1, 3, 3] } }),
    );
    expect(error.code).toBe('INVALID_INPUT');
  });

  it('gives up on a request that does not answer in time, with a clear error', async () => {
    const e = start('cpu', 1);
    const error = await failure(e.prepare('sigmoid-2'));
    expect(error.code).toBe('INTERNAL');
    expect(error.message).toMatch(/did not answer/);
    await e.close();
    const fresh = start('cpu');
    expect((await fresh.run('sigmoid-2', input([0, 0, 0, 0]))).outputs['logits']?.dims).toEqual([
      1, 1, 2, 2,
    ]);
  });
});
