import { useEffect, useState } from 'react';
import { roleHasPermission, type Role } from '../../../../src-shared/roles.js';
import { useApi } from '../../api/api-context.js';
import { hashFor, isSection, mayOpen, type ListPage, type Route } from '../../app/routes.js';
import { isJobActive } from '../jobs/jobs-state.js';

const NAV: ReadonlyArray<{ page: ListPage; label: string }> = [
  { page: 'dashboard', label: 'Dashboard' },
  { page: 'worklist', label: 'Worklist' },
  { page: 'patients', label: 'Patients' },
  { page: 'import', label: 'Import' },
  { page: 'query', label: 'Query' },
  { page: 'jobs', label: 'Jobs' },
  { page: 'settings', label: 'Settings' },
  { page: 'accounts', label: 'Accounts' },
  { page: 'my-patients', label: 'Your patients' },
  { page: 'connect', label: 'Connect a doctor' },
  { page: 'audit', label: 'Audit' },
  { page: 'dental', label: 'Dental' },
];

/** How many jobs are running or waiting, kept current from job events. */
function useActiveJobCount(isAllowed: boolean): number {
  const api = useApi();
  const [active, setActive] = useState<ReadonlyMap<string, boolean>>(new Map());
  useEffect(() => {
    if (!isAllowed) return;
    const load = (): void => {
      api.call('jobs.list', { limit: 100 }).then(
        (page) => setActive(new Map(page.items.map((job) => [job.id, isJobActive(job)]))),
        () => undefined,
      );
    };
    const stop = api.on('jobs.updated', ({ job }) =>
      setActive((current) => new Map(current).set(job.id, isJobActive(job))),
    );
    const stopResync = api.onResync(load);
    load();
    return () => {
      stop();
      stopResync();
    };
  }, [api, isAllowed]);
  return [...active.values()].filter(Boolean).length;
}

/** The pages this role may open; the others are not shown at all. */
export function MainNav({ route, role }: { route: Route; role: Role }) {
  const activeJobs = useActiveJobCount(roleHasPermission(role, 'jobs.read'));
  return (
    <nav className="nav" aria-label="Main">
      {NAV.filter((item) => mayOpen(role, item.page)).map((item) => (
        <a
          key={item.page}
          href={hashFor({ page: item.page })}
          className="nav-link"
          aria-current={isSection(route, item.page) ? 'page' : undefined}
          data-testid={`nav-${item.page}`}
        >
          {item.label}
          {item.page === 'jobs' && activeJobs > 0 && (
            <span
              className="nav-count"
              data-testid="nav-active-jobs"
              aria-label={`${activeJobs} running`}
            >
              {activeJobs}
            </span>
          )}
        </a>
      ))}
    </nav>
  );
}
