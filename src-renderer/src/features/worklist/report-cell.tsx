import type { ReportText } from './report-status.js';

/** The report state in a cell: coloured by state, the signer and date (or counts) on hover. */
export function ReportCell({ report }: { report: ReportText }) {
  return (
    <span
      className={`report-state report-${report.tone}${report.title === null ? '' : ' has-title'}`}
      title={report.title ?? undefined}
      data-testid="report-state"
      data-state={report.tone}
    >
      {report.text}
    </span>
  );
}
