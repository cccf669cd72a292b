import type { CallAuditor } from '../audit/call-auditor.js';
import type { HandlerMap } from '../merge-handlers.js';
import type { JobQueue } from './job-queue.js';

type JobMethods = 'jobs.list' | 'jobs.get' | 'jobs.cancel' | 'jobs.retry';

/** The job queue: listing, cancelling and retrying jobs. */
export function createJobsHandlers(deps: {
  jobs: JobQueue;
  record: CallAuditor;
}): HandlerMap<JobMethods> {
  const { jobs, record } = deps;
  return {
    'jobs.list': (input) => jobs.list(input),
    'jobs.get': (input) => jobs.get(input.id),
    'jobs.cancel': (input, call) => {
      const job = jobs.cancel(input.id);
      record(call, 'jobs.cancel', input.id);
      return job;
    },
    'jobs.retry': (input, call) => {
      const job = jobs.retry(input.id);
      record(call, 'jobs.retry', input.id);
      return job;
    },
  };
}
