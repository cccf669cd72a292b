import type { ErrorCode } from '../../../../src-shared/errors.js';
import { isApiError, type ApiClient } from '../../api/client.js';
import type { LocalRejection, PlannedFile } from './upload-plan.js';

/** How many files are in flight at once: enough to hide latency, few enough to keep order. */
export const UPLOADS_AT_ONCE = 4;

/** Failures that concern one file only: the others go on. Anything else stops the upload. */
const PER_FILE_FAILURES: ReadonlySet<ErrorCode> = new Set([
  'FILE_TOO_LARGE',
  'INVALID_INPUT',
  'CONFLICT',
  'UNSUPPORTED_FORMAT',
]);

export interface UploadCounters {
  filesDone: number;
  bytesSent: number;
}

/**
 * Sends the planned files of a batch, a few at a time. Counters are updated in place (the page
 * reads them a few times a second rather than re-rendering per chunk). Resolves with the files
 * the server refused; rejects with the first failure that concerns the whole upload (a lost
 * session, an unreachable server, a cancel).
 */
export async function uploadFiles(
  api: Pick<ApiClient, 'upload'>,
  batchId: string,
  files: readonly PlannedFile[],
  counters: UploadCounters,
  signal: AbortSignal,
): Promise<LocalRejection[]> {
  const rejected: LocalRejection[] = [];
  let next = 0;
  async function worker(): Promise<void> {
    while (next < files.length && !signal.aborted) {
      const item = files[next++] as PlannedFile;
      let sentOfThis = 0;
      try {
        await api.upload(batchId, item.uploadName, item.file, {
          signal,
          onProgress: (sent) => {
            counters.bytesSent += sent - sentOfThis;
            sentOfThis = sent;
          },
        });
      } catch (error) {
        if (!isApiError(error) || !PER_FILE_FAILURES.has(error.code)) throw error;
        rejected.push({ path: item.path, reason: error.message });
        counters.bytesSent += item.file.size - sentOfThis;
      }
      counters.filesDone += 1;
    }
  }
  await Promise.all(Array.from({ length: Math.min(UPLOADS_AT_ONCE, files.length) }, worker));
  if (signal.aborted) throw new DOMException('The upload was cancelled.', 'AbortError');
  return rejected;
}
