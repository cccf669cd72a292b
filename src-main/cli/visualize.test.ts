import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../core/core.js';
import { memoryLogger } from '../core/platform/logger.js';
import { TEST_AUDIT_KEY } from '../test-support/test-audit-key.js';
import { makeNifti } from '../test-support/volume-fixtures.js';
import { ensureBuilt, REPO_ROOT, runCliProcess } from './testing/run-cli.js';

const DIMS: [number, number, number] = [32, 32, 16];
const inLesion = (i: number, j: number, k: number) => Math.hypot(i - 14, j - 16, k - 8) <= 4;

let root: string;
let dataDir: string;
let scanId: string;

/** The real viewer bundle (what `npm run build:renderer` makes), built here if missing. */
function ensureSceneViewer(): void {
  if (existsSync(join(REPO_ROOT, 'dist', 'scene-export', 'scene-viewer.js'))) return;
  const vite = join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const built = spawnSync(
    process.execPath,
    [vite, 'build', '--config', 'src-renderer/vite.scene-export.config.ts'],
    { cwd: REPO_ROOT, encoding: 'utf8' },
  );
  if (built.status !== 0) throw new Error(`Building the scene viewer failed:\n${built.stderr}`);
}

beforeAll(async () => {
  await ensureBuilt();
  ensureSceneViewer();
  root = mkdtempSync(join(tmpdir(), 'neurosphere-visualize-'));
  dataDir = join(root, 'data');
  const volume = join(root, 'head.nii.gz');
  const labels = join(root, 'head-seg.nii.gz');
  writeFileSync(
    volume,
    makeNifti({
      dims: DIMS,
      gzip: true,
      voxel: (i, j, k) =>
        Math.hypot((i - 16) / 13, (j - 16) / 14, (k - 8) / 7) > 1
          ? 2
          : inLesion(i, j, k)
            ? 800
            : 300,
    }),
  );
  writeFileSync(
    labels,
    makeNifti({
      dims: DIMS,
      datatype: 'uint8',
      gzip: true,
      voxel: (i, j, k) => (inLesion(i, j, k) ? 1 : 0),
    }),
  );
  // The scan and its label map, put there as the app would (the CLI imports no label maps).
  const core = createCore({
    auditKey: TEST_AUDIT_KEY,
    dataDir,
    logger: memoryLogger(),
    runJobs: true,
  });
  try {
    const system = {
      transport: 'cli' as const,
      principal: { kind: 'system' as const, name: 'test', role: 'admin' as const },
    };
    const imported = await core.router.call('import.files', { paths: [volume] }, system);
    if (!imported.ok) throw new Error(imported.error.message);
    const importJob = await core.jobs.whenFinished((imported.value as { id: string }).id, 50);
    scanId = (importJob.result as { scanIds: string[] }).scanIds[0]!;
    const seg = await core.router.call(
      'import.files',
      { paths: [labels], segmentationOf: scanId },
      system,
    );
    if (!seg.ok) throw new Error(seg.error.message);
    expect((await core.jobs.whenFinished((seg.value as { id: string }).id, 50)).status).toBe(
      'completed',
    );
  } finally {
    await core.close();
  }
}, 300_000);

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('neurosphere visualize', () => {
  it('writes the scan as one self-contained HTML scene, with progress on stderr', async () => {
    const out = join(root, 'scene.html');
    const run = await runCliProcess([
      'visualize',
      scanId,
      '--out',
      out,
      '--quality',
      'low',
      '--data-dir',
      dataDir,
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Wrote .*scene\.html \(\d+\.\d MB, 1 lesion, low quality\)/);
    expect(run.stderr).toMatch(/3D scene.*\d+%/);
    const html = readFileSync(out, 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('"quality":"low"');
    // The real viewer is inlined: three.js's renderer is in the file, and nothing is loaded.
    expect(html).toContain('WebGLRenderer');
    expect(html).not.toMatch(/<script[^>]+\ssrc=/i);
  }, 120_000);

  it('refuses bad options with a usage error, and an unknown scan with exit 1', async () => {
    const bad = await runCliProcess(['visualize', scanId, '--out', 'x.html', '--quality', 'ultra']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--quality must be one of low, medium, high');
    const missing = await runCliProcess([
      'visualize',
      '00000000-0000-4000-8000-000000000000',
      '--out',
      join(root, 'none.html'),
      '--data-dir',
      dataDir,
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/not found|no such scan/i);
  }, 60_000);
});
