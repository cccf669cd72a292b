import type { CallAuditor as AuditRecorder } from '../audit/call-auditor.js';
import type { MeasurementService } from '../measurements/measurement-service.js';
import type { StreamHandlers } from './stream-types.js';

/** A scan's saved measurements as a CSV download. */
export function createMeasurementStreamHandlers(deps: {
  measurements: MeasurementService;
  record: AuditRecorder;
}): Pick<StreamHandlers, 'measurements.csv'> {
  return {
    'measurements.csv': ({ scanId }, call) => {
      const file = deps.measurements.csv(scanId);
      // Measurements leave the app here: audited as an export, not as a read.
      // No file name in the trail: it is made of source file names, which may name the patient.
      deps.record(call, 'measurements.export', scanId, { count: file.count });
      return {
        description: { fileName: file.fileName, count: file.count },
        data: new TextEncoder().encode(file.text),
        filename: file.fileName,
      };
    },
  };
}
