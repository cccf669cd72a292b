import { hostname } from 'node:os';
import type {
  Job,
  JobPayload,
  JobPriority,
  JobStatus,
  JobType,
  Page,
} from '../../../src-shared/contract/entities.js';
import { AppError, isAppError, type AppErrorData } from '../../../src-shared/errors.js';
import type { EventBus } from '../events.js';
import type { Clock } from '../platform/clock.js';
import type { IdGenerator } from '../platform/ids.js';
import type { Logger } from '../platform/logger.js';
import { isOtherProcessRunning } from '../platform/process.js';
import type { JobsRepo } from './jobs-repo.js';
import { estimateSecondsRemaining } from './eta.js';
import type { JobContext, JobRunner, ProgressUpdate } from './job-runner.js';

export interface JobQueueDeps {
  jobs: JobsRepo;
  clock: Clock;
  ids: IdGenerator;
  events: EventBus;
  logger: Logger;
  runners: readonly JobRunner[];
  /** How many jobs run at once in this process. */
  concurrency: number;
  /** Minimum milliseconds between progress writes, so progress does not flood the database. */
  progressIntervalMs?: number;
}

function stageKind(stage: string | null): string | null {
  return stage === null ? null : stage.replace(/\d+/g, '#');
}

interface RunningJob {
  controller: AbortController;
  done: Promise<void>;
}

const OWNER = `${hostname()}:${process.pid}`;

function isProcessAlive(owner: string | null): boolean {
  if (owner === null) return false;
  const [host, pidText] = owner.split(':');
  if (host !== hostname()) return true; // another machine's job (shared folder): leave it alone
  return isOtherProcessRunning(Number(pidText));
}

/**
 * A persistent job queue on SQLite: jobs survive restarts, progress is stored and broadcast,
 * cancel works for pending and running jobs, and interrupted jobs are resumed or failed on start.
 */
export function createJobQueue(deps: JobQueueDeps) {
  const { jobs, clock, events, logger } = deps;
  const runners = new Map<JobType, JobRunner>(deps.runners.map((r) => [r.type, r]));
  const running = new Map<string, RunningJob>();
  const idleWaiters: Array<() => void> = [];
  const progressInterval = deps.progressIntervalMs ?? 200;
  let started = false;
  let stopping = false;

  /**
   * Events leave the result out: an import's report grows with every file and would make
   * progress events quadratic; clients fetch it once with import.report.
   */
  const publish = (id: string): Job => {
    const job = jobs.get(id) as Job;
    events.emit('jobs.updated', { job: { ...job, result: null } });
    return job;
  };

  function notifyIdle(): void {
    if (running.size > 0 || jobs.nextPending(1).length > 0) return;
    for (const resolve of idleWaiters.splice(0)) resolve();
  }

  const resumesAfterCrash = (runner: JobRunner | undefined): boolean =>
    runner !== undefined && runner.isResumable && (runner.resumesAfterCrash ?? true);

  /** After a crash: jobs whose process is gone are resumed (if their runner allows) or failed. */
  function recoverInterrupted(): number {
    let recovered = 0;
    for (const { job, owner } of jobs.listProcessing()) {
      if (running.has(job.id) || isProcessAlive(owner)) continue;
      const runner = runners.get(job.type);
      const now = clock.iso();
      if (jobs.isCancelRequested(job.id)) {
        // The user cancelled it before the crash: honour that instead of running it again.
        jobs.finish(
          job.id,
          'cancelled',
          { code: 'CANCELLED', message: 'Cancelled by a user.' },
          now,
        );
      } else if (resumesAfterCrash(runner) && job.attempts < job.maxAttempts) {
        jobs.requeue(job.id, now);
        logger.warn('job resumed after interruption', { jobId: job.id, attempt: job.attempts });
      } else {
        jobs.finish(
          job.id,
          'failed',
          {
            code: 'INTERNAL',
            message:
              `Neurosphere stopped while this job was running (attempt ${job.attempts} of ${job.maxAttempts}). ` +
              (resumesAfterCrash(runner)
                ? 'It was not started again: it had been interrupted too often. '
                : 'It was not started again by itself, in case its input is what stopped Neurosphere. ') +
              'Nothing partial was kept; use Retry to run it again.',
          },
          now,
        );
        logger.warn('interrupted job failed', { jobId: job.id });
      }
      publish(job.id);
      recovered++;
    }
    return recovered;
  }

  async function execute(job: Job, runner: JobRunner, controller: AbortController): Promise<void> {
    const startedAt = clock.now().getTime();
    let lastWrite = 0;
    let lastStage: string | null = null;

    const throwIfCancelled = (): void => {
      if (!controller.signal.aborted && jobs.isCancelRequested(job.id)) controller.abort();
      if (controller.signal.aborted) throw new AppError('CANCELLED', 'The job was cancelled.');
    };
    const context = (payload: unknown): JobContext<unknown> => ({
      job,
      payload,
      signal: controller.signal,
      throwIfCancelled,
      reportProgress(update: ProgressUpdate) {
        const now = clock.now().getTime();
        const stage = update.stage === undefined ? lastStage : update.stage;
        // Throttled unless the kind of stage changes ("Importing file 7 of 90" → 8 of 90 is
        // the same kind), so a per-file stage text does not cost a write and an event per file.
        const isNewStageKind = stageKind(stage) !== stageKind(lastStage);
        if (now - lastWrite < progressInterval && !isNewStageKind && update.progress < 1) return;
        lastWrite = now;
        lastStage = stage;
        jobs.progress(
          job.id,
          {
            progress: update.progress,
            stage,
            etaSeconds: estimateSecondsRemaining(update.progress, now - startedAt),
          },
          clock.iso(),
        );
        publish(job.id);
        // Cancellation requested by another process is seen through the database.
        if (jobs.isCancelRequested(job.id)) controller.abort();
      },
      saveResult(result: unknown) {
        jobs.saveResult(job.id, result, clock.iso());
      },
    });

    try {
      // Parsed here, not at enqueue only: a stored job may predate a change to its payload.
      const result = await runner.run(context(runner.parsePayload(job.payload)));
      if (result !== undefined) jobs.saveResult(job.id, result, clock.iso());
      throwIfCancelled();
      jobs.finish(job.id, 'completed', null, clock.iso());
    } catch (error) {
      if (stopping && !jobs.isCancelRequested(job.id)) {
        // Shut down, not cancelled: put the job back so the next start resumes it.
        if (runner.isResumable) jobs.requeue(job.id, clock.iso());
        else
          jobs.finish(
            job.id,
            'failed',
            { code: 'INTERNAL', message: 'Neurosphere was closed while this job ran. Use Retry.' },
            clock.iso(),
          );
      } else if (controller.signal.aborted || (isAppError(error) && error.code === 'CANCELLED')) {
        jobs.finish(
          job.id,
          'cancelled',
          { code: 'CANCELLED', message: 'Cancelled by a user.' },
          clock.iso(),
        );
      } else {
        jobs.finish(job.id, 'failed', toErrorData(error, job.id), clock.iso());
      }
    }
    publish(job.id);
  }

  function toErrorData(error: unknown, jobId: string): AppErrorData {
    if (isAppError(error)) return error.toData();
    const correlationId = deps.ids();
    logger.error('job failed with an internal error', { jobId, correlationId, error });
    return {
      code: 'INTERNAL',
      message: `The job failed because of an internal error (reference ${correlationId}). It has been logged.`,
      correlationId,
    };
  }

  function schedule(): void {
    if (!started || stopping) return;
    while (running.size < deps.concurrency) {
      const next = jobs.nextPending(deps.concurrency).find((j) => !running.has(j.id));
      if (next === undefined) break;
      const runner = runners.get(next.type);
      if (runner === undefined) {
        jobs.finish(
          next.id,
          'failed',
          { code: 'INTERNAL', message: `No runner for job type ${next.type}.` },
          clock.iso(),
        );
        publish(next.id);
        continue;
      }
      if (!jobs.claim(next.id, OWNER, clock.iso())) continue;
      const claimed = publish(next.id);
      const controller = new AbortController();
      const done = execute(claimed, runner, controller).finally(() => {
        running.delete(next.id);
        schedule();
        notifyIdle();
      });
      running.set(next.id, { controller, done });
    }
    notifyIdle();
  }

  return {
    /** Recovers interrupted jobs and begins running pending ones. */
    start(): void {
      if (started) return;
      started = true;
      recoverInterrupted();
      schedule();
    },

    /**
     * `createdBy` is who started the job: what the job records is audited under that name.
     * `priority` orders it among waiting jobs (highest first, oldest first within one); a
     * running job is never pre-empted.
     */
    enqueue<T extends JobType>(
      type: T,
      payload: JobPayload<T>,
      createdBy: string | null,
      maxAttempts = 3,
      priority: JobPriority = 'MEDIUM',
    ): Job {
      const runner = runners.get(type);
      if (runner === undefined) throw new AppError('INVALID_INPUT', `Unknown job type ${type}.`);
      runner.parsePayload(payload);
      const job = jobs.insert({
        id: deps.ids(),
        type,
        payload,
        createdBy,
        maxAttempts,
        priority,
        now: clock.iso(),
      });
      events.emit('jobs.updated', { job });
      queueMicrotask(schedule);
      return job;
    },

    list(query: { status?: JobStatus; page: number; limit: number }): Page<Job> {
      return jobs.list(query);
    },

    get(id: string): Job {
      const job = jobs.get(id);
      if (job === undefined) throw new AppError('NOT_FOUND', 'No such job.');
      return job;
    },

    cancel(id: string): Job {
      const job = this.get(id);
      const now = clock.iso();
      if (job.status === 'pending') {
        jobs.finish(
          id,
          'cancelled',
          { code: 'CANCELLED', message: 'Cancelled by a user before it started.' },
          now,
        );
        return publish(id);
      }
      if (job.status === 'processing') {
        jobs.requestCancel(id, now);
        running.get(id)?.controller.abort();
        return publish(id);
      }
      throw new AppError(
        'CONFLICT',
        `The job is already ${job.status}; only pending or running jobs can be cancelled.`,
      );
    },

    retry(id: string): Job {
      const job = this.get(id);
      if (job.status !== 'failed' && job.status !== 'cancelled') {
        throw new AppError(
          'CONFLICT',
          `The job is ${job.status}; only failed or cancelled jobs can be retried.`,
        );
      }
      jobs.resetForRetry(id, clock.iso());
      queueMicrotask(schedule);
      return publish(id);
    },

    recoverInterrupted,

    /** Resolves when nothing is running or pending in this process. */
    whenIdle(): Promise<void> {
      return new Promise((resolve) => {
        idleWaiters.push(resolve);
        notifyIdle();
      });
    },

    /** Resolves when the given job has finished (completed, failed or cancelled), in any process. */
    whenFinished(id: string, pollMs = 1000): Promise<Job> {
      return new Promise((resolve) => {
        const check = (): boolean => {
          const job = jobs.get(id);
          if (job !== undefined && ['completed', 'failed', 'cancelled'].includes(job.status)) {
            unsubscribe();
            clearInterval(poll);
            resolve(job);
            return true;
          }
          return false;
        };
        const unsubscribe = events.subscribe((name, payload) => {
          if (name === 'jobs.updated' && (payload as { job: Job }).job.id === id) check();
        });
        // Events reach only this process; when another one (e.g. serve on the same data
        // folder) runs the job, its end is seen in the database.
        const poll = setInterval(check, pollMs);
        check();
      });
    },

    /** Aborts running jobs and waits for them to settle. */
    async stop(): Promise<void> {
      stopping = true;
      const all = [...running.values()];
      for (const r of all) r.controller.abort();
      await Promise.allSettled(all.map((r) => r.done));
    },

    runningCount: (): number => running.size,
  };
}
export type JobQueue = ReturnType<typeof createJobQueue>;
