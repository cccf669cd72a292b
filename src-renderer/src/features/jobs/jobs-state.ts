import type { Job } from '../../../../src-shared/contract/entities.js';

/** Newest first, as jobs.list returns them. */
function byCreatedDesc(a: Job, b: Job): number {
  return a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0;
}

/**
 * Merges job snapshots from a list load and from `jobs.updated` events. Either can arrive first
 * (an event can overtake a slow load), so per job the snapshot with the later `updatedAt` wins.
 */
export function mergeJobs(current: readonly Job[], incoming: readonly Job[], limit = 100): Job[] {
  const byId = new Map(current.map((job) => [job.id, job]));
  for (const job of incoming) {
    const known = byId.get(job.id);
    if (known === undefined || known.updatedAt <= job.updatedAt) byId.set(job.id, job);
  }
  return [...byId.values()].sort(byCreatedDesc).slice(0, limit);
}

export function isJobActive(job: Pick<Job, 'status'>): boolean {
  return job.status === 'pending' || job.status === 'processing';
}

export function canRetryJob(job: Pick<Job, 'status'>): boolean {
  return job.status === 'failed' || job.status === 'cancelled';
}
