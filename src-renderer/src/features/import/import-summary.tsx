import type { ImportReport, Job } from '../../../../src-shared/contract/entities.js';
import { plural } from '../../ui/format.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { StatusBadge } from '../../ui/status-badge.js';
import { patientText, seriesText, useScanLabels } from '../worklist/scan-labels.js';
import { importOutcome } from './import-outcome.js';
import { displayPath, type LocalRejection } from './upload-plan.js';

const SHOWN_REJECTIONS = 50;
const SHOWN_SCANS = 20;

/** What was imported, skipped as duplicate, and rejected with the reason for each. */
export function ImportSummary(props: {
  job: Job | null;
  report: ImportReport | null;
  message: string | null;
  localRejections: readonly LocalRejection[];
  stagingRoot: string | null;
  onOpenWorklist: () => void;
  onImportMore: () => void;
}) {
  const { job, report } = props;
  const rejected = [
    ...props.localRejections,
    ...(report?.items ?? [])
      .filter((item) => item.status === 'rejected')
      .map((item) => ({
        path: displayPath(item.path, props.stagingRoot),
        reason: item.reason ?? 'Rejected.',
      })),
  ];
  const outcome = importOutcome(job, report, props.localRejections.length);
  const scanIds = report?.scanIds ?? [];
  const labels = useScanLabels(scanIds.slice(0, SHOWN_SCANS));
  return (
    <section
      className={`panel import-summary tone-${outcome.tone}`}
      data-testid="import-summary"
      data-status={job?.status ?? 'none'}
      data-tone={outcome.tone}
      aria-labelledby="summary-title"
    >
      <div className="panel-header">
        <h3 id="summary-title">{outcome.title}</h3>
        {job !== null && outcome.tone !== 'warning' && (
          <StatusBadge status={job.status} testId="import-summary-status" />
        )}
        {job !== null && outcome.tone === 'warning' && (
          <span className="status-badge status-cancelled" data-testid="import-summary-status">
            Nothing new
          </span>
        )}
        <span className="spacer" />
        {report !== null && report.imported > 0 && (
          <button
            type="button"
            className="button primary"
            onClick={props.onOpenWorklist}
            data-testid="import-open-worklist"
          >
            Open the worklist
          </button>
        )}
        <button
          type="button"
          className="button"
          onClick={props.onImportMore}
          data-testid="import-more"
        >
          Import more
        </button>
      </div>
      <ErrorMessage
        message={props.message ?? (job?.status === 'failed' ? (job.error?.message ?? null) : null)}
      />
      {outcome.explanation !== null && (
        <p className="summary-warning" data-testid="import-summary-explanation">
          {outcome.explanation}
        </p>
      )}
      {job?.status === 'cancelled' && (
        <p className="muted">
          Files imported before the cancel were kept; the rest were not read. Retry it on the Jobs
          page.
        </p>
      )}
      {report !== null && (
        <dl className="summary-counts">
          <div data-testid="summary-imported">
            <dt>Imported</dt>
            <dd>{report.imported}</dd>
          </div>
          <div data-testid="summary-duplicates">
            <dt>Duplicates (skipped)</dt>
            <dd>{report.duplicates}</dd>
          </div>
          <div data-testid="summary-rejected">
            <dt>Rejected</dt>
            <dd>{report.rejected + props.localRejections.length}</dd>
          </div>
          <div data-testid="summary-scans">
            <dt>Scans</dt>
            <dd>{report.scanIds.length}</dd>
          </div>
        </dl>
      )}
      {scanIds.length > 0 && (
        <div className="summary-scans">
          <h4>{plural(scanIds.length, 'scan', 'scans')} from this import</h4>
          <ul data-testid="summary-scan-links">
            {scanIds.slice(0, SHOWN_SCANS).map((id) => {
              const label = labels.get(id);
              return (
                <li key={id}>
                  <a href={`#/scans/${id}`} data-testid="summary-scan-link" data-scan-id={id}>
                    {label === undefined ? 'Open the scan' : seriesText(label)}
                  </a>
                  {label !== undefined && <span className="muted"> · {patientText(label)}</span>}
                </li>
              );
            })}
          </ul>
          {scanIds.length > SHOWN_SCANS && (
            <p className="muted">…and {scanIds.length - SHOWN_SCANS} more in the worklist.</p>
          )}
        </div>
      )}
      {rejected.length > 0 && (
        <div className="rejections">
          <h4>{plural(rejected.length, 'file was', 'files were')} not imported</h4>
          <ul data-testid="summary-rejections">
            {rejected.slice(0, SHOWN_REJECTIONS).map((item, i) => (
              <li key={`${item.path}-${i}`}>
                <span className="mono">{item.path}</span>: {item.reason}
              </li>
            ))}
          </ul>
          {rejected.length > SHOWN_REJECTIONS && (
            <p className="muted">
              …and {rejected.length - SHOWN_REJECTIONS} more; the Jobs page has the full report.
            </p>
          )}
        </div>
      )}
    </section>
  );
}
