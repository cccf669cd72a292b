import type { Job } from '../../src-shared/contract/entities.js';
import type { Db } from '../core/db/connection.js';
import { createEventBus, type EventBus } from '../core/events.js';
import { createJobQueue, type JobQueue } from '../core/jobs/job-queue.js';
import type { JobContext, JobRunner } from '../core/jobs/job-runner.js';
import { fixedClock } from '../core/platform/clock.js';
import { sequentialIds } from '../core/platform/ids.js';
import { memoryLogger } from '../core/platform/logger.js';
import { createJobsRepo, type JobsRepo } from '../core/jobs/jobs-repo.js';
import { TEST_START } from './test-core.js';

/** A promise with its resolve function, for waiting on real signals between test and runner. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

export type UnitHook = (unit: number, ctx: JobContext<unknown>) => Promise<void> | void;

/** A runner doing `units` units of work, checking for cancellation between them and recording what ran. */
export interface TestRunner extends JobRunner {
  /** Units completed, per job id. */
  readonly done: Map<string, number>;
  /** Runs currently inside run(), and the most there ever were at once. */
  readonly active: { now: number; max: number };
}

export function testRunner(
  options: { units?: number; isResumable?: boolean; unit?: UnitHook } = {},
): TestRunner {
  const units = options.units ?? 5;
  const done = new Map<string, number>();
  const active = { now: 0, max: 0 };
  return {
    type: 'import.files',
    isResumable: options.isResumable ?? false,
    done,
    active,
    parsePayload: (payload) => payload,
    async run(ctx) {
      active.now++;
      active.max = Math.max(active.max, active.now);
      try {
        for (let i = 0; i < units; i++) {
          ctx.throwIfCancelled();
          await (options.unit?.(i, ctx) ?? new Promise<void>((r) => setImmediate(r)));
          done.set(ctx.job.id, i + 1);
          ctx.reportProgress({ progress: (i + 1) / units, stage: `Unit ${i + 1} of ${units}` });
        }
        return { units };
      } finally {
        active.now--;
      }
    },
  };
}

export interface QueueHarness {
  readonly queue: JobQueue;
  readonly repo: JobsRepo;
  readonly events: EventBus;
  readonly clock: ReturnType<typeof fixedClock>;
  readonly logger: ReturnType<typeof memoryLogger>;
  enqueue(): Job;
  /** Resolves when a job of this queue is first seen in the given state. */
  whenStatus(id: string, status: Job['status']): Promise<Job>;
}

export function queueHarness(
  db: Db,
  runner: JobRunner,
  options: { concurrency?: number; idPrefix?: string; progressIntervalMs?: number } = {},
): QueueHarness {
  const repo = createJobsRepo(db);
  const events = createEventBus();
  const clock = fixedClock(TEST_START);
  const logger = memoryLogger();
  const queue = createJobQueue({
    jobs: repo,
    clock,
    ids: sequentialIds(options.idPrefix),
    events,
    logger,
    runners: [runner],
    concurrency: options.concurrency ?? 2,
    progressIntervalMs: options.progressIntervalMs ?? 0,
  });
  return {
    queue,
    repo,
    events,
    clock,
    logger,
    enqueue: () => queue.enqueue('import.files', { paths: ['/unused'] }, 'tester'),
    whenStatus(id, status) {
      return new Promise((resolve) => {
        const check = (job: Job | undefined): void => {
          if (job?.id !== id || job.status !== status) return;
          unsubscribe();
          resolve(job);
        };
        const unsubscribe = events.subscribe((name, payload) => {
          if (name === 'jobs.updated') check((payload as { job: Job }).job);
        });
        check(repo.get(id));
      });
    },
  };
}
