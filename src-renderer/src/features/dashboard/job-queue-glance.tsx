import { useEffect, useState } from 'react';
import type { Job } from '../../../../src-shared/contract/entities.js';
import { useApi } from '../../api/api-context.js';
import { errorMessage } from '../../api/client.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { formatDate, jobTypeLabel } from '../../ui/format.js';
import { StatusBadge } from '../../ui/status-badge.js';
import { JobProgress } from '../jobs/job-progress.js';
import { isJobActive, mergeJobs } from '../jobs/jobs-state.js';

const RECENT = 5;

/** Counts per state and the latest jobs, live from job events. */
export function JobQueueGlance({ onOpenJobs }: { onOpenJobs: () => void }) {
  const api = useApi();
  const [jobs, setJobs] = useState<Job[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const stop = api.on('jobs.updated', ({ job }) =>
      setJobs((current) => mergeJobs(current ?? [], [job])),
    );
    const load = (): void => {
      api.call('jobs.list', { limit: 100 }).then(
        (page) => setJobs((current) => mergeJobs(current ?? [], page.items)),
        (failure: unknown) => setError(errorMessage(failure)),
      );
    };
    const stopResync = api.onResync(load);
    load();
    return () => {
      stop();
      stopResync();
    };
  }, [api]);

  const running = jobs?.filter((job) => job.status === 'processing').length ?? 0;
  const waiting = jobs?.filter((job) => job.status === 'pending').length ?? 0;
  const failed = jobs?.filter((job) => job.status === 'failed').length ?? 0;
  const recent = [...(jobs ?? [])]
    .sort((a, b) => Number(isJobActive(b)) - Number(isJobActive(a)))
    .slice(0, RECENT);

  return (
    <section className="panel" aria-labelledby="queue-title" data-testid="job-queue-glance">
      <div className="panel-header">
        <h3 id="queue-title">Job queue</h3>
        <span className="muted" data-testid="job-queue-counts">
          {jobs === null
            ? 'Loading…'
            : `${running} running · ${waiting} waiting · ${failed} failed`}
        </span>
        <span className="spacer" />
        <button type="button" className="button" onClick={onOpenJobs}>
          All jobs
        </button>
      </div>
      <ErrorMessage message={error} />
      {jobs !== null && jobs.length === 0 && (
        <p className="muted panel-empty">No jobs yet. Imports appear here while they run.</p>
      )}
      {recent.length > 0 && (
        <ul className="glance-list">
          {recent.map((job) => (
            <li
              key={job.id}
              className="glance-row"
              data-testid="glance-job"
              data-status={job.status}
            >
              <span className="glance-type">{jobTypeLabel(job.type)}</span>
              <StatusBadge status={job.status} />
              <JobProgress job={job} />
              <span className="muted numeric">{formatDate(job.createdAt)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
