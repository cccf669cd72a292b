import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Job } from '../../../src-shared/contract/entities.js';
import { writeDicomSeries } from '../../test-support/dicom-fixtures.js';
import { setupAdmin, startTestCore, type TestCore } from '../../test-support/test-core.js';

describe('cancelling an import part-way', () => {
  let t: TestCore;
  let token: string;
  beforeEach(async () => {
    t = startTestCore();
    token = await setupAdmin(t);
  });
  afterEach(() => t.dispose());

  it('keeps what was imported viewable and reports every file handled before the cancel', async () => {
    const folder = join(t.inputDir, 'series');
    writeDicomSeries(folder, 150, { rows: 64, columns: 64 });
    let cancelRequested = false;
    t.core.events.subscribe((name, payload) => {
      const { job } = payload as { job: Job };
      if (
        name !== 'jobs.updated' ||
        cancelRequested ||
        job.status !== 'processing' ||
        job.progress === 0
      )
        return;
      cancelRequested = true;
      void t.call('jobs.cancel', { id: job.id }, token);
    });
    const started = await t.ok('import.files', { paths: [folder] }, token);
    const job = await t.core.jobs.whenFinished(started.id);
    expect(job.status).toBe('cancelled');

    const report = await t.ok('import.report', { id: job.id }, token);
    expect(report.imported).toBeGreaterThan(0);
    expect(report.imported).toBeLessThan(150);
    const scanId = report.scanIds[0]!;
    const detail = await t.ok('scans.get', { id: scanId }, token);
    expect(detail.instances).toHaveLength(report.imported);
    // The partial series has its geometry, so the viewer can show its slices.
    const info = await t.ok('images.frameInfo', { scanId, index: 0 }, token);
    expect(info.frameCount).toBe(report.imported);
  });
});
