import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

type Report = Array<{
  target: string;
  provider: string;
  files: Array<{ file: string; present: boolean; sha256?: string }>;
}>;

const { PROVIDER_FILES, providerReport } = (await import('./gpu-providers.mjs')) as {
  PROVIDER_FILES: Record<string, { files: string[] }>;
  providerReport: () => Report;
};

describe('the GPU providers a build ships (scripts/gpu-providers.mjs)', () => {
  it("finds DirectML in onnxruntime-node's own Windows builds: no packaging step needed there", () => {
    const report = providerReport();
    for (const target of ['win32/x64', 'win32/arm64']) {
      const entry = report.find((r) => r.target === target);
      expect(entry?.provider).toBe('DirectML');
      expect(entry?.files).toEqual([
        expect.objectContaining({ file: 'DirectML.dll', present: true }),
      ]);
    }
  });

  it('names the two CUDA files of Linux x64, and check exits 1 exactly when they are missing', () => {
    expect(PROVIDER_FILES['linux/x64']?.files).toEqual([
      'libonnxruntime_providers_cuda.so',
      'libonnxruntime_providers_shared.so',
    ]);
    const linux = providerReport().find((r) => r.target === 'linux/x64');
    const isComplete = linux?.files.every((f) => f.present) ?? false;
    const run = spawnSync(
      process.execPath,
      [join(import.meta.dirname, 'gpu-providers.mjs'), 'check'],
      {
        encoding: 'utf8',
      },
    );
    expect(run.status).toBe(isComplete ? 0 : 1);
    expect(run.stdout).toContain('libonnxruntime_providers_cuda.so');
    if (!isComplete) expect(run.stdout).toContain('runs on the CPU only');
  });
});
