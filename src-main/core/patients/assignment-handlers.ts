import { actorOf } from '../auth/principal.js';
import type { HandlerMap } from '../merge-handlers.js';
import type { PatientAssignmentService } from './patient-assignment.js';

/** Assigning scans to patients; audited by the clinical writer with the rows it moves. */
export function createAssignmentHandlers(deps: {
  assignment: PatientAssignmentService;
}): HandlerMap<'scans.assignPatient'> {
  return {
    'scans.assignPatient': (input, call) =>
      deps.assignment.assign(input.scanId, input.patientId, input.scope, actorOf(call.principal)),
  };
}
