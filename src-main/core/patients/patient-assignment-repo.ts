import type { Db } from '../db/connection.js';

/** The rows a patient assignment reads and moves: scans and studies' patient links. */
export function createPatientAssignmentRepo(db: Db) {
  return {
    /** The ids of the scans of a study, ordered. */
    scanIdsOfStudy(studyId: string): string[] {
      return db
        .prepare<[string], { id: string }>('SELECT id FROM scans WHERE study_id = ? ORDER BY id')
        .all(studyId)
        .map((r) => r.id);
    },
    /** Points the scans at the patient. */
    moveScans(scanIds: readonly string[], patientId: string, now: string): void {
      const move = db.prepare('UPDATE scans SET patient_id = ?, updated_at = ? WHERE id = ?');
      for (const id of scanIds) move.run(patientId, now, id);
    },
    /** Points the study at the patient (its scans move with moveScans). */
    moveStudy(studyId: string, patientId: string): void {
      db.prepare('UPDATE studies SET patient_id = ? WHERE id = ?').run(patientId, studyId);
    },
  };
}
export type PatientAssignmentRepo = ReturnType<typeof createPatientAssignmentRepo>;
