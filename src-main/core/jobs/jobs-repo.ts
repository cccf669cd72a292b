import type { AppErrorData } from '../../../src-shared/errors.js';
import {
  JOB_PRIORITIES,
  type Job,
  type JobPayload,
  type JobPriority,
  type JobStatus,
  type JobType,
  type Page,
} from '../../../src-shared/contract/entities.js';
import type { Db } from '../db/connection.js';
import { toPage } from '../db/paging.js';

interface JobRow {
  id: string;
  type: JobType;
  status: JobStatus;
  priority: number;
  progress: number;
  stage: string | null;
  eta_seconds: number | null;
  error: string | null;
  attempts: number;
  max_attempts: number;
  payload: string;
  result: string | null;
  cancel_requested: number;
  owner: string | null;
  created_by: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  updated_at: string;
}

/** A priority's rank in the jobs table (0 LOW, 1 MEDIUM, 2 HIGH): the scheduler orders by it. */
export function priorityRank(priority: JobPriority): number {
  return JOB_PRIORITIES.indexOf(priority);
}

export function priorityOfRank(rank: number): JobPriority {
  return JOB_PRIORITIES[rank] ?? 'MEDIUM';
}

function toJob(r: JobRow): Job {
  const fields = {
    id: r.id,
    status: r.status,
    priority: priorityOfRank(r.priority),
    progress: r.progress,
    stage: r.stage,
    etaSeconds: r.eta_seconds,
    error: r.error === null ? null : (JSON.parse(r.error) as AppErrorData),
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
    createdBy: r.created_by,
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    updatedAt: r.updated_at,
    result: r.result === null ? null : (JSON.parse(r.result) as unknown),
  };
  // The payload was checked against its kind's schema when the job was queued.
  const payload: unknown = JSON.parse(r.payload);
  switch (r.type) {
    case 'import.files':
      return { ...fields, type: r.type, payload: payload as JobPayload<'import.files'> };
    case 'analysis.run':
      return { ...fields, type: r.type, payload: payload as JobPayload<'analysis.run'> };
    case 'visualization.build':
      return { ...fields, type: r.type, payload: payload as JobPayload<'visualization.build'> };
    case 'reading.run':
      return { ...fields, type: r.type, payload: payload as JobPayload<'reading.run'> };
    case 'voice.transcribe':
      return { ...fields, type: r.type, payload: payload as JobPayload<'voice.transcribe'> };
  }
}

export function createJobsRepo(db: Db) {
  const byId = db.prepare<[string], JobRow>('SELECT * FROM jobs WHERE id = ?');
  const get = (id: string): Job | undefined => {
    const row = byId.get(id);
    return row === undefined ? undefined : toJob(row);
  };
  return {
    get,
    insert<T extends JobType>(j: {
      id: string;
      type: T;
      payload: JobPayload<T>;
      createdBy: string | null;
      maxAttempts: number;
      priority?: JobPriority;
      now: string;
    }): Job {
      db.prepare(
        `INSERT INTO jobs (id, type, status, priority, payload, created_by, max_attempts, created_at, updated_at)
         VALUES (?, ?, 'pending', ?, ?, ?, ?, ?, ?)`,
      ).run(
        j.id,
        j.type,
        priorityRank(j.priority ?? 'MEDIUM'),
        JSON.stringify(j.payload),
        j.createdBy,
        j.maxAttempts,
        j.now,
        j.now,
      );
      return get(j.id) as Job;
    },
    list(q: { status?: JobStatus; page: number; limit: number }): Page<Job> {
      const where = q.status === undefined ? '' : 'WHERE status = ?';
      const params = q.status === undefined ? [] : [q.status];
      const total = (
        db.prepare(`SELECT COUNT(*) AS n FROM jobs ${where}`).get(...params) as { n: number }
      ).n;
      const rows = db
        .prepare<unknown[], JobRow>(
          `SELECT * FROM jobs ${where} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`,
        )
        .all(...params, q.limit, (q.page - 1) * q.limit);
      return toPage(rows.map(toJob), total, q.page, q.limit);
    },
    /** The pending jobs in the order they run: highest priority first, oldest first within one. */
    nextPending(limit: number): Job[] {
      return db
        .prepare<[number], JobRow>(
          "SELECT * FROM jobs WHERE status = 'pending' ORDER BY priority DESC, created_at, id LIMIT ?",
        )
        .all(limit)
        .map(toJob);
    },
    listByStatus(status: JobStatus): Job[] {
      return db
        .prepare<[string], JobRow>('SELECT * FROM jobs WHERE status = ? ORDER BY created_at')
        .all(status)
        .map(toJob);
    },
    /** Atomically claims a pending job; false if someone else took it or it was cancelled. */
    claim(id: string, owner: string, now: string): boolean {
      return (
        db
          .prepare(
            `UPDATE jobs SET status = 'processing', attempts = attempts + 1, started_at = ?, updated_at = ?,
               progress = 0, stage = NULL, eta_seconds = NULL, error = NULL, owner = ?
             WHERE id = ? AND status = 'pending'`,
          )
          .run(now, now, owner, id).changes === 1
      );
    },
    /** Jobs marked 'processing' with the process that claimed them. */
    listProcessing(): Array<{ job: Job; owner: string | null }> {
      return db
        .prepare<[], JobRow>("SELECT * FROM jobs WHERE status = 'processing' ORDER BY created_at")
        .all()
        .map((r) => ({ job: toJob(r), owner: r.owner }));
    },
    progress(
      id: string,
      p: { progress: number; stage: string | null; etaSeconds: number | null },
      now: string,
    ): void {
      db.prepare(
        "UPDATE jobs SET progress = ?, stage = ?, eta_seconds = ?, updated_at = ? WHERE id = ? AND status = 'processing'",
      ).run(Math.min(1, Math.max(0, p.progress)), p.stage, p.etaSeconds, now, id);
    },
    saveResult(id: string, result: unknown, now: string): void {
      db.prepare('UPDATE jobs SET result = ?, updated_at = ? WHERE id = ?').run(
        JSON.stringify(result),
        now,
        id,
      );
    },
    finish(
      id: string,
      status: 'completed' | 'failed' | 'cancelled',
      error: AppErrorData | null,
      now: string,
    ): void {
      db.prepare(
        `UPDATE jobs SET status = ?, error = ?, finished_at = ?, updated_at = ?, eta_seconds = NULL,
           progress = CASE WHEN ? = 'completed' THEN 1 ELSE progress END
         WHERE id = ?`,
      ).run(status, error === null ? null : JSON.stringify(error), now, now, status, id);
    },
    /** Puts an interrupted job back in the queue (after a crash). */
    requeue(id: string, now: string): void {
      db.prepare(
        "UPDATE jobs SET status = 'pending', updated_at = ?, eta_seconds = NULL WHERE id = ?",
      ).run(now, id);
    },
    resetForRetry(id: string, now: string): void {
      db.prepare(
        `UPDATE jobs SET status = 'pending', error = NULL, progress = 0, stage = NULL, eta_seconds = NULL,
           finished_at = NULL, started_at = NULL, cancel_requested = 0, attempts = 0, updated_at = ? WHERE id = ?`,
      ).run(now, id);
    },
    requestCancel(id: string, now: string): void {
      db.prepare('UPDATE jobs SET cancel_requested = 1, updated_at = ? WHERE id = ?').run(now, id);
    },
    isCancelRequested(id: string): boolean {
      const row = db
        .prepare<[string], { c: number }>('SELECT cancel_requested AS c FROM jobs WHERE id = ?')
        .get(id);
      return row?.c === 1;
    },
  };
}
export type JobsRepo = ReturnType<typeof createJobsRepo>;
