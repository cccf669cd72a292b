import { useCallback, useEffect, useState } from 'react';
import type { Job } from '../../../../src-shared/contract/entities.js';
import { roleHasPermission } from '../../../../src-shared/roles.js';
import { useApi, useSession } from '../../api/api-context.js';
import { errorMessage } from '../../api/client.js';
import { EmptyState } from '../../ui/empty-state.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { formatDate, jobTypeLabel } from '../../ui/format.js';
import { JobProgress } from './job-progress.js';
import { StatusBadge } from '../../ui/status-badge.js';
import type { ScanLabel } from '../../../../src-shared/contract/worklist.js';
import { patientText, seriesText, useScanLabels } from '../worklist/scan-labels.js';
import { canRetryJob, isJobActive, jobSubject, mergeJobs, scanIdsOfJob } from './jobs-state.js';

/** How many of an import's scans are named to find its patients (the rest only counted). */
const NAMED_SCANS_PER_IMPORT = 5;

const JOB_LIMIT = 100;

/** The queue runs the highest waiting priority first; most work is Normal (MEDIUM). */
const PRIORITY_LABELS: Readonly<Record<Job['priority'], string>> = {
  LOW: 'Low',
  MEDIUM: 'Normal',
  HIGH: 'High',
};

/** What the job works on: the scan (series and description) and its patient (name and ID). */
function JobSubject({ job, labels }: { job: Job; labels: ReadonlyMap<string, ScanLabel> }) {
  const subject = jobSubject(job);
  const scans = scanIdsOfJob(job);
  const named = scans.flatMap((id) => labels.get(id) ?? []);
  const patients = [...new Set(named.map(patientText))];
  const scanLabel = subject.scanId === null ? undefined : labels.get(subject.scanId);
  return (
    <>
      {subject.scanId === null ? (
        <span title={subject.text}>{subject.text}</span>
      ) : (
        <a href={`#/scans/${subject.scanId}`} data-testid="job-scan">
          {scanLabel === undefined ? subject.text : seriesText(scanLabel)}
        </a>
      )}
      {patients.length > 0 && (
        <div className="cell-sub muted" data-testid="job-patient" title={patients.join('; ')}>
          {job.type === 'import.files'
            ? `${scans.length === 1 ? '1 scan' : `${scans.length} scans`} · `
            : ''}
          {patients.join('; ')}
        </div>
      )}
    </>
  );
}

export function JobsPage() {
  const api = useApi();
  const session = useSession();
  const canManage = session !== null && roleHasPermission(session.user.role, 'jobs.manage');
  const [jobs, setJobs] = useState<Job[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);

  const load = useCallback(() => {
    api.call('jobs.list', { limit: JOB_LIMIT }).then(
      (page) => {
        setJobs((current) => mergeJobs(current ?? [], page.items, JOB_LIMIT));
        setError(null);
      },
      (failure: unknown) => setError(errorMessage(failure)),
    );
  }, [api]);

  useEffect(() => {
    // Subscribe before loading, so no update between the two is lost; mergeJobs keeps the newest.
    const stopUpdates = api.on('jobs.updated', ({ job }) =>
      setJobs((current) => mergeJobs(current ?? [], [job], JOB_LIMIT)),
    );
    const stopResync = api.onResync(load);
    load();
    return () => {
      stopUpdates();
      stopResync();
    };
  }, [api, load]);

  const labels = useScanLabels(
    (jobs ?? []).flatMap((job) => scanIdsOfJob(job).slice(0, NAMED_SCANS_PER_IMPORT)),
  );

  async function act(job: Job, action: 'jobs.cancel' | 'jobs.retry'): Promise<void> {
    setBusyId(job.id);
    try {
      const updated = await api.call(action, { id: job.id });
      setJobs((current) => mergeJobs(current ?? [], [updated], JOB_LIMIT));
      setError(null);
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setBusyId(null);
    }
  }

  return (
    <section className="page-section" data-testid="jobs-page" aria-labelledby="jobs-title">
      <div className="toolbar">
        <h2 id="jobs-title">Jobs</h2>
        <span className="spacer" />
        <button type="button" className="button" onClick={load} data-testid="jobs-refresh">
          Refresh
        </button>
      </div>
      <ErrorMessage message={error} />
      {jobs === null && error === null && <p className="muted">Loading jobs…</p>}
      {jobs !== null && jobs.length === 0 && (
        <EmptyState title="No jobs yet." testId="jobs-empty">
          Imports and analyses appear here while they run. Start one from Import.
        </EmptyState>
      )}
      {jobs !== null && jobs.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="jobs-table">
            <thead>
              <tr>
                <th scope="col">Job</th>
                <th scope="col">Subject</th>
                <th scope="col">Status</th>
                <th scope="col">Priority</th>
                <th scope="col" className="wide">
                  Progress
                </th>
                <th scope="col">Started</th>
                <th scope="col">Finished</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {jobs.map((job) => (
                <tr
                  key={job.id}
                  data-testid="job-row"
                  data-job-id={job.id}
                  data-status={job.status}
                >
                  <td>{jobTypeLabel(job.type)}</td>
                  <td className="subject">
                    <JobSubject job={job} labels={labels} />
                  </td>
                  <td>
                    <StatusBadge status={job.status} testId="job-status" />
                  </td>
                  <td>
                    <span
                      className={`priority priority-${job.priority.toLowerCase()}`}
                      data-testid="job-priority"
                    >
                      {PRIORITY_LABELS[job.priority]}
                    </span>
                  </td>
                  <td>
                    <JobProgress job={job} />
                    {job.error !== null && job.status !== 'cancelled' && (
                      <p className="row-error" data-testid="job-error">
                        {job.error.message}
                      </p>
                    )}
                  </td>
                  <td>{formatDate(job.startedAt ?? job.createdAt)}</td>
                  <td>{formatDate(job.finishedAt)}</td>
                  <td className="actions">
                    {canManage && isJobActive(job) && (
                      <button
                        type="button"
                        className="button danger"
                        disabled={busyId === job.id}
                        onClick={() => void act(job, 'jobs.cancel')}
                        data-testid="job-cancel"
                      >
                        Cancel
                      </button>
                    )}
                    {canManage && canRetryJob(job) && (
                      <button
                        type="button"
                        className="button"
                        disabled={busyId === job.id}
                        onClick={() => void act(job, 'jobs.retry')}
                        data-testid="job-retry"
                      >
                        Retry
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
