import type { CallAuditor as AuditRecorder } from '../audit/call-auditor.js';
import type { DicomResultsService } from '../exports/dicom/dicom-results-service.js';
import type { ExportsService } from '../exports/exports-service.js';
import type { StreamHandlers } from './stream-types.js';

/** Downloads of stored results ("Export results" in the scan page, or any HTTP client). */
export function createExportStreamHandlers(deps: {
  exports: ExportsService;
  dicomResults: DicomResultsService;
  record: AuditRecorder;
}): Pick<StreamHandlers, 'analysis.export' | 'analysis.dicomSeg'> {
  return {
    'analysis.export': async ({ scanId }, call) => {
      const bundle = await deps.exports.analysisBundle(scanId);
      // Results leave the app here: audited as an export, not as a read.
      deps.record(call, 'analysis.export', scanId, { format: 'zip' });
      return {
        description: { fileName: bundle.fileName, warnings: bundle.warnings },
        data: bundle.bytes,
        filename: bundle.fileName,
      };
    },
    'analysis.dicomSeg': async ({ scanId }, call) => {
      const seg = await deps.dicomResults.segmentation(scanId);
      deps.record(call, 'analysis.export', scanId, { format: 'dicom-seg' });
      return {
        description: { fileName: seg.fileName, warnings: seg.warnings },
        data: seg.bytes,
        filename: seg.fileName,
      };
    },
  };
}
