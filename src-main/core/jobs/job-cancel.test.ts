import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  deferred,
  queueHarness,
  testRunner,
  type QueueHarness,
} from '../../test-support/job-harness.js';
import { openTempDb, type TempDb } from '../../test-support/temp-db.js';

/** A runner of 5 units that pauses inside unit 3 until the test lets it go on. */
function pausingRunner() {
  const reached = deferred();
  const release = deferred();
  const runner = testRunner({
    units: 5,
    unit: async (i) => {
      if (i !== 2) return;
      reached.resolve();
      await release.promise;
    },
  });
  return { runner, reached: reached.promise, release: () => release.resolve() };
}

describe('job cancellation', () => {
  let t: TempDb;
  const queues: QueueHarness[] = [];
  beforeEach(() => {
    t = openTempDb();
  });
  afterEach(async () => {
    for (const q of queues.splice(0)) await q.queue.stop();
    t.dispose();
  });
  const harness = (...args: Parameters<typeof queueHarness>): QueueHarness => {
    const h = queueHarness(...args);
    queues.push(h);
    return h;
  };

  it('cancels a pending job so that it never runs', async () => {
    const blocker = pausingRunner();
    const h = harness(t.db, blocker.runner, { concurrency: 1 });
    h.queue.start();
    const first = h.enqueue();
    const waiting = h.enqueue();
    await blocker.reached;
    expect(h.queue.cancel(waiting.id)).toMatchObject({
      status: 'cancelled',
      error: { code: 'CANCELLED' },
    });
    blocker.release();
    await h.queue.whenIdle();
    expect(h.repo.get(first.id)?.status).toBe('completed');
    expect(h.repo.get(waiting.id)).toMatchObject({
      status: 'cancelled',
      attempts: 0,
      startedAt: null,
    });
    expect(blocker.runner.done.has(waiting.id)).toBe(false);
  });

  it('stops a running job between units and marks it cancelled', async () => {
    const { runner, reached, release } = pausingRunner();
    const h = harness(t.db, runner);
    h.queue.start();
    const job = h.enqueue();
    await reached;
    expect(h.queue.cancel(job.id).status).toBe('processing'); // until the runner stops
    release();
    const finished = await h.queue.whenFinished(job.id);
    expect(finished).toMatchObject({ status: 'cancelled', error: { code: 'CANCELLED' } });
    expect(finished.progress).toBeLessThan(1);
    expect(runner.done.get(job.id)).toBe(3);
  });

  it('stops a running job when another process asks through the database', async () => {
    const { runner, reached, release } = pausingRunner();
    const worker = harness(t.db, runner);
    // The other process (e.g. the CLI) has its own connection and a queue that runs nothing.
    const other = harness(t.openAnother(), testRunner(), { idPrefix: '00000000-0000-4000-9000-' });
    worker.queue.start();
    const job = worker.enqueue();
    await reached;
    expect(other.queue.cancel(job.id).status).toBe('processing');
    release();
    const finished = await worker.queue.whenFinished(job.id);
    expect(finished.status).toBe('cancelled');
    expect(runner.done.get(job.id)).toBe(3);
  });

  it('lets another process wait for a job it does not run (events do not cross processes)', async () => {
    const { runner, reached, release } = pausingRunner();
    const worker = harness(t.db, runner);
    const other = harness(t.openAnother(), testRunner(), { idPrefix: '00000000-0000-4000-9000-' });
    worker.queue.start();
    const job = worker.enqueue();
    await reached;
    const seenByOther = other.queue.whenFinished(job.id, 20);
    release();
    expect((await seenByOther).status).toBe('completed');
  });

  it('refuses to cancel a job that already finished', async () => {
    const h = harness(t.db, testRunner({ units: 1 }));
    h.queue.start();
    const job = h.enqueue();
    await h.queue.whenFinished(job.id);
    expect(() => h.queue.cancel(job.id)).toThrow(/already completed/);
  });

  it('runs a cancelled job again on retry', async () => {
    const h = harness(t.db, testRunner({ units: 2 }));
    const job = h.enqueue();
    h.queue.cancel(job.id);
    h.queue.start();
    h.queue.retry(job.id);
    expect((await h.queue.whenFinished(job.id)).status).toBe('completed');
  });
});
