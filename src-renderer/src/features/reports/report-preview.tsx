import { forwardRef } from 'react';
import { ErrorMessage } from '../../ui/error-message.js';
import type { ReportPdfState } from './use-report-pdf.js';

/** Whether this window shows PDFs itself (Chromium's viewer; off in the desktop app's window). */
export function canShowPdf(): boolean {
  return navigator.pdfViewerEnabled;
}

/**
 * The report as the PDF it is (the same bytes as the download), in a frame from a blob: URL.
 * Where the window has no PDF viewer it says so instead of showing an empty frame.
 */
export const ReportPreview = forwardRef<HTMLIFrameElement, { state: ReportPdfState }>(
  function ReportPreview({ state }, frame) {
    return (
      <section className="panel report-preview" aria-label="PDF preview">
        <div className="panel-header">
          <h3>PDF</h3>
          {state.isLoading && <span className="muted">Making the PDF…</span>}
        </div>
        <ErrorMessage message={state.error} />
        {!canShowPdf() ? (
          <p className="muted" data-testid="report-no-pdf-viewer">
            This window cannot show PDFs. Download the PDF to read or print it; the report’s content
            is summarised on the left.
          </p>
        ) : state.pdf !== null ? (
          <iframe
            ref={frame}
            className="report-pdf"
            src={state.pdf.url}
            title="Report PDF"
            data-testid="report-pdf"
          />
        ) : (
          <div className="report-pdf placeholder" aria-busy={state.isLoading} />
        )}
      </section>
    );
  },
);
