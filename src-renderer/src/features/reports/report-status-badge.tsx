import type { Report } from '../../../../src-shared/contract/reports.js';

/** Draft, Signed, or "Signed, amended" (a final version a newer one replaces). */
export function ReportStatusBadge({ report, testId }: { report: Report; testId?: string }) {
  const label =
    report.status === 'draft'
      ? 'Draft'
      : report.supersededBy === null
        ? 'Signed'
        : 'Signed, amended';
  const tone =
    report.status === 'draft' ? 'draft' : report.supersededBy === null ? 'signed' : 'amended';
  return (
    <span
      className={`status-badge report-${tone}`}
      data-testid={testId}
      data-status={report.status}
    >
      {label}
    </span>
  );
}
