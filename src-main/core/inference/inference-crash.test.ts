import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Job } from '../../../src-shared/contract/entities.js';
import { writeDicomSeries } from '../../test-support/dicom-fixtures.js';
import { installBrightSpotModel } from '../../test-support/model-fixtures.js';
import { setupAdmin, startTestCore, type TestCore } from '../../test-support/test-core.js';

// Inference runs in a process of its own: a native crash there (here: SIGKILL in the middle of
// a volume) fails the analysis it was working on, and nothing else.
describe('a crash of the inference process', () => {
  let t: TestCore;
  let token: string;
  beforeEach(async () => {
    t = startTestCore();
    token = await setupAdmin(t);
    installBrightSpotModel(join(t.root, 'models'));
  });
  afterEach(() => t.dispose());

  async function importSeries(): Promise<string> {
    writeDicomSeries(join(t.inputDir, 'series'), 60, {
      rows: 64,
      columns: 64,
      pixel: (r, c) => (r >= 20 && r < 40 && c >= 20 && c < 40 ? 3000 : 400),
    });
    const job = await t.ok('import.files', { paths: [join(t.inputDir, 'series')] }, token);
    expect((await t.core.jobs.whenFinished(job.id, 20)).status).toBe('completed');
    return (await t.ok('import.report', { id: job.id }, token)).scanIds[0]!;
  }

  const startAnalysis = async (scanId: string): Promise<Job> =>
    t.ok(
      'analysis.start',
      { scanId, segmentationModel: 'bright-spot', classificationModel: null },
      token,
    );

  it('fails only the running analysis, with a reason, and the next one succeeds', async () => {
    const scanId = await importSeries();
    let killedPid: number | undefined;
    const stages: string[] = [];
    const unsubscribe = t.core.events.subscribe((name, payload) => {
      const { job } = payload as { job: Job };
      if (name !== 'jobs.updated' || killedPid !== undefined) return;
      stages.push(job.stage ?? '');
      // Part-way through the slices: the process is loaded and busy with this volume.
      const batch = /Segmenting: batch (\d+) of (\d+)/.exec(job.stage ?? '');
      if (batch !== null && Number(batch[1]) < Number(batch[2])) {
        killedPid = t.core.inference.processId();
        if (killedPid !== undefined) process.kill(killedPid, 'SIGKILL');
      }
    });
    const crashed = await t.core.jobs.whenFinished((await startAnalysis(scanId)).id, 20);
    unsubscribe();
    expect(killedPid, stages.join(' | ')).toBeGreaterThan(0);
    expect(crashed.status).toBe('failed');
    expect(crashed.error?.code).toBe('MODEL_UNAVAILABLE');
    expect(crashed.error?.message).toMatch(
      /analysis engine was stopped \(SIGKILL\).*analyse the scan again/,
    );
    expect((await t.ok('scans.get', { id: scanId }, token)).scan.status).toBe('failed');

    // The app is still here; the next analysis starts a fresh inference process.
    const next = await t.core.jobs.whenFinished((await startAnalysis(scanId)).id, 20);
    expect(next.status).toBe('completed');
    expect(t.core.inference.processId()).not.toBe(killedPid);
    expect(t.core.inference.restarts()).toBe(1);
    const result = await t.ok('analysis.get', { scanId }, token);
    expect(result.findings).toMatchObject({ kind: 'brain-tumour', tumourDetected: true });
  }, 120_000);

  it('starts the inference process with a short command line, whatever the app was given', async () => {
    // onnxruntime parses /proc/self/cmdline when it loads a model; a long one overflowed the
    // stack of the thread that loaded it (see docs/inference-process.md).
    const scanId = await importSeries();
    await t.core.jobs.whenFinished((await startAnalysis(scanId)).id, 20);
    const pid = t.core.inference.processId();
    expect(pid).toBeGreaterThan(0);
    if (process.platform !== 'linux') return;
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').filter(Boolean);
    expect(cmdline).toHaveLength(2);
    expect(cmdline[1]).toMatch(/inference-process\.(ts|js)$/);
  }, 120_000);
});
