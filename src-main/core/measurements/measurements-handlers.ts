import type { CallAuditor } from '../audit/call-auditor.js';
import type { HandlerMap } from '../merge-handlers.js';
import type { MeasurementService } from './measurement-service.js';

type MeasurementMethods =
  'measurements.list' | 'measurements.create' | 'measurements.update' | 'measurements.delete';

/** Saved measurements. Reads are audited here; changes by the clinical writer, with their rows. */
export function createMeasurementsHandlers(deps: {
  measurements: MeasurementService;
  record: CallAuditor;
}): HandlerMap<MeasurementMethods> {
  const { measurements, record } = deps;
  return {
    'measurements.list': (input, call) => {
      const list = measurements.list(input.scanId);
      record(call, 'measurements.list', input.scanId, { count: list.length });
      return list;
    },
    'measurements.create': (input, call) => measurements.create(input, call.principal),
    'measurements.update': (input, call) => {
      const { id, ...changes } = input;
      return measurements.update(id, changes, call.principal);
    },
    'measurements.delete': (input, call) => measurements.remove(input.id, call.principal),
  };
}
