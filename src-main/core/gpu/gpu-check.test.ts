import { afterEach, describe, expect, it } from 'vitest';
import { setupAdmin, startTestCore, type TestCore } from '../../test-support/test-core.js';
import { explainGpuCheck } from './gpu-check.js';
import { missingProviderFiles } from './gpu-device.js';

const AT = '2026-12-03T08:00:00.000Z';
const NO_DEVICE = {
  description: null,
  problem: 'no NVIDIA driver is installed (nvidia-smi was not found)',
};
const H200 = { description: 'NVIDIA H200 (driver 550.54, 143771 MiB)', problem: null };

describe('the GPU check', () => {
  let t: TestCore;
  afterEach(() => t.dispose());

  it('tries the GPU provider with a tiny model and reports provider, device and reason; health carries it', async () => {
    t = startTestCore();
    const token = await setupAdmin(t);
    expect((await t.ok('gpu.status', {}, token)).last).toBeNull();
    expect(t.core.health().inference.gpu).toBeNull();

    const status = await t.ok('gpu.check', {}, token);
    const last = status.last;
    expect(last).not.toBeNull();
    expect(last?.platform).toBe(process.platform);
    if (last?.isGpuUsed === true) {
      expect(last.provider).toBe(last.gpuProvider);
      expect(last.reason).toBeNull();
    } else {
      // This machine (CI) has no usable GPU provider: the check says why, in words.
      expect(last?.provider).toBe('cpu');
      expect(last?.reason).toMatch(/could not be used|no GPU provider/);
    }
    expect(t.core.health().inference.gpu).toEqual(last);
    // Kept across calls (and restarts: it is in the site settings).
    expect((await t.ok('gpu.status', {}, token)).last).toEqual(last);
  }, 60_000);
});

describe('what the GPU check says', () => {
  const probeFailed = {
    provider: 'cuda' as const,
    error: 'libonnxruntime_providers_cuda.so: cannot open shared object file',
    ms: 12,
  };

  it('names every reason found on Linux, the missing provider files first', () => {
    const check = explainGpuCheck({
      platform: 'linux',
      preference: 'auto',
      device: NO_DEVICE,
      missingFiles: ['libonnxruntime_providers_cuda.so'],
      probe: probeFailed,
      checkedAt: AT,
    });
    expect(check).toMatchObject({
      provider: 'cpu',
      isGpuUsed: false,
      gpuProvider: 'cuda',
      device: null,
    });
    expect(check.reason).toBe(
      'CUDA could not be used: this build does not include onnxruntime\'s CUDA provider (libonnxruntime_providers_cuda.so missing; docs/install.md, "GPU providers"); no NVIDIA driver is installed (nvidia-smi was not found); onnxruntime said: libonnxruntime_providers_cuda.so: cannot open shared object file. Analyses run on the CPU.',
    );
  });

  it('reports the GPU and its device when the tiny model ran there', () => {
    const check = explainGpuCheck({
      platform: 'linux',
      preference: 'auto',
      device: H200,
      missingFiles: [],
      probe: { provider: 'cuda', error: null, ms: 850.4 },
      checkedAt: AT,
    });
    expect(check).toMatchObject({
      provider: 'cuda',
      isGpuUsed: true,
      reason: null,
      device: H200.description,
      ms: 850,
    });
  });

  it('says when an admin forced the CPU, and on macOS that there is no GPU provider', () => {
    const forced = explainGpuCheck({
      platform: 'win32',
      preference: 'cpu',
      device: { description: 'AMD Radeon (driver 31.0)', problem: null },
      missingFiles: [],
      probe: { provider: 'dml', error: null, ms: 30 },
      checkedAt: AT,
    });
    expect(forced.reason).toBe(
      'NEUROSPHERE_EXECUTION_PROVIDER=cpu: an administrator set analyses to run on the CPU (DirectML itself works on this machine).',
    );
    const mac = explainGpuCheck({
      platform: 'darwin',
      preference: 'auto',
      device: { description: null, problem: null },
      missingFiles: [],
      probe: null,
      checkedAt: AT,
    });
    expect(mac).toMatchObject({ provider: 'cpu', gpuProvider: null });
    expect(mac.reason).toContain('no GPU provider for darwin');
  });

  it('finds the provider files a build lacks (this checkout has DirectML for Windows, no CUDA provider)', () => {
    const present = new Set(['/ort/DirectML.dll']);
    expect(missingProviderFiles('win32', '/ort', (p) => present.has(p))).toEqual([]);
    expect(missingProviderFiles('linux', '/ort', (p) => present.has(p))).toEqual([
      'libonnxruntime_providers_cuda.so',
      'libonnxruntime_providers_shared.so',
    ]);
    expect(missingProviderFiles('darwin', null)).toEqual([]);
  });
});
