import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importReportSchema } from '../../../src-shared/contract/entities.js';
import { createCore, type Core } from '../core.js';
import { TEST_KDF } from '../auth/password-hasher.js';
import { TEST_AUDIT_KEY } from '../../test-support/test-audit-key.js';

// The extra suite over the public DICOM samples in ../shared/data (not in the repo).
const SAMPLES = resolve(import.meta.dirname, '../../../../shared/data/dicom-samples');
const hasSamples = existsSync(join(SAMPLES, 'DICOM_INDEX.csv'));
if (!hasSamples)
  console.warn(`[data suite] ${SAMPLES} is absent: the shared-data DICOM tests are skipped.`);

describe.skipIf(!hasSamples)('import of ../shared/data/dicom-samples', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ns-data-'));
  let core: Core;
  afterAll(async () => {
    await core?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('imports the whole folder without crashing and accounts for every file with a reason', async () => {
    core = createCore({
      auditKey: TEST_AUDIT_KEY,
      dataDir,
      kdf: TEST_KDF,
      runJobs: true,
      modelsDir: dataDir,
    });
    const principal = { kind: 'system', name: 'test', role: 'admin' } as const;
    const started = await core.router.call(
      'import.files',
      { paths: [SAMPLES] },
      { transport: 'test', principal },
    );
    if (!started.ok) throw new Error(started.error.message);
    const job = await core.jobs.whenFinished((started.value as { id: string }).id);
    expect(job.status).toBe('completed');
    const report = importReportSchema.parse(job.result);
    const dicomFiles = report.items.filter(
      (i) => i.path.endsWith('.dcm') || !/\.(md|csv|txt|json|py)$/i.test(i.path),
    );
    expect(dicomFiles.length).toBeGreaterThan(300);
    for (const item of report.items) {
      if (item.status !== 'imported') {
        expect(item.code, item.path).toBeDefined();
        expect(item.reason?.length ?? 0, item.path).toBeGreaterThan(5);
      }
    }
    expect(report.imported).toBeGreaterThan(170);
  });

  it('assembles the Philips 170-slice brain series into one scan with its geometry', async () => {
    const principal = { kind: 'system', name: 'test', role: 'admin' } as const;
    const list = await core.router.call(
      'scans.list',
      { limit: 500 },
      { transport: 'test', principal },
    );
    if (!list.ok) throw new Error(list.error.message);
    const scans = (
      list.value as {
        items: Array<{
          slices: number;
          rows: number | null;
          spacing: unknown;
          modality: string | null;
          dims: number[] | null;
        }>;
      }
    ).items;
    const philips = scans.find((s) => s.slices === 170);
    expect(philips).toBeDefined();
    expect(philips?.modality).toBe('MR');
    const spacing = philips?.spacing as [number, number, number | null];
    expect(spacing).toEqual([1, 1, expect.closeTo(1, 2)]);
    const geometry = philips as unknown as {
      dims: number[];
      direction: number[][];
      warnings: string[];
      id: string;
    };
    expect(geometry.dims).toEqual([256, 256, 170]);
    // Sagittal: the slice normal runs along the patient's left-right axis.
    expect(Math.abs(geometry.direction[2]![0]!)).toBeGreaterThan(0.99);
    expect(geometry.warnings).toEqual([]);
    // The frames come out in slice order: frame 0 and frame 169 are the two ends.
    const first = await core.frames.getFrame(geometry.id, 0);
    const last = await core.frames.getFrame(geometry.id, 169);
    expect(first.info).toMatchObject({ frameCount: 170, rows: 256, columns: 256, dtype: 'uint16' });
    expect(last.data.byteLength).toBe(256 * 256 * 2);
  });
});
