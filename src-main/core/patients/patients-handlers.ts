import type { CallAuditor } from '../audit/call-auditor.js';
import { actorOf } from '../auth/principal.js';
import type { HandlerMap } from '../merge-handlers.js';
import type { PatientService } from './patient-service.js';

type PatientMethods =
  'patients.list' | 'patients.get' | 'patients.create' | 'patients.update' | 'patients.delete';

/** Patients. Reads are audited here; changes by the clinical writer, with their rows. */
export function createPatientsHandlers(deps: {
  patients: PatientService;
  record: CallAuditor;
}): HandlerMap<PatientMethods> {
  const { patients, record } = deps;
  return {
    'patients.list': (input, call) => {
      record(call, 'patients.list', null, { searched: (input.search ?? '') !== '' });
      return patients.list(input);
    },
    'patients.get': (input, call) => {
      const patient = patients.get(input.id);
      record(call, 'patients.read', input.id);
      return patient;
    },
    'patients.create': (input, call) => patients.create(input, actorOf(call.principal)),
    'patients.update': (input, call) => {
      const { id, ...changes } = input;
      return patients.update(id, changes, actorOf(call.principal));
    },
    'patients.delete': (input, call) => patients.remove(input.id, actorOf(call.principal)),
  };
}
