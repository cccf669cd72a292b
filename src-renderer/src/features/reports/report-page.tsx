import { useEffect, useRef, useState } from 'react';
import type { Report } from '../../../../src-shared/contract/reports.js';
import { STREAM_CONTENT_TYPES } from '../../../../src-shared/contract/streams.js';
import { useApi, useSession } from '../../api/api-context.js';
import { errorMessage } from '../../api/client.js';
import { setLeaveGuard } from '../../app/leave-guard.js';
import { useAsync } from '../../app/use-async.js';
import { useCan } from '../../app/use-permission.js';
import type { Route } from '../../app/routes.js';
import { ConfirmDialog } from '../../ui/confirm-dialog.js';
import { EmptyState } from '../../ui/empty-state.js';
import { ErrorMessage } from '../../ui/error-message.js';
import { formatDate } from '../../ui/format.js';
import { saveDownload } from '../../ui/save-download.js';
import { AmendDialog } from './amend-dialog.js';
import { ReportEditor, type SaveState } from './report-editor.js';
import {
  amendBlockedReason,
  dicomBlockedReason,
  downloadFileName,
  editBlockedReason,
  isDirty,
  signBlockedReason,
  statusLine,
  type ReportTexts,
} from './report-logic.js';
import { canShowPdf, ReportPreview } from './report-preview.js';
import { ReportStatusBadge } from './report-status-badge.js';
import { ReportSummary } from './report-summary.js';
import { ReportVersions } from './report-versions.js';
import { useReportDicom } from './use-report-dicom.js';
import { useReportPdf } from './use-report-pdf.js';

const LEAVE_QUESTION = 'The report has unsaved changes. Leave the page and lose them?';

/**
 * One version of a scan's report: the PDF as it will be printed, the radiologist's findings
 * and impression (drafts only), signing, amending, the version history, download and print.
 */
export function ReportPage({
  reportId,
  navigate,
}: {
  reportId: string;
  navigate: (route: Route) => void;
}) {
  const api = useApi();
  const session = useSession();
  const permissions = {
    role: session?.user.role ?? 'unknown',
    canWrite: useCan('reports.write'),
    canSign: useCan('reports.sign'),
  };
  const loaded = useAsync(() => api.call('reports.get', { id: reportId }), [api, reportId]);
  const [report, setReport] = useState<Report | null>(null);
  const [texts, setTexts] = useState<ReportTexts>({ findings: '', impression: '' });
  const [saveState, setSaveState] = useState<SaveState>({ kind: 'saved' });
  const [actionError, setActionError] = useState<string | null>(null);
  const [isSigning, setIsSigning] = useState<'asking' | 'busy' | null>(null);
  const [amending, setAmending] = useState<{ busy: boolean; error: string | null } | null>(null);
  const frame = useRef<HTMLIFrameElement>(null);

  useEffect(() => {
    if (loaded.data === undefined) return;
    setReport(loaded.data);
    setTexts({ findings: loaded.data.findings, impression: loaded.data.impression });
    setSaveState({ kind: 'saved' });
  }, [loaded.data]);

  const scanId = report?.scanId ?? null;
  const detail = useAsync(
    () => (scanId === null ? Promise.resolve(undefined) : api.call('scans.get', { id: scanId })),
    [api, scanId],
  );
  const analysis = useAsync(
    () => (scanId === null ? Promise.resolve(undefined) : api.call('analysis.get', { scanId })),
    [api, scanId],
  );
  const versions = useAsync(
    () => (scanId === null ? Promise.resolve([]) : api.call('reports.listForScan', { scanId })),
    [api, scanId, report?.updatedAt, report?.status],
  );
  const pdf = useReportPdf(reportId, report === null ? null : `${report.updatedAt}`);
  const dicom = useReportDicom(report);

  const dirty = report !== null && isDirty(report, texts);
  useEffect(() => {
    setLeaveGuard(dirty ? LEAVE_QUESTION : null);
    return () => setLeaveGuard(null);
  }, [dirty]);

  if (loaded.error !== null)
    return (
      <section className="page-section" data-testid="report-page">
        <EmptyState title="This report cannot be shown." testId="report-missing">
          <ErrorMessage message={loaded.error} />
          <p>
            <a href="#/worklist">Back to the worklist</a>
          </p>
        </EmptyState>
      </section>
    );
  if (report === null) return <div className="table-placeholder">Opening the report…</div>;

  const shown = report;
  const editReason = editBlockedReason(shown, permissions);
  const signReason = signBlockedReason(shown, permissions, texts.impression);
  const amendReason = amendBlockedReason(shown, permissions);
  const scan = detail.data?.scan;
  const dicomReason = dicomBlockedReason(shown, analysis.data, dirty);
  const printReason = !canShowPdf()
    ? 'This window cannot show PDFs: download the PDF and print it from a PDF reader.'
    : pdf.pdf === null
      ? 'The PDF is not ready yet.'
      : dirty
        ? 'Save your changes first: the PDF shows the saved text.'
        : null;

  async function save(): Promise<Report | null> {
    if (!isDirty(shown, texts)) return shown;
    setSaveState({ kind: 'saving' });
    try {
      const saved = await api.call('reports.update', {
        id: shown.id,
        findings: texts.findings,
        impression: texts.impression,
      });
      setReport(saved);
      setSaveState({ kind: 'saved' });
      return saved;
    } catch (failure) {
      setSaveState({ kind: 'failed', message: errorMessage(failure) });
      return null;
    }
  }

  async function sign(): Promise<void> {
    setIsSigning('busy');
    setActionError(null);
    try {
      // The signature covers what is on screen: pending edits are saved first.
      const saved = await save();
      if (saved === null) return;
      const signed = await api.call('reports.sign', { id: saved.id });
      setReport(signed);
      setTexts({ findings: signed.findings, impression: signed.impression });
    } catch (failure) {
      setActionError(errorMessage(failure));
    } finally {
      setIsSigning(null);
    }
  }

  async function amend(changes: string): Promise<void> {
    setAmending({ busy: true, error: null });
    try {
      const next = await api.call('reports.amend', { id: shown.id, changes });
      setAmending(null);
      navigate({ page: 'report', id: next.id });
    } catch (failure) {
      setAmending({ busy: false, error: errorMessage(failure) });
    }
  }

  function download(): void {
    if (pdf.pdf === null) return;
    saveDownload(
      downloadFileName(pdf.pdf.fileName, shown),
      pdf.pdf.bytes,
      STREAM_CONTENT_TYPES.pdf,
    );
  }

  function print(): void {
    frame.current?.contentWindow?.focus();
    frame.current?.contentWindow?.print();
  }

  return (
    <section className="report-page" data-testid="report-page" aria-labelledby="report-title">
      <header className="scan-title report-title">
        <a href={`#/scans/${shown.scanId}`} className="button small" data-testid="report-scan-link">
          ← Scan
        </a>
        <div className="report-heading">
          <h2 id="report-title" data-testid="report-title">
            Report · {scan?.patientName ?? (scan === undefined ? '…' : 'Unknown patient')}
          </h2>
          <span className="muted" data-testid="report-status-line">
            Version {shown.version} · {statusLine(shown, formatDate)}
          </span>
        </div>
        <ReportStatusBadge report={shown} testId="report-status" />
        <span className="spacer" />
        {scan !== undefined && scan.patientId !== null && (
          <a
            className="button"
            href={`#/patients/${scan.patientId}`}
            data-testid="report-patient-link"
          >
            Patient
          </a>
        )}
        <button
          type="button"
          className="button"
          disabled={pdf.pdf === null}
          title={pdf.pdf === null ? 'The PDF is not ready yet.' : undefined}
          onClick={download}
          data-testid="report-download"
        >
          Download PDF
        </button>
        <button
          type="button"
          className="button"
          disabled={dicomReason !== null || dicom.isBusy}
          aria-busy={dicom.isBusy}
          title={
            dicomReason ??
            "The segmentation (DICOM SEG), outline overlays and this version's PDF as DICOM, in the scan's study, as one ZIP for the PACS"
          }
          onClick={dicom.start}
          data-testid="report-download-dicom"
        >
          {dicom.isBusy ? 'Preparing DICOM…' : 'Download DICOM for PACS'}
        </button>
        <button
          type="button"
          className="button"
          disabled={printReason !== null}
          title={printReason ?? undefined}
          onClick={print}
          data-testid="report-print"
        >
          Print
        </button>
        {shown.status === 'final' ? (
          <button
            type="button"
            className="button"
            disabled={amendReason !== null}
            title={amendReason ?? undefined}
            onClick={() => setAmending({ busy: false, error: null })}
            data-testid="report-amend"
          >
            Amend…
          </button>
        ) : (
          <button
            type="button"
            className="button primary"
            disabled={signReason !== null || isSigning !== null}
            title={signReason ?? undefined}
            onClick={() => setIsSigning('asking')}
            data-testid="report-sign"
          >
            Sign…
          </button>
        )}
      </header>
      {shown.supersededBy !== null && (
        <p className="notice" data-testid="report-superseded">
          A newer version replaces this one.{' '}
          <a href={`#/reports/${shown.supersededBy}`}>Open the newest version</a>
        </p>
      )}
      <ErrorMessage message={actionError ?? dicom.error} />
      {dicom.notes !== null && (
        <p className="muted export-notes" role="status" data-testid="report-dicom-notes">
          {dicom.notes}
        </p>
      )}
      <div className="report-layout">
        <div className="report-main">
          <ReportEditor
            report={shown}
            texts={texts}
            onChange={(next) => {
              setTexts(next);
              setSaveState(isDirty(shown, next) ? { kind: 'unsaved' } : { kind: 'saved' });
            }}
            onSave={() => void save()}
            saveState={saveState}
            savedAt={formatDate(shown.updatedAt)}
            readOnlyReason={editReason}
          />
          <ReportSummary report={shown} detail={detail.data} analysis={analysis.data} />
          <ReportVersions versions={versions.data ?? [shown]} shownId={shown.id} />
        </div>
        <ReportPreview ref={frame} state={pdf} />
      </div>
      {isSigning !== null && (
        <ConfirmDialog
          title={`Sign version ${shown.version}?`}
          confirmLabel="Sign report"
          isBusy={isSigning === 'busy'}
          onConfirm={() => void sign()}
          onCancel={() => setIsSigning(null)}
          testId="confirm-sign"
        >
          You sign as {session?.user.displayName ?? session?.user.username}, now. A signed report
          cannot be changed: corrections are made by amendment, as a new version that names what it
          changes.
          {dirty && ' Your unsaved changes are saved first.'}
        </ConfirmDialog>
      )}
      {amending !== null && (
        <AmendDialog
          version={shown.version}
          isBusy={amending.busy}
          error={amending.error}
          onAmend={(changes) => void amend(changes)}
          onCancel={() => setAmending(null)}
        />
      )}
    </section>
  );
}
