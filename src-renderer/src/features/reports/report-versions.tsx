import type { Report } from '../../../../src-shared/contract/reports.js';
import { formatDate } from '../../ui/format.js';
import { ReportStatusBadge } from './report-status-badge.js';

/** Every version of the scan's report, newest first, with what each amendment changed. */
export function ReportVersions({ versions, shownId }: { versions: Report[]; shownId: string }) {
  return (
    <section className="panel" aria-labelledby="report-versions-title">
      <h3 id="report-versions-title" className="panel-header">
        Version history
      </h3>
      <ol className="version-list" data-testid="report-versions">
        {versions.map((v) => (
          <li
            key={v.id}
            className={v.id === shownId ? 'current' : undefined}
            data-testid="report-version"
            data-version={v.version}
            data-status={v.status}
          >
            <div className="version-head">
              {v.id === shownId ? (
                <strong>Version {v.version}</strong>
              ) : (
                <a href={`#/reports/${v.id}`}>Version {v.version}</a>
              )}
              <ReportStatusBadge report={v} />
            </div>
            <div className="cell-sub muted">
              {v.status === 'final'
                ? `Signed by ${v.signedBy ?? 'unknown'} · ${formatDate(v.signedAt)}`
                : `Started by ${v.createdBy ?? 'unknown'} · ${formatDate(v.createdAt)}`}
            </div>
            {v.changes !== null && <div className="version-changes">Amends: {v.changes}</div>}
          </li>
        ))}
      </ol>
    </section>
  );
}
