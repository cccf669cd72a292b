import type { Job } from '../../../../src-shared/contract/entities.js';
import { fileCountsOf, formatBytes, formatEta, formatPercent } from '../../ui/format.js';
import { ProgressBar } from '../../ui/progress-bar.js';
import type { UploadProgress } from './use-upload-import.js';

function CancelButton(props: { isCancelling: boolean; onCancel: () => void; label: string }) {
  return (
    <button
      type="button"
      className="button danger"
      disabled={props.isCancelling}
      onClick={props.onCancel}
      data-testid="import-cancel"
    >
      {props.isCancelling ? 'Cancelling…' : props.label}
    </button>
  );
}

/** Phase 1: sending the files to the workstation. */
export function UploadProgressPanel(props: {
  progress: UploadProgress;
  isCancelling: boolean;
  onCancel: () => void;
}) {
  const { progress } = props;
  const fraction = progress.bytesTotal === 0 ? 0 : progress.bytesSent / progress.bytesTotal;
  return (
    <section className="panel" data-testid="upload-progress" aria-labelledby="upload-title">
      <div className="panel-header">
        <h3 id="upload-title">Uploading</h3>
        <span className="spacer" />
        <CancelButton
          isCancelling={props.isCancelling}
          onCancel={props.onCancel}
          label="Cancel upload"
        />
      </div>
      <ProgressBar progress={fraction} status="processing" label="Upload progress" />
      <p className="progress-caption" data-testid="upload-counts">
        {formatPercent(fraction)} · {progress.filesDone} of {progress.filesTotal} files ·{' '}
        {formatBytes(progress.bytesSent)} of {formatBytes(progress.bytesTotal)}
        {progress.etaSeconds !== null &&
          progress.etaSeconds > 0 &&
          ` · ${formatEta(progress.etaSeconds)}`}
      </p>
    </section>
  );
}

/** Phase 2: the import job reads, checks and stores the files. */
export function ImportJobPanel(props: { job: Job; isCancelling: boolean; onCancel: () => void }) {
  const { job } = props;
  const counts = fileCountsOf(job.stage);
  return (
    <section
      className="panel"
      data-testid="import-job-progress"
      data-job-id={job.id}
      data-status={job.status}
      data-files-done={counts?.done ?? 0}
      aria-labelledby="import-job-title"
    >
      <div className="panel-header">
        <h3 id="import-job-title">Importing</h3>
        <span className="spacer" />
        <CancelButton
          isCancelling={props.isCancelling}
          onCancel={props.onCancel}
          label="Cancel import"
        />
      </div>
      <ProgressBar
        progress={job.progress}
        status={job.status}
        label="Import progress"
        testId="import-job-bar"
      />
      <p className="progress-caption" data-testid="import-job-counts">
        {formatPercent(job.progress)}
        {counts !== null
          ? ` · ${counts.done} of ${counts.total} files`
          : job.status === 'pending'
            ? ' · Waiting to start'
            : ''}
        {job.etaSeconds !== null && ` · ${formatEta(job.etaSeconds)}`}
        {counts === null && job.stage !== null && ` · ${job.stage}`}
      </p>
    </section>
  );
}
