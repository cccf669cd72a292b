import { useState } from 'react';
import type { Report } from '../../../../src-shared/contract/reports.js';
import { STREAM_CONTENT_TYPES } from '../../../../src-shared/contract/streams.js';
import type { Scan } from '../../../../src-shared/contract/entities.js';
import { useApi } from '../../api/api-context.js';
import { errorMessage } from '../../api/client.js';
import { useAsync } from '../../app/use-async.js';
import { useCan } from '../../app/use-permission.js';
import { ConfirmDialog } from '../../ui/confirm-dialog.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { formatDate, plural } from '../../ui/format.js';
import { saveDownload } from '../../ui/save-download.js';
import { downloadFileName } from './report-logic.js';
import { ReportStatusBadge } from './report-status-badge.js';

/**
 * A patient's reports (every version, newest first) with the seed's statistics: scans, with
 * tumour, without, and those not assessed. Open, download, and (admin) delete a scan's report.
 */
export function PatientReports({ patientId, scans }: { patientId: string; scans: Scan[] }) {
  const api = useApi();
  const canDelete = useCan('reports.delete');
  const canWrite = useCan('reports.write');
  const reports = useAsync(
    () => api.call('reports.listForPatient', { patientId }),
    [api, patientId],
  );
  const stats = useAsync(() => api.call('reports.patientStats', { patientId }), [api, patientId]);
  const [error, setError] = useState<string | null>(null);
  const [downloading, setDownloading] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<{ report: Report; busy: boolean } | null>(null);
  const scanName = (scanId: string): string => {
    const scan = scans.find((s) => s.id === scanId);
    return scan === undefined ? 'Scan' : (scan.description ?? scan.modality ?? scan.format);
  };

  async function download(report: Report): Promise<void> {
    setDownloading(report.id);
    setError(null);
    try {
      const { description, data } = await api.stream('reports.pdf', { reportId: report.id });
      saveDownload(downloadFileName(description.fileName, report), data, STREAM_CONTENT_TYPES.pdf);
    } catch (failure) {
      setError(errorMessage(failure));
    } finally {
      setDownloading(null);
    }
  }

  async function remove(report: Report): Promise<void> {
    setDeleting({ report, busy: true });
    try {
      await api.call('reports.delete', { id: report.id });
      setDeleting(null);
      reports.reload();
      stats.reload();
    } catch (failure) {
      setError(errorMessage(failure));
      setDeleting(null);
    }
  }

  const list = reports.data ?? [];
  const versionsOfDeleting =
    deleting === null ? 0 : list.filter((r) => r.scanId === deleting.report.scanId).length;
  const s = stats.data;

  return (
    <section className="panel" aria-labelledby="reports-title" data-testid="patient-reports">
      <h3 id="reports-title">Reports</h3>
      <ErrorMessage message={reports.error ?? stats.error ?? error} />
      {s !== undefined && (
        <dl className="report-stats" data-testid="patient-report-stats">
          <div>
            <dt>Scans</dt>
            <dd data-testid="stat-scans">{s.scans}</dd>
          </div>
          <div>
            <dt>With tumour</dt>
            <dd data-testid="stat-with-tumour">{s.withTumour}</dd>
          </div>
          <div>
            <dt>Without tumour</dt>
            <dd data-testid="stat-without-tumour">{s.withoutTumour}</dd>
          </div>
          <div title="Never analysed, or the model could not read the scan">
            <dt>Not assessed</dt>
            <dd data-testid="stat-not-assessed">{s.notAssessed}</dd>
          </div>
          <div>
            <dt>Reports signed</dt>
            <dd data-testid="stat-signed">
              {s.signedReports} <span className="muted">of {plural(s.reports, 'version')}</span>
            </dd>
          </div>
        </dl>
      )}
      {reports.data !== undefined && list.length === 0 ? (
        <p className="muted panel-empty" data-testid="patient-reports-empty">
          {canWrite
            ? 'No reports yet. Open an analysed scan and choose “Write report”.'
            : 'No reports yet.'}
        </p>
      ) : (
        <div className="table-wrap">
          <table className="table compact" data-testid="patient-reports-table">
            <thead>
              <tr>
                <th scope="col">Scan</th>
                <th scope="col" className="numeric">
                  Version
                </th>
                <th scope="col">Status</th>
                <th scope="col">Signed by</th>
                <th scope="col">Signed at</th>
                <th scope="col" className="actions">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((r) => (
                <tr key={r.id} data-testid="patient-report-row" data-version={r.version}>
                  <td>
                    <a href={`#/reports/${r.id}`} data-testid="patient-report-open">
                      {scanName(r.scanId)}
                    </a>
                    {r.changes !== null && (
                      <div className="cell-sub muted">Amends: {r.changes}</div>
                    )}
                  </td>
                  <td className="numeric">{r.version}</td>
                  <td>
                    <ReportStatusBadge report={r} />
                  </td>
                  <td>{r.signedBy ?? '—'}</td>
                  <td>{formatDate(r.signedAt)}</td>
                  <td className="actions">
                    <button
                      type="button"
                      className="button small"
                      disabled={downloading !== null}
                      onClick={() => void download(r)}
                      data-testid="patient-report-download"
                    >
                      {downloading === r.id ? 'Downloading…' : 'PDF'}
                    </button>
                    {canDelete && (
                      <button
                        type="button"
                        className="button small danger"
                        onClick={() => setDeleting({ report: r, busy: false })}
                        data-testid="patient-report-delete"
                      >
                        Delete
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {deleting !== null && (
        <ConfirmDialog
          title="Delete this report?"
          confirmLabel={`Delete ${plural(versionsOfDeleting, 'version')}`}
          isBusy={deleting.busy}
          onConfirm={() => void remove(deleting.report)}
          onCancel={() => setDeleting(null)}
          testId="confirm-delete-report"
        >
          This deletes the report of {scanName(deleting.report.scanId)} with all its{' '}
          {plural(versionsOfDeleting, 'version')}, signed ones included. The audit log keeps the
          record of the deletion. It cannot be undone.
        </ConfirmDialog>
      )}
    </section>
  );
}
