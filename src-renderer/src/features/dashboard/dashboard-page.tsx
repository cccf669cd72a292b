import { useCallback } from 'react';
import { useApi } from '../../api/api-context.js';
import { useAsync } from '../../app/use-async.js';
import { useEventRefresh } from '../../app/use-event-refresh.js';
import { useCan } from '../../app/use-permission.js';
import type { Route } from '../../app/routes.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { formatDate, formatDaysAgo } from '../../ui/format.js';
import { JobQueueGlance } from './job-queue-glance.js';
import { StatCard } from './stat-card.js';

/** The seed document's statistics and the job queue at a glance. */
export function DashboardPage({ navigate }: { navigate: (route: Route) => void }) {
  const api = useApi();
  const canReadJobs = useCan('jobs.read');
  const stats = useAsync(() => api.call('dashboard.stats', {}), [api]);
  const reload = useCallback(() => stats.reload(), [stats.reload]);
  useEventRefresh(['scans.changed', 'scans.updated'], reload);
  const s = stats.data;
  const hasAnalyses = s !== undefined && s.analysedScans > 0;

  return (
    <section
      className="page-section"
      data-testid="dashboard-page"
      aria-labelledby="dashboard-title"
    >
      <div className="toolbar">
        <h2 id="dashboard-title">Dashboard</h2>
      </div>
      <ErrorMessage message={stats.error} />
      <div className="stat-grid" aria-busy={stats.isLoading}>
        <StatCard
          label="Total scans"
          value={s?.totalScans}
          testId="stat-total-scans"
          onOpen={() => navigate({ page: 'worklist' })}
        />
        <StatCard
          label="Scans this month"
          value={s?.scansThisMonth}
          testId="stat-scans-this-month"
        />
        <StatCard
          label="Tumours detected"
          value={s?.tumorsDetected}
          testId="stat-tumours-detected"
          note={
            s === undefined
              ? undefined
              : hasAnalyses
                ? `of ${s.analysedScans} analysed scans`
                : 'No scan has been analysed yet. Open a scan and choose Analyse.'
          }
        />
        <StatCard
          label="Tumour percentage"
          value={s === undefined ? undefined : `${s.tumorPercentage}%`}
          testId="stat-tumour-percentage"
          note={s === undefined ? undefined : 'of all scans'}
        />
        <StatCard
          label="Last scan"
          value={
            s === undefined
              ? undefined
              : s.lastScanDate === null
                ? 'None yet'
                : formatDate(s.lastScanDate).slice(0, 10)
          }
          testId="stat-last-scan"
          note={
            s === undefined
              ? undefined
              : s.lastScanDate === null
                ? 'Import DICOM folders or images to start.'
                : formatDaysAgo(s.lastScanDaysAgo)
          }
        />
      </div>
      {canReadJobs && <JobQueueGlance onOpenJobs={() => navigate({ page: 'jobs' })} />}
    </section>
  );
}
