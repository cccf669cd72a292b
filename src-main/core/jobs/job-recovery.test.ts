import type { JobPayload } from '../../../src-shared/contract/entities.js';
import { hostname } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../src-shared/errors.js';
import {
  deferred,
  queueHarness,
  testRunner,
  type QueueHarness,
} from '../../test-support/job-harness.js';
import { openTempDb, type TempDb } from '../../test-support/temp-db.js';
import { createJobsRepo } from './jobs-repo.js';

const DEAD = `${hostname()}:999999`;
const NOW = '2024-03-01T07:00:00.000Z';

describe('recovery of interrupted jobs', () => {
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

  /** A job row as a process that then died (or still runs) left it: claimed by `owner`. */
  function leftProcessing(
    id: string,
    owner: string,
    options: { attempts?: number; payload?: unknown } = {},
  ) {
    const repo = createJobsRepo(t.db);
    repo.insert({
      id,
      type: 'import.files',
      // Cast: some tests store a payload of an older format on purpose.
      payload: (options.payload ?? { paths: ['/x'] }) as JobPayload<'import.files'>,
      createdBy: null,
      maxAttempts: 3,
      now: NOW,
    });
    for (let i = 0; i < (options.attempts ?? 1); i++) {
      if (i > 0) repo.requeue(id, NOW);
      repo.claim(id, owner, NOW);
    }
  }

  it('resumes a job of a dead process when its runner is resumable', async () => {
    leftProcessing('job-1', DEAD);
    const runner = testRunner({ isResumable: true, units: 2 });
    const h = harness(t.db, runner);
    h.queue.start();
    const job = await h.queue.whenFinished('job-1');
    expect(job).toMatchObject({ status: 'completed', attempts: 2 });
    expect(runner.done.get('job-1')).toBe(2);
    expect(h.logger.entries.map((e) => e.message)).toContain('job resumed after interruption');
  });

  it('fails a job of a dead process with a reason when its runner is not resumable', () => {
    leftProcessing('job-1', DEAD);
    const runner = testRunner({ isResumable: false });
    const h = harness(t.db, runner);
    expect(h.queue.recoverInterrupted()).toBe(1);
    const job = h.repo.get('job-1');
    expect(job).toMatchObject({ status: 'failed', error: { code: 'INTERNAL' } });
    expect(job?.error?.message).toMatch(/stopped while this job was running.*Retry/);
    expect(runner.done.has('job-1')).toBe(false);
  });

  it('fails a resumable job that has used up its attempts', () => {
    leftProcessing('job-1', DEAD, { attempts: 3 });
    const h = harness(t.db, testRunner({ isResumable: true }));
    h.queue.recoverInterrupted();
    expect(h.repo.get('job-1')).toMatchObject({ status: 'failed', attempts: 3 });
  });

  it('leaves alone jobs of a live process and of another machine', async () => {
    leftProcessing('job-live', `${hostname()}:${process.ppid}`);
    leftProcessing('job-remote', 'another-workstation:999999');
    const runner = testRunner({ isResumable: true });
    const h = harness(t.db, runner);
    expect(h.queue.recoverInterrupted()).toBe(0);
    h.queue.start();
    await h.queue.whenIdle();
    expect(h.repo.get('job-live')?.status).toBe('processing');
    expect(h.repo.get('job-remote')?.status).toBe('processing');
    expect(runner.done.size).toBe(0);
  });

  it('finishes as cancelled, without running it, a job whose cancel was requested before the crash', async () => {
    leftProcessing('job-1', DEAD);
    createJobsRepo(t.db).requestCancel('job-1', NOW);
    const runner = testRunner({ isResumable: true });
    const h = harness(t.db, runner);
    h.queue.start();
    await h.queue.whenIdle();
    expect(h.repo.get('job-1')).toMatchObject({
      status: 'cancelled',
      error: { code: 'CANCELLED' },
    });
    expect(h.repo.get('job-1')?.attempts).toBe(1);
    expect(runner.done.has('job-1')).toBe(false);
  });

  it('fails, instead of hanging, a stored job whose payload no longer validates', async () => {
    leftProcessing('job-1', DEAD, { payload: { path: 'old format' } });
    const runner = {
      ...testRunner({ isResumable: true }),
      parsePayload: (payload: unknown) => {
        if (typeof payload !== 'object' || payload === null || !('paths' in payload))
          throw new AppError('INVALID_INPUT', 'Import needs a list of file or folder paths.');
        return payload;
      },
    };
    const h = harness(t.db, runner);
    h.queue.start();
    const job = await h.queue.whenFinished('job-1');
    expect(job).toMatchObject({ status: 'failed', error: { code: 'INVALID_INPUT' } });
  });

  it('puts a resumable job back in the queue when the app closes, and the next start finishes it', async () => {
    const reached = deferred();
    const first = harness(
      t.db,
      testRunner({
        isResumable: true,
        units: 3,
        unit: async (i, ctx) => {
          if (i !== 1) return;
          reached.resolve();
          await new Promise<void>((resolve) =>
            ctx.signal.addEventListener('abort', () => resolve()),
          );
        },
      }),
    );
    first.queue.start();
    const job = first.enqueue();
    await reached.promise;
    await first.queue.stop();
    expect(first.repo.get(job.id)?.status).toBe('pending');

    const next = harness(t.db, testRunner({ isResumable: true, units: 3 }));
    next.queue.start();
    expect(await next.queue.whenFinished(job.id)).toMatchObject({
      status: 'completed',
      attempts: 2,
    });
  });
});
