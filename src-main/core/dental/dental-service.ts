import { stat } from 'node:fs/promises';
import type {
  DentalCaption,
  DentalCase,
  DentalCaseCreateInput,
  DentalFolder,
  DentalRegistryFile,
} from '../../../src-shared/contract/dental.js';
import { AppError } from '../../../src-shared/errors.js';
import { actorOf, type Principal } from '../auth/principal.js';
import type { ClinicalChange, ClinicalWriter } from '../clinical-write/clinical-writer.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { PatientsRepo } from '../patients/patients-repo.js';
import type { Clock } from '../platform/clock.js';
import type { IdGenerator } from '../platform/ids.js';
import type { BlobStore, StoredBlob } from '../store/blob-store.js';
import type { DentalCaseRow, DentalRepo } from './dental-repo.js';
import { readCheckedStl, type CheckedStl } from './dental-stl.js';

const CBCT_FILE = /\.(nii|nii\.gz|dcm)$/i;

/** A CBCT is a NIfTI file or a DICOM folder (or one DICOM file); checked before a job starts. */
async function checkCbctPath(path: string): Promise<void> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) return;
    if (info.isFile() && CBCT_FILE.test(path)) return;
  } catch {
    throw new AppError('NOT_FOUND', `The CBCT (${path}) could not be found: check the path.`);
  }
  throw new AppError(
    'UNSUPPORTED_FORMAT',
    `The CBCT (${path}) must be a NIfTI file (.nii, .nii.gz) or a folder of DICOM files.`,
  );
}

/**
 * Dental cases (issue 19): scan pairs with a CBCT, folders, text captions and the file registry.
 * Every change is a clinical write (row, audit entry and outbox entry together); the CBCT goes
 * through the ordinary import job, so it is read, checked and stored as any imported volume.
 */
export function createDentalService(deps: {
  repo: DentalRepo;
  writer: ClinicalWriter;
  blobs: BlobStore;
  jobs: JobQueue;
  patients: PatientsRepo;
  clock: Clock;
  ids: IdGenerator;
}) {
  const { repo, writer, clock, ids } = deps;

  function toCase(row: DentalCaseRow): DentalCase {
    const stls = repo.stls(row.id);
    return {
      id: row.id,
      name: row.name,
      patientId: row.patient_id,
      patientName: row.patient_name,
      folderId: row.folder_id,
      folderName: row.folder_name,
      upper: stls.find((s) => s.role === 'upper') ?? null,
      lower: stls.find((s) => s.role === 'lower') ?? null,
      cbct:
        row.cbct_job_id === null
          ? null
          : {
              jobId: row.cbct_job_id,
              status: row.cbct_job_status ?? 'failed',
              scanId: repo.cbctScanId(row.cbct_job_id),
            },
      createdBy: row.created_by,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  function getCase(id: string): DentalCase {
    const row = repo.caseRow(id);
    if (row === undefined) throw new AppError('NOT_FOUND', 'No such dental case.');
    return toCase(row);
  }

  function folder(id: string): DentalFolder {
    const found = repo.folders().find((f) => f.id === id);
    if (found === undefined) throw new AppError('NOT_FOUND', 'No such folder.');
    return found;
  }

  function refuseTakenName(name: string, exceptId?: string): void {
    const taken = repo.folderByName(name);
    if (taken !== undefined && taken.id !== exceptId)
      throw new AppError(
        'CONFLICT',
        `A folder named "${name}" exists already; choose another name.`,
      );
  }

  function caption(id: string): DentalCaption {
    const found = repo.caption(id);
    if (found === undefined) throw new AppError('NOT_FOUND', 'No such caption.');
    return found;
  }

  return {
    getCase,
    listCases(q: Parameters<DentalRepo['listCases']>[0]) {
      const page = repo.listCases(q);
      return { ...page, items: page.items.map(toCase) };
    },

    async createCase(
      input: DentalCaseCreateInput,
      principal: Principal | null,
    ): Promise<DentalCase> {
      if (input.patientId !== undefined && deps.patients.get(input.patientId) === undefined)
        throw new AppError('NOT_FOUND', 'No such patient: choose an existing patient.');
      if (input.folderId !== undefined) folder(input.folderId);
      if (input.upperStl === undefined && input.lowerStl === undefined && input.cbct === undefined)
        throw new AppError(
          'INVALID_INPUT',
          'A dental case needs at least one part: an upper or lower STL, or a CBCT.',
        );
      // Every part is checked before anything is stored: a bad file leaves no half-made case.
      const parts: { role: 'upper' | 'lower'; stl: CheckedStl }[] = [];
      if (input.upperStl !== undefined)
        parts.push({ role: 'upper', stl: await readCheckedStl(input.upperStl, 'upper') });
      if (input.lowerStl !== undefined)
        parts.push({ role: 'lower', stl: await readCheckedStl(input.lowerStl, 'lower') });
      if (input.cbct !== undefined) await checkCbctPath(input.cbct);
      const stored: ((typeof parts)[number] & { blob: StoredBlob })[] = [];
      for (const part of parts)
        stored.push({ ...part, blob: await deps.blobs.putBuffer(part.stl.data) });

      const actor = actorOf(principal);
      const cbctJob =
        input.cbct === undefined
          ? null
          : deps.jobs.enqueue(
              'import.files',
              {
                paths: [input.cbct],
                ...(input.patientId !== undefined && { patientId: input.patientId }),
              },
              actor,
            );
      const id = ids();
      const at = clock.iso();
      writer.write(actor, 'dental.case.create', () => {
        repo.insertCase({
          id,
          name: input.name,
          patientId: input.patientId ?? null,
          folderId: input.folderId ?? null,
          cbctJobId: cbctJob?.id ?? null,
          createdBy: actor,
          at,
        });
        const changes: ClinicalChange[] = [{ entity: 'dental_case', id, op: 'create' }];
        for (const part of stored) {
          const fileId = ids();
          repo.insertStl({
            id: fileId,
            caseId: id,
            role: part.role,
            fileName: part.stl.fileName,
            sha256: part.blob.sha256,
            size: part.blob.size,
            triangleCount: part.stl.summary.triangleCount,
            format: part.stl.summary.format,
            at,
          });
          changes.push({ entity: 'dental_file', id: fileId, op: 'create' });
        }
        return {
          result: undefined,
          target: id,
          details: {
            name: input.name,
            parts: stored.map((p) => p.role),
            cbctJobId: cbctJob?.id ?? null,
          },
          changes,
        };
      });
      return getCase(id);
    },

    moveCase(caseId: string, folderId: string | null, principal: Principal | null): DentalCase {
      getCase(caseId);
      if (folderId !== null) folder(folderId);
      writer.write(actorOf(principal), 'dental.case.move', () => {
        repo.moveCase(caseId, folderId, clock.iso());
        return {
          result: undefined,
          target: caseId,
          details: { folderId },
          changes: [{ entity: 'dental_case', id: caseId, op: 'update' }],
        };
      });
      return getCase(caseId);
    },

    folders: () => repo.folders(),

    createFolder(name: string, principal: Principal | null): DentalFolder {
      refuseTakenName(name);
      const id = ids();
      writer.write(actorOf(principal), 'dental.folder.create', () => {
        repo.insertFolder({ id, name, at: clock.iso() });
        return {
          result: undefined,
          target: id,
          details: { name },
          changes: [{ entity: 'dental_folder', id, op: 'create', payload: { id, name } }],
        };
      });
      return folder(id);
    },

    renameFolder(id: string, name: string, principal: Principal | null): DentalFolder {
      const before = folder(id);
      refuseTakenName(name, id);
      writer.write(actorOf(principal), 'dental.folder.rename', () => {
        repo.renameFolder(id, name, clock.iso());
        return {
          result: undefined,
          target: id,
          details: { from: before.name, to: name },
          changes: [{ entity: 'dental_folder', id, op: 'update', payload: { id, name } }],
        };
      });
      return folder(id);
    },

    captions(caseId: string): DentalCaption[] {
      getCase(caseId);
      return repo.captions(caseId);
    },

    addCaption(
      input: { caseId: string; modality: DentalCaption['modality']; text: string },
      principal: Principal | null,
    ): DentalCaption {
      getCase(input.caseId);
      const id = ids();
      const author = actorOf(principal) ?? 'unknown';
      writer.write(actorOf(principal), 'dental.caption.create', () => {
        repo.insertCaption({ id, ...input, author, at: clock.iso() });
        return {
          result: undefined,
          target: input.caseId,
          details: { captionId: id, modality: input.modality },
          changes: [{ entity: 'dental_caption', id, op: 'create' }],
        };
      });
      return caption(id);
    },

    editCaption(id: string, text: string, principal: Principal | null): DentalCaption {
      const before = caption(id);
      if (before.text === text) return before;
      const author = actorOf(principal) ?? 'unknown';
      writer.write(actorOf(principal), 'dental.caption.edit', () => {
        repo.editCaption(id, text, author, clock.iso());
        return {
          result: undefined,
          target: before.caseId,
          details: { captionId: id, version: before.history.length + 1 },
          changes: [{ entity: 'dental_caption', id, op: 'update' }],
        };
      });
      return caption(id);
    },

    registry: (q: Parameters<DentalRepo['registry']>[0]) => repo.registry(q),

    /** A registry file and its bytes (read through the store), for the download stream. */
    file(id: string): { file: DentalRegistryFile; content: AsyncIterable<Buffer> } {
      const file = repo.registryFile(id);
      if (file === undefined || !deps.blobs.has(file.sha256))
        throw new AppError('NOT_FOUND', 'File not found in the registry.');
      return { file, content: deps.blobs.stream(file.sha256) };
    },
  };
}
export type DentalService = ReturnType<typeof createDentalService>;
