import { useCallback } from 'react';
import { useApi } from '../../api/api-context.js';
import { useAsync } from '../../app/use-async.js';
import { useEventRefresh } from '../../app/use-event-refresh.js';
import { useCan } from '../../app/use-permission.js';
import type { Route } from '../../app/routes.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { formatDate, formatDaysAgo, plural } from '../../ui/format.js';
import { JobQueueGlance } from './job-queue-glance.js';
import { StatCard } from './stat-card.js';

/** The renderer's own time zone: "this month" is the user's month, not the server's. */
function userTimeZone(): string | undefined {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** "since 1 December" in the month's time zone. */
function monthSince(month: { timeZone: string; start: string }): string {
  try {
    const start = new Intl.DateTimeFormat('en-GB', {
      timeZone: month.timeZone,
      day: 'numeric',
      month: 'long',
    }).format(new Date(month.start));
    return `since ${start} (${month.timeZone})`;
  } catch {
    return `since ${formatDate(month.start)}`;
  }
}

/** Patients and studies (not series), studies this month in the user's time zone, tumours. */
export function DashboardPage({ navigate }: { navigate: (route: Route) => void }) {
  const api = useApi();
  const canReadJobs = useCan('jobs.read');
  const canReadPatients = useCan('patients.read');
  const stats = useAsync(() => {
    const timeZone = userTimeZone();
    return api.call('dashboard.stats', timeZone === undefined ? {} : { timeZone });
  }, [api]);
  const reload = useCallback(() => stats.reload(), [stats.reload]);
  useEventRefresh(['scans.changed', 'scans.updated'], reload);
  const s = stats.data;
  const hasAnalyses = s !== undefined && s.studiesAnalysed > 0;

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
          label="Patients"
          value={s?.totalPatients}
          testId="stat-patients"
          {...(canReadPatients && { onOpen: () => navigate({ page: 'patients' }) })}
        />
        <StatCard
          label="Studies"
          value={s?.totalStudies}
          testId="stat-studies"
          note={s === undefined ? undefined : plural(s.totalScans, 'series', 'series')}
          onOpen={() => navigate({ page: 'worklist' })}
        />
        <StatCard
          label="Studies imported this month"
          value={s?.studiesThisMonth}
          testId="stat-studies-this-month"
          note={s === undefined ? undefined : monthSince(s.month)}
        />
        <StatCard
          label="Studies with a tumour found"
          value={s?.studiesWithTumour}
          testId="stat-tumours-detected"
          note={
            s === undefined
              ? undefined
              : hasAnalyses
                ? `of ${plural(s.studiesAnalysed, 'study', 'studies')} with an applicable AI analysis ` +
                  `(${s.tumorPercentage}%) · ${s.patientsWithTumour} of ${plural(s.patientsAnalysed, 'patient')}`
                : 'No study has an applicable AI analysis yet. Open a scan and choose Analyse.'
          }
        />
        <StatCard
          label="Last import"
          value={
            s === undefined
              ? undefined
              : s.lastScanDate === null
                ? 'None yet'
                : formatDate(s.lastScanDate).slice(0, 10)
          }
          testId="stat-last-import"
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
