import { useCallback, useEffect, useRef, useState } from 'react';
import type { Analysis } from '../../../../src-shared/contract/analysis.js';
import type { Job, Scan } from '../../../../src-shared/contract/entities.js';
import { useApi } from '../../api/api-context.js';
import { errorMessage, isApiError } from '../../api/client.js';
import { useCan } from '../../app/use-permission.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { StatusBadge } from '../../ui/status-badge.js';
import { JobProgress } from '../jobs/job-progress.js';
import { isJobActive } from '../jobs/jobs-state.js';
import { AnalysisImages } from './analysis-images.js';
import { AnalysisSummary } from './analysis-summary.js';
import { dicomSegUnavailableReason, exportUnavailableReason } from './export-results-logic.js';
import { useExportResults } from './use-export-results.js';
import type { LesionNavigation } from './lesion-list.js';

/** Whether a job works on this scan (analyses carry its id; imports adding to it name it). */
export function isJobForScan(job: Job, scanId: string): boolean {
  if (job.type === 'analysis.run') return job.payload.scanId === scanId;
  // An HTML scene changes nothing of the scan: its progress is on the 3D page.
  if (job.type === 'visualization.build') return false;
  // A reading runs the scan's analysis: its progress shows here like an analysis's.
  if (job.type === 'reading.run') return job.payload.scanId === scanId;
  if (job.type === 'voice.transcribe') return false;
  return job.payload.segmentationOf === scanId || job.payload.attachTo === scanId;
}

const STATUS_TEXT: Record<Scan['status'], string> = {
  imported: 'Imported, not analysed yet.',
  queued: 'Waiting for analysis.',
  processing: 'Being analysed.',
  completed: 'Analysis finished.',
  failed: 'The last analysis failed: the Jobs page has the reason. Analyse again to retry.',
};

/**
 * The scan's processing state: status, the running job's progress, stage and time remaining,
 * live from events; the latest analysis; and the actions the role allows (analyse, cancel,
 * export the results).
 */
export function ProcessingStatus({
  scan,
  onAnalysis,
  lesionNavigation = null,
}: {
  scan: Scan;
  /** Told of the latest analysis whenever it changes (the viewer overlays its mask). */
  onAnalysis?: (analysis: Analysis) => void;
  /** How each lesion's "Go to" moves the viewer; null where no viewer is shown. */
  lesionNavigation?: LesionNavigation | null;
}) {
  const api = useApi();
  const canAnalyse = useCan('analysis.run');
  const canManageJobs = useCan('jobs.manage');
  const canExport = useCan('scans.read');
  const exported = useExportResults(scan.id);
  const exportedSeg = useExportResults(scan.id, 'analysis.dicomSeg');
  const [status, setStatus] = useState(scan.status);
  const [job, setJob] = useState<Job | null>(null);
  const [analysis, setAnalysisState] = useState<Analysis | null>(null);
  const onAnalysisRef = useRef(onAnalysis);
  onAnalysisRef.current = onAnalysis;
  const setAnalysis = useCallback((next: Analysis) => {
    setAnalysisState(next);
    onAnalysisRef.current?.(next);
  }, []);
  const [error, setError] = useState<string | null>(null);
  /** Why the last job on this scan failed, in the core's words, until the next one starts. */
  const [lastFailure, setLastFailure] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);

  const reload = useCallback(() => {
    api.call('scans.get', { id: scan.id }).then(
      (detail) => setStatus(detail.scan.status),
      () => undefined,
    );
    api.call('analysis.get', { scanId: scan.id }).then(setAnalysis, (failure: unknown) => {
      // No analysis yet is the normal state of a new scan, not an error.
      if (!isApiError(failure) || failure.code !== 'NOT_FOUND') setError(errorMessage(failure));
    });
  }, [api, scan.id, setAnalysis]);

  /**
   * The newest snapshot seen per job wins: a quick job's events can arrive before the answer that
   * started it, and that older answer must not bring back a job that has already ended.
   */
  const seen = useRef(new Map<string, Job>());
  const applyJob = useCallback(
    (updated: Job) => {
      const known = seen.current.get(updated.id);
      const isStale =
        known !== undefined &&
        (known.updatedAt > updated.updatedAt ||
          (known.updatedAt === updated.updatedAt && !isJobActive(known)));
      if (isStale) return;
      seen.current.set(updated.id, updated);
      if (isJobActive(updated)) {
        setJob(updated);
        setLastFailure(null);
        return;
      }
      setJob((current) => (current === null || current.id === updated.id ? null : current));
      if (updated.status === 'failed') setLastFailure(updated.error?.message ?? 'The job failed.');
      reload();
    },
    [reload],
  );

  useEffect(() => {
    const stopScan = api.on('scans.updated', ({ scan: updated }) => {
      if (updated.id === scan.id) setStatus(updated.status);
    });
    const stopChanged = api.on('scans.changed', ({ scanIds }) => {
      if (scanIds.includes(scan.id)) reload();
    });
    const stopJobs = api.on('jobs.updated', ({ job: updated }) => {
      if (isJobForScan(updated, scan.id)) applyJob(updated);
    });
    api.call('jobs.list', { limit: 100 }).then(
      (page) => {
        const active = page.items.find((c) => isJobForScan(c, scan.id) && isJobActive(c));
        if (active !== undefined) applyJob(active);
      },
      () => undefined,
    );
    reload();
    return () => {
      stopScan();
      stopChanged();
      stopJobs();
    };
  }, [api, scan.id, reload, applyJob]);

  async function act(action: () => Promise<Job>): Promise<void> {
    setIsBusy(true);
    setError(null);
    try {
      applyJob(await action());
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setIsBusy(false);
    }
  }

  return (
    <section
      className="panel"
      aria-labelledby="processing-title"
      data-testid="processing-status"
      data-status={status}
    >
      <div className="panel-header">
        <h3 id="processing-title">Processing</h3>
        <StatusBadge status={status} testId="scan-detail-status" />
        <span className="spacer" />
        {job === null && canAnalyse && (
          <button
            type="button"
            className="button small primary"
            disabled={isBusy}
            onClick={() => void act(() => api.call('analysis.start', { scanId: scan.id }))}
            data-testid="analyse"
          >
            {analysis === null ? 'Analyse' : 'Analyse again'}
          </button>
        )}
        {job === null && canAnalyse && analysis?.findings.kind === 'not-applicable' && (
          // The model did not read this series; a radiologist may still want its answer, which
          // then carries a warning wherever it is shown.
          <button
            type="button"
            className="button small"
            disabled={isBusy}
            onClick={() =>
              void act(() => api.call('analysis.start', { scanId: scan.id, force: true }))
            }
            data-testid="analyse-anyway"
          >
            Analyse anyway
          </button>
        )}
        {job !== null && canManageJobs && (
          <button
            type="button"
            className="button small danger"
            disabled={isBusy}
            onClick={() => void act(() => api.call('jobs.cancel', { id: job.id }))}
            data-testid="analysis-cancel"
          >
            Cancel
          </button>
        )}
        {canExport && (
          <DownloadButton
            exported={exported}
            unavailable={exportUnavailableReason({ analysis, isAnalysing: job !== null })}
            label="Export results"
            busyLabel="Exporting…"
            title="Download the mask, heatmap, overlay and results JSON as one ZIP"
            testId="export-results"
            cancelLabel="Cancel export"
            cancelTestId="export-cancel"
          />
        )}
        {canExport && (
          <DownloadButton
            exported={exportedSeg}
            unavailable={dicomSegUnavailableReason({ analysis, isAnalysing: job !== null })}
            label="DICOM SEG"
            busyLabel="Writing SEG…"
            title="Download the mask as a DICOM Segmentation (SEG) in the scan's study"
            testId="export-dicom-seg"
            cancelLabel="Cancel SEG"
            cancelTestId="export-dicom-seg-cancel"
          />
        )}
      </div>
      <ErrorMessage message={error ?? exported.error ?? exportedSeg.error} />
      {exported.notes !== null && (
        <p className="muted export-notes" role="status" data-testid="export-notes">
          {exported.notes}
        </p>
      )}
      {exportedSeg.notes !== null && (
        <p className="muted export-notes" role="status" data-testid="dicom-seg-notes">
          {exportedSeg.notes}
        </p>
      )}
      {lastFailure !== null && job === null && (
        <p className="row-error" data-testid="processing-error">
          {lastFailure}
        </p>
      )}
      {job !== null ? (
        <JobProgress job={job} />
      ) : (
        analysis === null &&
        lastFailure === null && <p className="muted panel-empty">{STATUS_TEXT[status]}</p>
      )}
      {/* A re-analysis keeps the stored result in view, marked, until the new one replaces it. */}
      {analysis !== null && job !== null && (
        <p className="previous-result-note" data-testid="analysis-previous">
          Previous result — re-analysis running
        </p>
      )}
      {analysis !== null && (
        <div
          className={job === null ? undefined : 'analysis-previous'}
          data-previous={job !== null}
        >
          <AnalysisSummary analysis={analysis} lesionNavigation={lesionNavigation} />
          <AnalysisImages analysis={analysis} />
        </div>
      )}
    </section>
  );
}

/**
 * A download of the latest analysis's results ("Export results": a ZIP; "DICOM SEG"), or its
 * progress and cancel while it runs.
 */
function DownloadButton({
  exported,
  unavailable,
  label,
  busyLabel,
  title,
  testId,
  cancelLabel,
  cancelTestId,
}: {
  exported: ReturnType<typeof useExportResults>;
  /** Why it cannot run now (shown as its tooltip); null when it can. */
  unavailable: string | null;
  label: string;
  busyLabel: string;
  /** What it downloads (its tooltip when it can run). */
  title: string;
  testId: string;
  cancelLabel: string;
  cancelTestId: string;
}) {
  if (exported.isExporting)
    return (
      <>
        <button type="button" className="button small" disabled aria-busy="true">
          {busyLabel}
        </button>
        <button
          type="button"
          className="button small"
          onClick={exported.cancel}
          data-testid={cancelTestId}
        >
          {cancelLabel}
        </button>
      </>
    );
  return (
    <button
      type="button"
      className="button small"
      disabled={unavailable !== null}
      title={unavailable ?? title}
      onClick={exported.start}
      data-testid={testId}
    >
      {label}
    </button>
  );
}
