import type { Role } from '../../../src-shared/roles.js';
import { roleOf } from '../auth/principal.js';
import type { HandlerCall } from '../router.js';
import { jobForRole } from './job-view.js';
import type { CallAuditor } from '../audit/call-auditor.js';
import type { HandlerMap } from '../merge-handlers.js';
import type { JobQueue } from './job-queue.js';

type JobMethods = 'jobs.list' | 'jobs.get' | 'jobs.cancel' | 'jobs.retry';

function roleOfCall(call: HandlerCall): Role {
  return call.principal === null ? 'viewer' : roleOf(call.principal);
}

/** The job queue: listing, cancelling and retrying jobs. */
export function createJobsHandlers(deps: {
  jobs: JobQueue;
  record: CallAuditor;
}): HandlerMap<JobMethods> {
  const { jobs, record } = deps;
  return {
    'jobs.list': (input, call) => {
      const page = jobs.list(input);
      const role = roleOfCall(call);
      return { ...page, items: page.items.map((job) => jobForRole(job, role)) };
    },
    'jobs.get': (input, call) => jobForRole(jobs.get(input.id), roleOfCall(call)),
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
