import type { CallAuditor as AuditRecorder } from '../audit/call-auditor.js';
import type { ReportContent } from '../reports/report-content.js';
import { reportPdfOf } from '../reports/report-pdf.js';
import type { ReportsService } from '../reports/reports-service.js';
import type { StreamHandlers } from './stream-types.js';

/** A report version as PDF (the report page's preview and download, any HTTP client). */
export function createReportStreamHandlers(deps: {
  reports: ReportsService;
  reportContent: ReportContent;
  record: AuditRecorder;
}): Pick<StreamHandlers, 'reports.pdf'> {
  return {
    'reports.pdf': async ({ reportId }, call) => {
      const report = deps.reports.get(reportId);
      const pdf = await reportPdfOf(deps.reportContent, report);
      // The document leaves the app here: audited as an export of that version.
      deps.record(call, 'reports.export', reportId, {
        fileName: pdf.fileName,
        version: report.version,
        status: report.status,
      });
      return {
        description: { fileName: pdf.fileName, status: report.status, version: report.version },
        data: pdf.bytes,
        filename: pdf.fileName,
      };
    },
  };
}
