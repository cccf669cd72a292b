import type {
  AssignmentScope,
  PatientAssignment,
} from '../../../src-shared/contract/masks-patients.js';
import { AppError } from '../../../src-shared/errors.js';
import type { ClinicalChange, ClinicalWriter } from '../clinical-write/clinical-writer.js';
import type { EventBus } from '../events.js';
import type { Clock } from '../platform/clock.js';
import type { ScansRepo } from '../scans/scans-repo.js';
import type { StudiesRepo } from '../scans/studies-repo.js';
import type { PatientAssignmentRepo } from './patient-assignment-repo.js';
import type { PatientsRepo } from './patients-repo.js';

/**
 * Assigns scans to patients: a NIfTI volume or a picture (which carries no patient) to the
 * patient it belongs to, or a DICOM study that was filed under the wrong patient to the right
 * one. A DICOM study belongs to one patient, so its series move together. Written through the
 * clinical writer: the moved rows, one audit entry naming both patients, and outbox entries.
 */
export function createPatientAssignment(deps: {
  writer: ClinicalWriter;
  patients: Pick<PatientsRepo, 'get'>;
  scans: Pick<ScansRepo, 'get'>;
  studies: Pick<StudiesRepo, 'getStudy'>;
  assignments: PatientAssignmentRepo;
  clock: Clock;
  events: Pick<EventBus, 'emit'>;
}) {
  return {
    assign(
      scanId: string,
      patientId: string,
      scope: AssignmentScope,
      actor: string | null,
    ): PatientAssignment {
      let changed = false;
      // Read inside the write transaction: the study's series and links are the ones moved.
      const assignment = deps.writer.write(actor, 'scans.assignPatient', () => {
        const scan = deps.scans.get(scanId);
        if (scan === undefined)
          throw new AppError('NOT_FOUND', 'No such scan: it may have been deleted.');
        if (deps.patients.get(patientId) === undefined)
          throw new AppError('NOT_FOUND', 'No such patient: it may have been deleted.');
        const study = scan.studyId === null ? undefined : deps.studies.getStudy(scan.studyId);
        const scanIds = study === undefined ? [scanId] : deps.assignments.scanIdsOfStudy(study.id);
        if (study !== undefined && scope === 'scan' && scanIds.length > 1) {
          throw new AppError(
            'CONFLICT',
            `This series belongs to a study with ${scanIds.length} series, and a study belongs ` +
              'to one patient: assign the whole study instead.',
          );
        }
        const studyIds = study === undefined ? [] : [study.id];
        const result: PatientAssignment = {
          patientId,
          previousPatientId: scan.patientId,
          scanIds,
          studyIds,
        };
        const isAlready =
          scan.patientId === patientId && (study?.patientId ?? patientId) === patientId;
        if (isAlready) return { result, target: scanId, changes: [] };
        const now = deps.clock.iso();
        for (const id of studyIds) deps.assignments.moveStudy(id, patientId);
        deps.assignments.moveScans(scanIds, patientId, now);
        changed = true;
        const changes: ClinicalChange[] = [
          ...studyIds.map((id) => ({
            entity: 'study' as const,
            id,
            op: 'update' as const,
            payload: { id, patientId },
          })),
          ...scanIds.map((id) => ({
            entity: 'scan' as const,
            id,
            op: 'update' as const,
            payload: { id, patientId },
          })),
        ];
        return {
          result,
          target: scanId,
          details: {
            patientId,
            previousPatientId: scan.patientId,
            scope: study === undefined ? 'scan' : 'study',
            scanIds,
            studyIds,
          },
          changes,
        };
      });
      if (changed)
        deps.events.emit('scans.changed', { scanIds: assignment.scanIds, change: 'updated' });
      return assignment;
    },
  };
}
export type PatientAssignmentService = ReturnType<typeof createPatientAssignment>;
