import type { Job } from '../../../src-shared/contract/entities.js';
import type { FormFile } from './multipart.js';
import { RestFailure, type RestCall } from './rest-types.js';

/**
 * Sequences of contract calls that several seeds' routes share. They only chain calls the
 * client could make itself over RPC (upload, import, find the job); every decision stays in
 * the core.
 */

/** Uploads files as one batch (uploads.begin, uploads.put, uploads.commit) and waits for the import. */
export async function importFiles(
  call: RestCall,
  files: readonly FormFile[],
  patientId?: string,
  /** false: the caller analyses the scans itself (an X-ray reading), so no automatic analysis. */
  autoAnalyse?: boolean,
): Promise<{ importJob: Job; scanIds: string[] }> {
  if (files.length === 0)
    throw new RestFailure(
      {
        code: 'INVALID_INPUT',
        message: 'Attach the scan as a file part of the form (field "file").',
      },
      400,
    );
  const batch = await call.call('uploads.begin', {});
  for (const [index, file] of files.entries()) {
    const name = file.name.trim() === '' ? `upload-${index + 1}` : file.name;
    const chunks = file.stream() as unknown as AsyncIterable<Uint8Array>;
    await call.stream(
      'uploads.put',
      { batchId: batch.batchId, name },
      { chunks, declaredBytes: file.size },
    );
  }
  const job = await call.call('uploads.commit', {
    batchId: batch.batchId,
    ...(patientId !== undefined && { patientId }),
    ...(autoAnalyse !== undefined && { autoAnalyse }),
  });
  const ended = await call.whenJobEnds(job.id);
  if (ended.status !== 'completed')
    throw new RestFailure(
      ended.error ?? { code: 'INTERNAL', message: `The import ended ${ended.status}.` },
    );
  const report = await call.call('import.report', { id: job.id });
  const scanIds = [
    ...new Set(
      report.items.flatMap((item) =>
        item.status !== 'rejected' && item.scanId !== undefined ? [item.scanId] : [],
      ),
    ),
  ];
  if (scanIds.length === 0) {
    const rejected = report.items.find((item) => item.status === 'rejected');
    throw new RestFailure({
      code: rejected?.code ?? 'UNSUPPORTED_FORMAT',
      message: rejected?.reason ?? 'Nothing in the upload could be imported as a scan.',
    });
  }
  return { importJob: ended, scanIds };
}

/** The newest analysis job of a scan among the latest jobs (queued, running or ended), if any. */
export async function analysisJobOf(call: RestCall, scanId: string): Promise<Job | undefined> {
  const jobs = await call.call('jobs.list', { limit: 100 });
  return jobs.items.find((job) => job.type === 'analysis.run' && job.payload.scanId === scanId);
}

/**
 * The analysis job for a newly imported scan: a new one when a model is named, else the one the
 * automatic analysis of imports queued, else a new one.
 */
export async function analysisJobFor(
  call: RestCall,
  scanId: string,
  modelId?: string,
): Promise<Job> {
  if (modelId === undefined) {
    const queued = await analysisJobOf(call, scanId);
    if (queued !== undefined) return queued;
  }
  return call.call('analysis.start', {
    scanId,
    ...(modelId !== undefined && { segmentationModel: modelId }),
  });
}

/** A query parameter as a whole number in [min, max], or the default when absent. */
export function queryInteger(
  query: URLSearchParams,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const text = query.get(name);
  if (text === null || text === '') return fallback;
  const value = Number(text);
  if (!/^\d{1,9}$/.test(text) || value < min || value > max)
    throw new RestFailure({
      code: 'INVALID_INPUT',
      message: `The query parameter "${name}" must be a whole number from ${min} to ${max}.`,
      details: { issues: [{ path: name, message: `expected ${min}..${max}` }] },
    });
  return value;
}

/** A required JSON object body. */
export function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new RestFailure(
      { code: 'INVALID_INPUT', message: 'Send a JSON object as the request body.' },
      400,
    );
  return body as Record<string, unknown>;
}
