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

/** A job's kind with its payload, still a union by kind (Pick on the union would lose that). */
type JobKindAndPayload = Job extends infer J
  ? J extends Job
    ? Pick<J, 'type' | 'payload'>
    : never
  : never;

/** What a job works on, in words, and the scan it concerns if any. */
export function jobSubject(job: JobKindAndPayload): {
  text: string;
  scanId: string | null;
} {
  if (job.type === 'analysis.run') {
    return { text: 'Tumour analysis of a scan', scanId: job.payload.scanId };
  }
  if (job.type === 'visualization.build') {
    return { text: `3D HTML scene of a scan (${job.payload.quality})`, scanId: job.payload.scanId };
  }
  if (job.type === 'reading.run') {
    const kind = job.payload.kind === 'expert' ? 'Expert' : 'Friendly';
    return { text: `${kind} X-ray reading of a scan`, scanId: job.payload.scanId };
  }
  if (job.type === 'voice.transcribe')
    return { text: 'Transcription of a voice caption', scanId: null };
  const paths = job.payload.paths;
  const first = paths[0];
  if (first === undefined) return { text: 'Import', scanId: null };
  // Uploads are staged under <data dir>/uploads/<batch>/files by the core.
  if (/[/\\]uploads[/\\][0-9a-f-]{36}[/\\]files$/i.test(first))
    return { text: 'Files uploaded from this browser', scanId: null };
  const name = first.split(/[/\\]/).filter(Boolean).pop() ?? first;
  return { text: paths.length > 1 ? `${name} and ${paths.length - 1} more` : name, scanId: null };
}

/** The scans an import job brought in so far (its result is the import report), else none. */
export function importedScanIds(job: Pick<Job, 'type' | 'result'>): string[] {
  if (job.type !== 'import.files' || typeof job.result !== 'object' || job.result === null)
    return [];
  const ids = (job.result as { scanIds?: unknown }).scanIds;
  return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
}

/** The scans a job is about: the analysed scan, or those an import brought in. */
export function scanIdsOfJob(job: Job): string[] {
  if (job.type === 'voice.transcribe') return [];
  return job.type === 'import.files' ? importedScanIds(job) : [job.payload.scanId];
}
