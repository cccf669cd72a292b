import type { Patient } from '../../../src-shared/contract/entities.js';
import { AppError } from '../../../src-shared/errors.js';
import type { Db } from '../db/connection.js';
import type { Clock } from '../platform/clock.js';
import type { IdGenerator } from '../platform/ids.js';
import type { PatientFields, PatientsRepo } from './patients-repo.js';
import type { BlobStore } from '../store/blob-store.js';

export interface PatientInput {
  name?: string | undefined;
  mrn?: string | null | undefined;
  birthDate?: string | null | undefined;
  sex?: 'M' | 'F' | 'O' | null | undefined;
  notes?: string | undefined;
}

export function createPatientService(deps: {
  db: Db;
  patients: PatientsRepo;
  blobs: BlobStore;
  clock: Clock;
  ids: IdGenerator;
}) {
  const { patients, clock } = deps;

  function assertMrnFree(mrn: string | null, exceptId?: string): void {
    if (mrn === null) return;
    const other = patients.findByMrn(mrn);
    if (other !== undefined && other.id !== exceptId) {
      throw new AppError('CONFLICT', `Patient ID "${mrn}" already belongs to ${other.name}.`, {
        patientId: other.id,
      });
    }
  }

  return {
    get(id: string): Patient {
      const patient = patients.get(id);
      if (patient === undefined)
        throw new AppError('NOT_FOUND', 'No such patient: it may have been deleted.');
      return patient;
    },

    create(input: PatientInput & { name: string }): Patient {
      const fields: PatientFields = {
        name: input.name,
        mrn: input.mrn?.trim() || null,
        birthDate: input.birthDate ?? null,
        sex: input.sex ?? null,
        notes: input.notes ?? '',
      };
      assertMrnFree(fields.mrn);
      return patients.insert(deps.ids(), fields, clock.iso());
    },

    update(id: string, input: PatientInput): Patient {
      const current = this.get(id);
      const fields: PatientFields = {
        name: input.name ?? current.name,
        mrn: input.mrn === undefined ? current.mrn : input.mrn?.trim() || null,
        birthDate: input.birthDate === undefined ? current.birthDate : input.birthDate,
        sex: input.sex === undefined ? current.sex : input.sex,
        notes: input.notes ?? current.notes,
      };
      assertMrnFree(fields.mrn, id);
      return patients.update(id, fields, clock.iso()) as Patient;
    },

    /** Deletes the patient and everything recorded for them, then their stored files. */
    async remove(id: string): Promise<{ deleted: boolean; scans: number; files: number }> {
      const patient = this.get(id);
      const hashes = patients.fileHashesOf(id);
      deps.db.transaction(() => patients.remove(id))();
      // Files go after the rows: a crash in between leaves unreferenced blobs, never rows without files.
      for (const sha256 of hashes) await deps.blobs.remove(sha256);
      return { deleted: true, scans: patient.scanCount, files: hashes.length };
    },
  };
}
export type PatientService = ReturnType<typeof createPatientService>;
