import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, unlink } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Job } from '../../../src-shared/contract/entities.js';
import type { UploadBatch, UploadedFile } from '../../../src-shared/contract/uploads.js';
import { AppError } from '../../../src-shared/errors.js';
import type { EventBus } from '../events.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { Clock } from '../platform/clock.js';
import type { IdGenerator } from '../platform/ids.js';
import type { Logger } from '../platform/logger.js';
import { listStagedBatches, writeBatchMeta, type BatchMeta } from './batch-meta.js';
import { parseUploadName } from './upload-name.js';

export const DEFAULT_MAX_FILES_PER_BATCH = 100_000;
/** Staged files of a failed or cancelled import stay this long, so Retry still finds them. */
export const KEEP_FAILED_MS = 24 * 60 * 60 * 1000;
/** An upload nobody commits (a closed browser tab) is discarded after this long. */
export const UNCOMMITTED_TTL_MS = 6 * 60 * 60 * 1000;

export interface UploadServiceDeps {
  /** `<dataDir>/uploads`: one folder per batch, staged files under `<batch>/files/`. */
  rootDir: string;
  maxFileBytes: number;
  maxFiles?: number;
  /** The most bytes one batch may stage (default 8 GiB). */
  maxBatchBytes?: number;
  /** The most bytes one account may have staged across its open batches (default 16 GiB). */
  maxUserBytes?: number;
  ids: IdGenerator;
  clock: Clock;
  logger: Logger;
  events: EventBus;
  jobs: Pick<JobQueue, 'enqueue' | 'get'>;
}

interface Batch {
  readonly id: string;
  readonly owner: string;
  readonly dir: string;
  readonly names: Set<string>;
  inFlight: number;
  /** Bytes staged, counted as they arrive (files still being written included). */
  bytes: number;
  lastActivityMs: number;
  jobId: string | null;
  isAborted: boolean;
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function isTerminal(status: Job['status']): boolean {
  return status === 'completed' || status === 'failed' || status === 'cancelled';
}

/**
 * Stages uploaded files (from a browser, which cannot hand the core file paths) and imports them
 * with the normal import job. Each batch belongs to the account that opened it. Staged files are
 * removed once their import completes; those of a failed or cancelled import are kept for a day
 * so that Retry works.
 */
export function createUploadService(deps: UploadServiceDeps) {
  const maxFiles = deps.maxFiles ?? DEFAULT_MAX_FILES_PER_BATCH;
  const maxBatchBytes = deps.maxBatchBytes ?? 8 * 1024 ** 3;
  const maxUserBytes = deps.maxUserBytes ?? 16 * 1024 ** 3;

  /** Bytes an account has staged in batches not yet imported. */
  function stagedBy(owner: string): number {
    let total = 0;
    for (const batch of batches.values()) if (batch.owner === owner) total += batch.bytes;
    return total;
  }

  /** Refuses the chunk that would take the batch or the account over its quota. */
  function checkQuotas(batch: Batch): void {
    if (batch.bytes > maxBatchBytes)
      throw new AppError(
        'FILE_TOO_LARGE',
        `This upload is over ${megabytes(maxBatchBytes)}, the most one upload may hold. Upload the rest in another batch after this one is imported.`,
        { limit: maxBatchBytes },
      );
    if (stagedBy(batch.owner) > maxUserBytes)
      throw new AppError(
        'FILE_TOO_LARGE',
        `Your uploads waiting to be imported are over ${megabytes(maxUserBytes)}, the most one account may stage. Import or cancel them first.`,
        { limit: maxUserBytes },
      );
  }
  const batches = new Map<string, Batch>();
  /** Import job id → batch folder, for committed batches (including those of earlier runs). */
  const stagedByJob = new Map<string, string>();

  const filesDir = (dir: string): string => join(dir, 'files');
  const nowMs = (): number => deps.clock.now().getTime();

  async function remove(dir: string): Promise<void> {
    await rm(dir, { recursive: true, force: true }).catch((error: unknown) =>
      deps.logger.warn('could not remove staged uploads', { dir, error }),
    );
  }

  function batchOf(batchId: string, owner: string): Batch {
    const batch = batches.get(batchId);
    if (batch === undefined || batch.isAborted)
      throw new AppError(
        'NOT_FOUND',
        'This upload no longer exists (it was discarded or expired). Start the import again.',
      );
    if (batch.owner !== owner)
      throw new AppError('PERMISSION_DENIED', 'This upload belongs to another account.');
    if (batch.jobId !== null)
      throw new AppError('CONFLICT', 'This upload is already being imported.');
    batch.lastActivityMs = nowMs();
    return batch;
  }

  function tooLarge(bytes: number | null): AppError {
    const size = bytes === null ? 'larger than the limit' : `${megabytes(bytes)}`;
    return new AppError(
      'FILE_TOO_LARGE',
      `File is ${size}; the limit is ${megabytes(deps.maxFileBytes)}. Raise the limit in Settings if this file is genuine.`,
      { limit: deps.maxFileBytes },
    );
  }

  async function* limited(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    let total = 0;
    for await (const chunk of source) {
      total += chunk.byteLength;
      if (total > deps.maxFileBytes) throw tooLarge(null);
      yield chunk;
    }
  }

  /** Removes what is no longer needed: finished imports, expired and orphaned batches. */
  async function sweep(): Promise<void> {
    const now = nowMs();
    for (const [id, batch] of batches) {
      if (
        batch.jobId === null &&
        batch.inFlight === 0 &&
        now - batch.lastActivityMs > UNCOMMITTED_TTL_MS
      ) {
        batches.delete(id);
        await remove(batch.dir);
      }
    }
    for (const staged of await listStagedBatches(deps.rootDir)) {
      if (batches.has(staged.id)) continue;
      const verdict = verdictFor(staged.meta, now);
      if (verdict === 'keep' && staged.meta !== null && staged.meta.jobId !== null)
        stagedByJob.set(staged.meta.jobId, staged.dir);
      if (verdict === 'remove') await remove(staged.dir);
    }
  }

  function verdictFor(meta: BatchMeta | null, now: number): 'keep' | 'remove' {
    // Not committed and not open in this process: its uploader is gone (e.g. a restart).
    if (meta === null || meta.jobId === null) return 'remove';
    let job: Job;
    try {
      job = deps.jobs.get(meta.jobId);
    } catch {
      return 'remove';
    }
    if (job.status === 'completed') return 'remove';
    if (!isTerminal(job.status)) return 'keep';
    const finishedMs = Date.parse(job.finishedAt ?? job.updatedAt);
    return now - finishedMs > KEEP_FAILED_MS ? 'remove' : 'keep';
  }

  const unsubscribe = deps.events.subscribe((name, payload) => {
    if (name !== 'jobs.updated') return;
    const { job } = payload as { job: Job };
    const dir = stagedByJob.get(job.id);
    if (dir === undefined || job.status !== 'completed') return;
    stagedByJob.delete(job.id);
    for (const [id, batch] of batches) if (batch.jobId === job.id) batches.delete(id);
    void remove(dir);
  });

  return {
    /** Runs once at start-up: clears what earlier runs left behind. */
    sweep,

    async begin(owner: string): Promise<UploadBatch> {
      await sweep();
      const id = deps.ids();
      const dir = join(deps.rootDir, id);
      await mkdir(filesDir(dir), { recursive: true });
      await writeBatchMeta(dir, { owner, createdAt: deps.clock.iso(), jobId: null });
      batches.set(id, {
        id,
        owner,
        dir,
        names: new Set(),
        inFlight: 0,
        bytes: 0,
        lastActivityMs: nowMs(),
        jobId: null,
        isAborted: false,
      });
      return { batchId: id, maxFileBytes: deps.maxFileBytes, maxFiles };
    },

    /**
     * Streams one file into the batch. `declaredBytes` (a Content-Length) lets an oversized file
     * be refused before any byte is read; the limit is enforced on the bytes themselves too.
     */
    async receive(
      batchId: string,
      name: string,
      owner: string,
      body: AsyncIterable<Uint8Array>,
      declaredBytes: number | null = null,
    ): Promise<UploadedFile> {
      const batch = batchOf(batchId, owner);
      const segments = parseUploadName(name);
      const root = filesDir(batch.dir);
      const target = resolve(root, ...segments);
      if (!target.startsWith(root + sep))
        throw new AppError('INVALID_INPUT', 'The file name is not allowed: it leaves the upload.');
      if (declaredBytes !== null && declaredBytes > deps.maxFileBytes)
        throw tooLarge(declaredBytes);
      if (batch.names.has(target))
        throw new AppError('CONFLICT', `"${name}" was already uploaded in this batch.`);
      if (batch.names.size >= maxFiles)
        throw new AppError('INVALID_INPUT', `One upload holds at most ${maxFiles} files.`);

      batch.names.add(target);
      batch.inFlight += 1;
      const temp = join(batch.dir, `part-${deps.ids()}`);
      let bytes = 0;
      try {
        async function* counted(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
          for await (const chunk of source) {
            bytes += chunk.byteLength;
            batch.bytes += chunk.byteLength;
            // Checked before the chunk is written: a chunked upload stops at the limit.
            checkQuotas(batch);
            yield chunk;
          }
        }
        await pipeline(body, limited, counted, createWriteStream(temp));
        await mkdir(dirname(target), { recursive: true });
        await rename(temp, target);
        return { name: segments.join('/'), bytes };
      } catch (error) {
        batch.names.delete(target);
        batch.bytes -= bytes;
        await unlink(temp).catch(() => undefined);
        throw error;
      } finally {
        batch.inFlight -= 1;
        batch.lastActivityMs = nowMs();
      }
    },

    /** Starts the import job on the staged files. */
    async commit(
      batchId: string,
      owner: string,
      options: {
        patientId?: string;
        segmentationOf?: string;
        /** false: no automatic analysis after the import (the caller runs its own). */
        autoAnalyse?: boolean;
        /** Who starts the import (a user name): what it records is audited under that name. */
        startedBy?: string | null;
      } = {},
    ): Promise<Job> {
      const batch = batchOf(batchId, owner);
      if (batch.inFlight > 0)
        throw new AppError('CONFLICT', 'Files are still being uploaded; wait until they finish.');
      if (batch.names.size === 0)
        throw new AppError('INVALID_INPUT', 'Nothing was uploaded: add files or a folder first.');
      const payload = {
        paths: [filesDir(batch.dir)],
        ...(options.patientId !== undefined && { patientId: options.patientId }),
        ...(options.segmentationOf !== undefined && { segmentationOf: options.segmentationOf }),
        ...(options.autoAnalyse !== undefined && { autoAnalyse: options.autoAnalyse }),
      };
      const job = deps.jobs.enqueue('import.files', payload, options.startedBy ?? owner);
      batch.jobId = job.id;
      stagedByJob.set(job.id, batch.dir);
      await writeBatchMeta(batch.dir, {
        owner,
        createdAt: deps.clock.iso(),
        jobId: job.id,
      });
      return job;
    },

    /**
     * The folder holding an uncommitted batch's files, for a caller that reads them in place
     * (an update bundle uploaded from the admin screen); refused while a file still arrives.
     */
    stagedFolder(batchId: string, owner: string): string {
      const batch = batchOf(batchId, owner);
      if (batch.inFlight > 0)
        throw new AppError('CONFLICT', 'Files of this upload are still arriving; wait for them.');
      return filesDir(batch.dir);
    },

    /**
     * Hands an uncommitted batch to a job another service started on its files (a dental
     * case's CBCT import): the batch is closed to new files and removed when that job completes,
     * as a committed batch is. Without a job (nothing left to read) it is removed now.
     */
    async handOver(batchId: string, owner: string, jobId: string | null): Promise<void> {
      const batch = batchOf(batchId, owner);
      if (jobId === null) {
        batch.isAborted = true;
        batches.delete(batchId);
        await remove(batch.dir);
        return;
      }
      batch.jobId = jobId;
      stagedByJob.set(jobId, batch.dir);
      await writeBatchMeta(batch.dir, { owner, createdAt: deps.clock.iso(), jobId });
    },

    /** Discards an uncommitted batch and its files. */
    async abort(batchId: string, owner: string): Promise<boolean> {
      const batch = batches.get(batchId);
      if (batch === undefined || batch.isAborted) return false;
      if (batch.owner !== owner)
        throw new AppError('PERMISSION_DENIED', 'This upload belongs to another account.');
      if (batch.jobId !== null)
        throw new AppError(
          'CONFLICT',
          'This upload is already being imported: cancel its import job instead.',
        );
      batch.isAborted = true;
      batches.delete(batchId);
      await remove(batch.dir);
      return true;
    },

    close(): void {
      unsubscribe();
    },
  };
}
export type UploadService = ReturnType<typeof createUploadService>;
