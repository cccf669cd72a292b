import { useCallback, useEffect, useRef, useState } from 'react';
import type { ImportReport, Job } from '../../../../src-shared/contract/entities.js';
import { useApi } from '../../api/api-context.js';
import { errorMessage } from '../../api/client.js';
import { isJobActive } from '../jobs/jobs-state.js';
import { uploadFiles, type UploadCounters } from './upload-files.js';
import {
  planUpload,
  remainingSeconds,
  type ChosenFile,
  type LocalRejection,
} from './upload-plan.js';

export interface UploadProgress {
  readonly filesDone: number;
  readonly filesTotal: number;
  readonly bytesSent: number;
  readonly bytesTotal: number;
  readonly etaSeconds: number | null;
}

/** Where one import stands: sending the files, importing them, or done. */
export type ImportFlow =
  | { readonly phase: 'idle' }
  | {
      readonly phase: 'uploading';
      readonly progress: UploadProgress;
      readonly isCancelling: boolean;
    }
  | { readonly phase: 'importing'; readonly job: Job; readonly isCancelling: boolean }
  | {
      readonly phase: 'finished';
      readonly job: Job | null;
      readonly report: ImportReport | null;
      readonly message: string | null;
    };

const PROGRESS_REFRESH_MS = 200;

function stagingRootOf(job: Job | null): string | null {
  const paths = (job?.payload as { paths?: unknown } | null)?.paths;
  return Array.isArray(paths) && typeof paths[0] === 'string' ? paths[0] : null;
}

/**
 * One import from the browser (or the desktop app, through the same transport interface):
 * plan, upload the files into a batch, commit it as an import job, follow the job by its events,
 * and fetch the report when it ends. Cancel works in both phases. With `patientId`, everything
 * imported goes to that patient (as the CLI's `import --patient`).
 */
export function useUploadImport(patientId?: string) {
  const api = useApi();
  const [flow, setFlow] = useState<ImportFlow>({ phase: 'idle' });
  const [localRejections, setLocalRejections] = useState<readonly LocalRejection[]>([]);
  const [actionError, setActionError] = useState<string | null>(null);
  const abort = useRef<AbortController | null>(null);
  const batchId = useRef<string | null>(null);
  const jobId = useRef<string | null>(null);

  const finishWith = useCallback(
    async (job: Job): Promise<void> => {
      // The end can be seen twice (an event and the catch-up read): report it once.
      if (jobId.current !== job.id) return;
      jobId.current = null;
      let report: ImportReport | null = null;
      try {
        report = await api.call('import.report', { id: job.id });
      } catch {
        // The summary then shows the job's state and error without the per-file list.
      }
      setFlow({ phase: 'finished', job, report, message: null });
    },
    [api],
  );

  // Follow the import job by its events; a resync (missed events) reloads it.
  useEffect(() => {
    const onJob = (job: Job): void => {
      if (job.id !== jobId.current) return;
      if (isJobActive(job))
        setFlow((current) =>
          current.phase === 'importing' && current.job.updatedAt <= job.updatedAt
            ? { ...current, job }
            : current,
        );
      else void finishWith(job);
    };
    const stop = api.on('jobs.updated', ({ job }) => onJob(job));
    const stopResync = api.onResync(() => {
      if (jobId.current !== null)
        api.call('jobs.get', { id: jobId.current }).then(onJob, () => undefined);
    });
    return () => {
      stop();
      stopResync();
    };
  }, [api, finishWith]);

  const start = useCallback(
    async (chosen: readonly ChosenFile[]): Promise<void> => {
      if (chosen.length === 0) return;
      const controller = new AbortController();
      abort.current = controller;
      const counters: UploadCounters = { filesDone: 0, bytesSent: 0 };
      const startedAt = Date.now();
      let timer: ReturnType<typeof setInterval> | null = null;
      try {
        const batch = await api.call('uploads.begin', {});
        batchId.current = batch.batchId;
        const plan = planUpload(chosen, batch.maxFileBytes);
        setLocalRejections(plan.rejected);
        const progress = (): UploadProgress => ({
          filesDone: counters.filesDone,
          filesTotal: plan.files.length,
          bytesSent: counters.bytesSent,
          bytesTotal: plan.totalBytes,
          etaSeconds: remainingSeconds(counters.bytesSent, plan.totalBytes, Date.now() - startedAt),
        });
        setFlow({ phase: 'uploading', progress: progress(), isCancelling: false });
        timer = setInterval(() => {
          setFlow((current) =>
            current.phase === 'uploading' ? { ...current, progress: progress() } : current,
          );
        }, PROGRESS_REFRESH_MS);
        const refused = await uploadFiles(
          api,
          batch.batchId,
          plan.files,
          counters,
          controller.signal,
        );
        setLocalRejections([...plan.rejected, ...refused]);
        if (plan.files.length === refused.length) {
          await api.call('uploads.abort', { batchId: batch.batchId }).catch(() => undefined);
          setFlow({
            phase: 'finished',
            job: null,
            report: null,
            message: 'None of the files could be uploaded.',
          });
          return;
        }
        const job = await api.call('uploads.commit', {
          batchId: batch.batchId,
          ...(patientId !== undefined && { patientId }),
        });
        batchId.current = null;
        jobId.current = job.id;
        setFlow({ phase: 'importing', job, isCancelling: false });
        // A small import can end before this answer arrives, its events already gone by.
        const latest = await api.call('jobs.get', { id: job.id });
        if (!isJobActive(latest)) await finishWith(latest);
      } catch (error) {
        const wasCancelled = controller.signal.aborted;
        if (batchId.current !== null) {
          await api.call('uploads.abort', { batchId: batchId.current }).catch(() => undefined);
          batchId.current = null;
        }
        setFlow({
          phase: 'finished',
          job: null,
          report: null,
          message: wasCancelled
            ? 'The upload was cancelled; nothing was imported.'
            : errorMessage(error),
        });
      } finally {
        if (timer !== null) clearInterval(timer);
        abort.current = null;
      }
    },
    [api, patientId],
  );

  const cancel = useCallback(async (): Promise<void> => {
    if (flow.phase === 'uploading') {
      setFlow({ ...flow, isCancelling: true });
      abort.current?.abort();
    } else if (flow.phase === 'importing') {
      setFlow({ ...flow, isCancelling: true });
      setActionError(null);
      try {
        const job = await api.call('jobs.cancel', { id: flow.job.id });
        if (!isJobActive(job)) await finishWith(job);
      } catch (error) {
        setFlow({ ...flow, isCancelling: false });
        setActionError(errorMessage(error));
      }
    }
  }, [api, flow, finishWith]);

  const reset = useCallback(() => {
    setFlow({ phase: 'idle' });
    setLocalRejections([]);
    setActionError(null);
  }, []);

  const job = flow.phase === 'importing' || flow.phase === 'finished' ? (flow.job ?? null) : null;
  return {
    flow,
    localRejections,
    actionError,
    stagingRoot: stagingRootOf(job),
    start,
    cancel,
    reset,
  };
}
