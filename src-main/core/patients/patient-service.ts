import type { Page, Patient } from '../../../src-shared/contract/entities.js';
import { AppError } from '../../../src-shared/errors.js';
import type { ClinicalWriter } from '../clinical-write/clinical-writer.js';
import type { Clock } from '../platform/clock.js';
import type { IdGenerator } from '../platform/ids.js';
import type { PatientFields, PatientsRepo } from './patients-repo.js';
import { removeUnreferencedBlobs, type BlobReferences } from '../store/blob-references.js';
import type { BlobStore } from '../store/blob-store.js';

export interface PatientInput {
  name?: string | undefined;
  mrn?: string | null | undefined;
  birthDate?: string | null | undefined;
  sex?: 'M' | 'F' | 'O' | null | undefined;
  notes?: string | undefined;
}

/** Patients: every change goes through the clinical writer (row, audit entry, outbox entry). */
export function createPatientService(deps: {
  writer: ClinicalWriter;
  patients: PatientsRepo;
  blobs: BlobStore;
  blobReferences: BlobReferences;
  clock: Clock;
  ids: IdGenerator;
}) {
  const { patients, clock, writer } = deps;

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

    list(query: { search?: string | undefined; page: number; limit: number }): Page<Patient> {
      return patients.list({
        ...(query.search !== undefined && { search: query.search }),
        page: query.page,
        limit: query.limit,
      });
    },

    create(input: PatientInput & { name: string }, actor: string | null): Patient {
      const fields: PatientFields = {
        name: input.name,
        mrn: input.mrn?.trim() || null,
        birthDate: input.birthDate ?? null,
        sex: input.sex ?? null,
        notes: input.notes ?? '',
      };
      assertMrnFree(fields.mrn);
      return writer.write(actor, 'patients.create', () => {
        const patient = patients.insert(deps.ids(), fields, clock.iso());
        return {
          result: patient,
          target: patient.id,
          changes: [{ entity: 'patient', id: patient.id, op: 'create', payload: patient }],
        };
      });
    },

    update(id: string, input: PatientInput, actor: string | null): Patient {
      const current = this.get(id);
      const fields: PatientFields = {
        name: input.name ?? current.name,
        mrn: input.mrn === undefined ? current.mrn : input.mrn?.trim() || null,
        birthDate: input.birthDate === undefined ? current.birthDate : input.birthDate,
        sex: input.sex === undefined ? current.sex : input.sex,
        notes: input.notes ?? current.notes,
      };
      assertMrnFree(fields.mrn, id);
      // Imports find a DICOM patient by the header's Patient ID: changing it here would make the
      // next import of the same patient's files create a second patient (see masks-and-patients.md).
      if (fields.mrn !== current.mrn && current.mrn !== null && patients.hasDicomScans(id)) {
        throw new AppError(
          'CONFLICT',
          `Patient ID "${current.mrn}" comes from this patient's DICOM files, and later imports ` +
            'find the patient by it: it cannot be changed here. To file studies under the right ' +
            'patient, assign them to that patient from the scan page.',
        );
      }
      const changed = (Object.keys(input) as Array<keyof PatientInput>).filter(
        (key) => input[key] !== undefined && input[key] !== current[key],
      );
      return writer.write(actor, 'patients.update', () => {
        const patient = patients.update(id, fields, clock.iso());
        if (patient === undefined)
          throw new AppError('NOT_FOUND', 'No such patient: it may have been deleted.');
        return {
          result: patient,
          target: id,
          details: {
            fields: Object.keys(input),
            // The values replaced, so the audit log shows what a correction corrected.
            before: Object.fromEntries(changed.map((key) => [key, current[key]])),
          },
          changes: [{ entity: 'patient', id, op: 'update', payload: patient }],
        };
      });
    },

    /**
     * Deletes the patient and everything recorded for them, then every blob derived from their
     * data (originals, segmentations, attachments, analysis masks, heatmaps and overlays) that no
     * other record refers to.
     */
    async remove(
      id: string,
      actor: string | null,
    ): Promise<{ deleted: boolean; scans: number; files: number }> {
      const patient = this.get(id);
      const scanIds = patients.scanIdsOf(id);
      const hashes = deps.blobReferences.ofScans(scanIds);
      const files = deps.blobReferences.fileCountOfScans(scanIds);
      const summary = { deleted: true, scans: patient.scanCount, files };
      writer.write(actor, 'patients.delete', () => {
        patients.remove(id);
        return {
          result: undefined,
          target: id,
          details: summary,
          changes: [
            ...scanIds.map((scanId) => ({
              entity: 'scan' as const,
              id: scanId,
              op: 'delete' as const,
            })),
            { entity: 'patient', id, op: 'delete' },
          ],
        };
      });
      // Blobs go after the rows: a crash in between leaves unreferenced blobs, never rows without files.
      await removeUnreferencedBlobs(deps.blobs, deps.blobReferences, hashes);
      return summary;
    },
  };
}
export type PatientService = ReturnType<typeof createPatientService>;
