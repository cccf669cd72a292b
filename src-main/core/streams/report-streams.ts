import {
  reportDocumentTitle,
  type ReportDicomDescription,
} from '../../../src-shared/contract/report-dicom.js';
import type { CallAuditor as AuditRecorder } from '../audit/call-auditor.js';
import type { DicomResultsService } from '../exports/dicom/dicom-results-service.js';
import { dicomResultsZip } from '../exports/dicom/dicom-results-zip.js';
import type { ReportContent } from '../reports/report-content.js';
import { reportPdfOf } from '../reports/report-pdf.js';
import type { ReportsService } from '../reports/reports-service.js';
import type { StreamHandlers } from './stream-types.js';

/** A report version as PDF (the report page's preview and download, any HTTP client). */
export function createReportStreamHandlers(deps: {
  reports: ReportsService;
  reportContent: ReportContent;
  dicomResults: DicomResultsService;
  record: AuditRecorder;
}): Pick<StreamHandlers, 'reports.pdf' | 'reports.dicom'> {
  return {
    'reports.pdf': async ({ reportId }, call) => {
      const report = deps.reports.get(reportId);
      const pdf = await reportPdfOf(deps.reportContent, report);
      // The document leaves the app here: audited as an export of that version.
      deps.record(call, 'reports.export', reportId, {
        format: 'pdf',
        version: report.version,
        status: report.status,
      });
      return {
        description: { fileName: pdf.fileName, status: report.status, version: report.version },
        data: pdf.bytes,
        filename: pdf.fileName,
      };
    },
    'reports.dicom': async ({ reportId }, call) => {
      const report = deps.reports.get(reportId);
      const pdf = await reportPdfOf(deps.reportContent, report);
      // The SEG and overlays of the analysis this version reports, not a later one.
      const zip = await dicomResultsZip(deps.dicomResults, report.scanId, {
        analysisId: report.analysisId,
        reportPdf: pdf.bytes,
        reportTitle: reportDocumentTitle(report),
        modifiedAt: new Date(),
      });
      const fileName = pdf.fileName.replace(/\.pdf$/, '_DICOM.zip');
      deps.record(call, 'reports.export', reportId, {
        format: 'dicom',
        version: report.version,
        status: report.status,
        files: zip.names.length,
      });
      const description: ReportDicomDescription = { fileName, notes: zip.notes };
      return { description, data: zip.bytes, filename: fileName };
    },
  };
}
