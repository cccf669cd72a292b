import { AppError } from '../../../src-shared/errors.js';
import { ROLE_SCOPE, roleHasPermission } from '../../../src-shared/roles.js';
import type { CallAuditor } from '../audit/call-auditor.js';
import { actorOf, roleOf, type Principal } from '../auth/principal.js';
import type { HandlerMap } from '../merge-handlers.js';
import type { ReadingView, ReadingsService } from './readings-service.js';

type ReadingMethods =
  'readings.request' | 'readings.get' | 'readings.list' | 'readings.suggestTreatment';

/** What the caller's role may see: no figures for a patient, suggestions only where allowed. */
function viewOf(principal: Principal | null): ReadingView {
  if (principal === null) return { expert: false, suggestions: false };
  const role = roleOf(principal);
  return {
    expert: ROLE_SCOPE[role] !== 'own-patient',
    suggestions: roleHasPermission(role, 'suggestions.read'),
  };
}

/**
 * A patient asks only for a friendly reading of its own scans (the scope check saw to "own"),
 * at the normal priority, without notes or suggestions: those are the clinicians' part.
 */
function patientRequest<T extends { kind: string; priority: string; notes: string }>(
  input: T,
): T & { includeSuggestions: false } {
  if (input.kind !== 'friendly')
    throw new AppError(
      'PERMISSION_DENIED',
      'A patient account may ask for a friendly reading of its own X-rays; an expert reading is asked for by your doctor or the radiologist.',
    );
  if (input.priority === 'HIGH')
    throw new AppError(
      'PERMISSION_DENIED',
      'HIGH priority is set by the clinical team; ask for the reading without a priority.',
    );
  return { ...input, notes: '', includeSuggestions: false };
}

export function createReadingsHandlers(deps: {
  readings: ReadingsService;
  record: CallAuditor;
}): HandlerMap<ReadingMethods> {
  return {
    'readings.request': (input, call) => {
      const isPatient =
        call.principal !== null && ROLE_SCOPE[roleOf(call.principal)] === 'own-patient';
      const requested = deps.readings.request(
        isPatient ? patientRequest(input) : input,
        actorOf(call.principal),
        viewOf(call.principal),
      );
      deps.record(call, 'readings.request', input.scanId, {
        readingId: requested.reading.id,
        kind: input.kind,
        priority: requested.reading.priority,
      });
      return requested;
    },
    'readings.get': (input, call) => {
      const reading = deps.readings.get(input.id, viewOf(call.principal));
      deps.record(call, 'readings.read', reading.scanId, { readingId: reading.id });
      return reading;
    },
    'readings.list': (input, call) => {
      const list = deps.readings.list(input.scanId, viewOf(call.principal));
      deps.record(call, 'readings.read', input.scanId);
      return list;
    },
    'readings.suggestTreatment': (input, call) => {
      const { scanId, ...answer } = deps.readings.suggest(input.id, input.patientAge ?? null);
      // Symptoms and gender are not kept: the table is keyed on the finding and the age group.
      deps.record(call, 'readings.suggestions', scanId, {
        readingId: input.id,
        tableVersion: answer.tableVersion,
        entries: answer.suggestions.map((s) => s.id),
      });
      return answer;
    },
  };
}
