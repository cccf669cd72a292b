import type { Job, JobType } from '../../../src-shared/contract/entities.js';

export interface ProgressUpdate {
  /** 0..1 */
  progress: number;
  stage?: string | null;
}

export interface JobContext<P> {
  readonly job: Job;
  readonly payload: P;
  /** Aborted when the job is cancelled (from this process or, via the database, from another). */
  readonly signal: AbortSignal;
  reportProgress(update: ProgressUpdate): void;
  /** Throws AppError CANCELLED if the job was cancelled; call between units of work. */
  throwIfCancelled(): void;
  /** Stores a partial result now, so a report survives even if the job later fails. */
  saveResult(result: unknown): void;
}

/** One kind of job: how to validate its payload and how to run it. */
export interface JobRunner<P = unknown> {
  readonly type: JobType;
  /**
   * Resumable runners are started again after a crash (their work is idempotent);
   * others are marked failed with a reason.
   */
  readonly isResumable: boolean;
  /**
   * Whether a resumable job found interrupted by a crash (not a clean close) is started again:
   * false for work whose input may be what crashed the process. Default: `isResumable`.
   */
  readonly resumesAfterCrash?: boolean;
  parsePayload(payload: unknown): P;
  run(context: JobContext<P>): Promise<unknown>;
}
