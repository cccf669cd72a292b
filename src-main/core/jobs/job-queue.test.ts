import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Job } from '../../../src-shared/contract/entities.js';
import { AppError } from '../../../src-shared/errors.js';
import {
  deferred,
  queueHarness,
  testRunner,
  type QueueHarness,
} from '../../test-support/job-harness.js';
import { openTempDb, type TempDb } from '../../test-support/temp-db.js';

describe('job queue', () => {
  let t: TempDb;
  let h: QueueHarness | undefined;
  beforeEach(() => {
    t = openTempDb();
  });
  afterEach(async () => {
    await h?.queue.stop();
    h = undefined;
    t.dispose();
  });

  it('runs an enqueued job to completion with progress 1, its result and timestamps', async () => {
    const runner = testRunner({ units: 4 });
    h = queueHarness(t.db, runner);
    const seen: number[] = [];
    h.events.subscribe((name, payload) => {
      if (name === 'jobs.updated') seen.push((payload as { job: Job }).job.progress);
    });
    h.queue.start();
    const job = h.enqueue();
    expect(job).toMatchObject({ status: 'pending', progress: 0, createdBy: 'tester' });
    const finished = await h.queue.whenFinished(job.id);
    expect(finished).toMatchObject({
      status: 'completed',
      progress: 1,
      attempts: 1,
      error: null,
      etaSeconds: null,
      result: { units: 4 },
    });
    expect(finished.startedAt).not.toBeNull();
    expect(finished.finishedAt).not.toBeNull();
    expect(runner.done.get(job.id)).toBe(4);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen).toContain(0.5);
  });

  it('sends progress events without the result, which clients fetch once at the end', async () => {
    h = queueHarness(t.db, testRunner({ units: 3 }));
    const results: unknown[] = [];
    h.events.subscribe((name, payload) => {
      if (name === 'jobs.updated') results.push((payload as { job: Job }).job.result);
    });
    h.queue.start();
    const finished = await h.queue.whenFinished(h.enqueue().id);
    expect(finished.result).toEqual({ units: 3 });
    expect(results.length).toBeGreaterThan(2);
    expect(results.every((r) => r === null)).toBe(true);
  });

  it('throttles progress writes when only the numbers in the stage text change', async () => {
    h = queueHarness(t.db, testRunner({ units: 200 }), { progressIntervalMs: 60_000 });
    const stages: Array<string | null> = [];
    h.events.subscribe((name, payload) => {
      if (name === 'jobs.updated') stages.push((payload as { job: Job }).job.stage);
    });
    h.queue.start();
    const finished = await h.queue.whenFinished(h.enqueue().id);
    expect(finished.status).toBe('completed');
    // pending, claimed, first unit, last unit (progress 1), completed: not one event per unit.
    expect(stages.length).toBeLessThan(10);
    expect(stages).toContain('Unit 200 of 200');
  });

  it('fails a job with the error as data and runs it again on retry', async () => {
    let attempt = 0;
    const runner = testRunner({
      units: 2,
      unit: () => {
        if (attempt++ === 0) throw new AppError('CORRUPT_FILE', 'The first file is damaged.');
      },
    });
    h = queueHarness(t.db, runner);
    h.queue.start();
    const job = h.enqueue();
    const failed = await h.queue.whenFinished(job.id);
    expect(failed).toMatchObject({
      status: 'failed',
      error: { code: 'CORRUPT_FILE', message: 'The first file is damaged.' },
    });
    expect(() => h?.queue.retry(job.id)).not.toThrow();
    const retried = await h.queue.whenFinished(job.id);
    expect(retried).toMatchObject({ status: 'completed', error: null, attempts: 1, progress: 1 });
    expect(() => h?.queue.retry(job.id)).toThrow(/only failed or cancelled/);
  });

  it('reports a bug in a runner as INTERNAL with a logged correlation id', async () => {
    const runner = testRunner({
      unit: () => {
        throw new TypeError("Cannot read properties of undefined (reading 'rows')");
      },
    });
    h = queueHarness(t.db, runner);
    h.queue.start();
    const failed = await h.queue.whenFinished(h.enqueue().id);
    expect(failed.error?.code).toBe('INTERNAL');
    expect(failed.error?.message).not.toMatch(/rows/);
    const logged = h.logger.entries.find(
      (e) => e.fields['correlationId'] === failed.error?.correlationId,
    );
    expect(logged?.fields['error']).toBeInstanceOf(TypeError);
  });

  it('never runs more jobs at once than its concurrency', async () => {
    const release = deferred();
    const twoRunning = deferred();
    let started = 0;
    const runner = testRunner({
      units: 1,
      unit: async () => {
        if (++started === 2) twoRunning.resolve();
        await release.promise;
      },
    });
    const harness = queueHarness(t.db, runner, { concurrency: 2 });
    h = harness;
    harness.queue.start();
    const jobs = [1, 2, 3, 4].map(() => harness.enqueue());
    await twoRunning.promise;
    expect(harness.queue.runningCount()).toBe(2);
    expect(harness.repo.listByStatus('processing').map((j) => j.id)).toEqual([
      jobs[0]?.id,
      jobs[1]?.id,
    ]);
    expect(harness.repo.listByStatus('pending')).toHaveLength(2);
    release.resolve();
    await harness.queue.whenIdle();
    expect(harness.repo.listByStatus('completed')).toHaveLength(4);
    expect(runner.active.max).toBe(2);
  });

  it('estimates the time remaining from the rate of progress', async () => {
    const etas: Array<number | null> = [];
    const harness = queueHarness(
      t.db,
      testRunner({ units: 4, unit: () => harness.clock.advance(1000) }),
    );
    h = harness;
    harness.events.subscribe((name, payload) => {
      const job = (payload as { job: Job }).job;
      if (name === 'jobs.updated' && job.status === 'processing' && job.progress > 0)
        etas.push(job.etaSeconds);
    });
    harness.queue.start();
    await harness.queue.whenFinished(harness.enqueue().id);
    // 1 s per quarter: 3 s left after the first, 2 after the second, 1 after the third.
    expect(etas.slice(0, 3)).toEqual([3, 2, 1]);
  });

  it('refuses an unknown job and a payload its runner rejects', () => {
    h = queueHarness(t.db, {
      ...testRunner(),
      parsePayload: () => {
        throw new AppError('INVALID_INPUT', 'Import needs a list of file or folder paths.');
      },
    });
    expect(() => h?.enqueue()).toThrow(/list of file or folder paths/);
    expect(() => h?.queue.get('00000000-0000-4000-8000-00000000ffff')).toThrow(/No such job/);
    expect(h.repo.list({ page: 1, limit: 10 }).total).toBe(0);
  });
});
