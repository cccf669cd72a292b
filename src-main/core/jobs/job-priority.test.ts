import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Job, JobPriority } from '../../../src-shared/contract/entities.js';
import {
  deferred,
  queueHarness,
  testRunner,
  type QueueHarness,
} from '../../test-support/job-harness.js';
import { openTempDb, type TempDb } from '../../test-support/temp-db.js';

/** The order in which jobs start, as the queue's events report it. */
function startOrder(h: QueueHarness): string[] {
  const started: string[] = [];
  h.events.subscribe((name, payload) => {
    const { job } = payload as { job: Job };
    if (name === 'jobs.updated' && job.status === 'processing' && !started.includes(job.id))
      started.push(job.id);
  });
  return started;
}

describe('job priority', () => {
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

  const enqueue = (priority?: JobPriority): Job =>
    (h as QueueHarness).queue.enqueue(
      'import.files',
      { paths: ['/unused'] },
      'tester',
      3,
      priority,
    );

  it('runs a HIGH job before the LOW jobs waiting ahead of it, without pre-empting the running one', async () => {
    // The first job holds the only slot until released, so the others wait in the queue.
    const release = deferred();
    const firstRunning = deferred();
    let firstStarted = false;
    h = queueHarness(
      t.db,
      testRunner({
        units: 1,
        unit: async () => {
          if (firstStarted) return;
          firstStarted = true;
          firstRunning.resolve();
          await release.promise;
        },
      }),
      { concurrency: 1 },
    );
    const started = startOrder(h);
    h.queue.start();
    const running = enqueue('LOW');
    await firstRunning.promise;
    const lows = [enqueue('LOW'), enqueue('LOW'), enqueue('LOW')];
    const high = enqueue('HIGH');
    expect(high.priority).toBe('HIGH');
    expect(lows.map((j) => j.priority)).toEqual(['LOW', 'LOW', 'LOW']);
    // Still running, not pre-empted by the HIGH job.
    expect(h.repo.get(running.id)?.status).toBe('processing');
    release.resolve();
    await h.queue.whenIdle();
    expect(started).toEqual([running.id, high.id, ...lows.map((j) => j.id)]);
    for (const job of [running, high, ...lows])
      expect(h.repo.get(job.id)?.status, job.id).toBe('completed');
  });

  it('keeps first-in first-out within a priority, and MEDIUM between HIGH and LOW', async () => {
    h = queueHarness(t.db, testRunner({ units: 1 }), { concurrency: 1 });
    // Queued before the queue starts, so the order is the scheduler's alone.
    const jobs = [
      enqueue('LOW'),
      enqueue(),
      enqueue('HIGH'),
      enqueue('LOW'),
      enqueue('HIGH'),
      enqueue('MEDIUM'),
    ];
    const started = startOrder(h);
    h.queue.start();
    await h.queue.whenIdle();
    const [low1, medium1, high1, low2, high2, medium2] = jobs.map((j) => j.id);
    expect(jobs[1]?.priority).toBe('MEDIUM');
    expect(started).toEqual([high1, high2, medium1, medium2, low1, low2]);
  });
});
