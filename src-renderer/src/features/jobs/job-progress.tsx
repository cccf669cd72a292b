import type { Job } from '../../../../src-shared/contract/entities.js';
import { fileCountsOf, formatEta, formatPercent, jobTypeLabel } from '../../ui/format.js';
import { ProgressBar } from '../../ui/progress-bar.js';
import { isJobActive } from './jobs-state.js';

/** Progress bar, percentage, stage, file counts and time remaining of one job. */
export function JobProgress({ job }: { job: Job }) {
  const counts = fileCountsOf(job.stage);
  // The stage and ETA describe work in progress; once a job has ended they would only mislead.
  const detail = isJobActive(job)
    ? [job.stage, formatEta(job.etaSeconds)]
        .filter((part) => part !== null && part !== '')
        .join(' · ')
    : '';
  return (
    <div
      className="job-progress"
      data-testid="job-progress"
      data-progress={job.progress}
      data-files-done={counts?.done}
      data-files-total={counts?.total}
    >
      <ProgressBar
        progress={job.progress}
        status={job.status}
        label={`${jobTypeLabel(job.type)} progress`}
      />
      <span className="progress-text">
        {formatPercent(job.progress)}
        {detail !== '' && <span className="muted"> · {detail}</span>}
      </span>
    </div>
  );
}
