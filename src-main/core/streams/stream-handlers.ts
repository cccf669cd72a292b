import type { AnalysisService } from '../analysis/analysis-service.js';
import type { AuditQuery } from '../audit/audit-query.js';
import { createAuditStreamHandlers } from './audit-streams.js';
import type { CallAuditor as AuditRecorder } from '../audit/call-auditor.js';
import type { DentalService } from '../dental/dental-service.js';
import type { DicomResultsService } from '../exports/dicom/dicom-results-service.js';
import type { DeidentifyService } from '../deidentify/deidentify-service.js';
import { createDeidentifyStreamHandlers } from './deidentify-streams.js';
import type { Clock } from '../platform/clock.js';
import type { ExportsService } from '../exports/exports-service.js';
import type { FrameService } from '../imaging/frame-service.js';
import type { LabelVolumeService } from '../labels/label-volumes.js';
import type { MeasurementService } from '../measurements/measurement-service.js';
import type { UploadService } from '../uploads/upload-service.js';
import { createAttachmentStreamHandlers } from './attachment-streams.js';
import { createDentalStreamHandlers } from './dental-streams.js';
import type { VoiceCaptionService } from '../dental/voice-caption-service.js';
import { createExportStreamHandlers } from './export-streams.js';
import { createMeasurementStreamHandlers } from './measurement-streams.js';
import type { ReportContent } from '../reports/report-content.js';
import type { ReportsService } from '../reports/reports-service.js';
import type { ScanDetail } from '../scans/scan-service.js';
import { createReportStreamHandlers } from './report-streams.js';
import { createScanStreamHandlers } from './scan-streams.js';
import type { StreamHandlers } from './stream-types.js';
import { createUploadStreamHandlers } from './upload-streams.js';
import type { VisualizationService } from '../visualizations/visualization-service.js';
import { createVisualizationStreamHandlers } from './visualization-streams.js';

/** Maps each stream of the contract to the services, as `createHandlers` does for methods. */
export function createStreamHandlers(deps: {
  frames: FrameService;
  labels: LabelVolumeService;
  analysis: AnalysisService;
  uploads: UploadService;
  exports: ExportsService;
  measurements: MeasurementService;
  dicomResults: DicomResultsService;
  deidentify: DeidentifyService;
  reports: ReportsService;
  reportContent: ReportContent;
  scanDetail: (scanId: string) => ScanDetail;
  readBlob: (sha256: string) => Promise<Uint8Array>;
  dental: DentalService;
  voice: VoiceCaptionService;
  auditQuery: AuditQuery;
  visualizations: VisualizationService;
  record: AuditRecorder;
  clock: Clock;
}): StreamHandlers {
  return {
    ...createScanStreamHandlers(deps),
    ...createUploadStreamHandlers(deps),
    ...createExportStreamHandlers(deps),
    ...createMeasurementStreamHandlers(deps),
    ...createReportStreamHandlers(deps),
    ...createDeidentifyStreamHandlers(deps),
    ...createAttachmentStreamHandlers(deps),
    ...createDentalStreamHandlers(deps),
    ...createAuditStreamHandlers(deps),
    ...createVisualizationStreamHandlers(deps),
  };
}
